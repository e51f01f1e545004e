/**
 * A GIF built frame by frame with gifenc: each frame gets its own 256-colour palette
 * (quantised from that frame), so a run whose colours change over time still looks right.
 * Pure (no DOM), so it runs in the encoder worker and in Node tests alike.
 */
import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import { gifDelayCentiseconds } from './timing';

export class GifWriter {
  private readonly encoder = GIFEncoder();
  private written = 0;
  private finished = false;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly fps: number,
  ) {}

  get frameCount(): number {
    return this.written;
  }

  /** Adds one frame of width × height RGBA pixels (alpha is ignored: the frames are drawn on an opaque background). */
  addFrame(rgba: Uint8Array | Uint8ClampedArray): void {
    if (this.finished) throw new Error('This GIF is already finished.');
    const expected = this.width * this.height * 4;
    if (rgba.byteLength !== expected) throw new Error(`A ${this.width}×${this.height} GIF frame needs ${expected} bytes of RGBA, not ${rgba.byteLength}.`);
    // gifenc reads the whole underlying buffer, so a view into a larger buffer must be copied out first.
    const pixels = rgba.byteOffset === 0 && rgba.buffer.byteLength === expected ? rgba : rgba.slice();
    const palette = quantize(pixels, 256);
    const indexed = applyPalette(pixels, palette);
    // gifenc takes milliseconds and rounds to hundredths; whole hundredths times ten round to themselves.
    const delay = gifDelayCentiseconds(this.written, this.fps) * 10;
    this.encoder.writeFrame(indexed, this.width, this.height, { palette, delay, repeat: 0 });
    this.written += 1;
  }

  /** The finished file. */
  finish(): Uint8Array<ArrayBuffer> {
    if (this.written === 0) throw new Error('A GIF needs at least one frame.');
    if (!this.finished) {
      this.encoder.finish();
      this.finished = true;
    }
    return this.encoder.bytes();
  }
}
