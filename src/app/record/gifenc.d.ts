/**
 * The part of gifenc 1.0.3 (which ships no types) that src/app/record uses.
 * Pixel arrays must span their whole ArrayBuffer: gifenc reads `rgba.buffer` as a Uint32Array
 * and ignores the view's offset and length.
 */
declare module 'gifenc' {
  /** RGB triples, at most 256 of them. */
  export type GifPalette = number[][];

  export interface QuantizeOptions {
    format?: 'rgb565' | 'rgb444' | 'rgba4444';
  }

  export function quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, options?: QuantizeOptions): GifPalette;

  /** One palette index per pixel. */
  export function applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: GifPalette, format?: 'rgb565' | 'rgb444' | 'rgba4444'): Uint8Array;

  export interface GifFrameOptions {
    palette?: GifPalette;
    /** Milliseconds; gifenc rounds it to whole hundredths of a second. */
    delay?: number;
    /** 0 loops forever, -1 plays once; written with the first frame only. */
    repeat?: number;
  }

  export interface GifEncoderStream {
    writeFrame(index: Uint8Array, width: number, height: number, options?: GifFrameOptions): void;
    /** Writes the trailer byte (0x3B). */
    finish(): void;
    /** A copy of the bytes written so far. */
    bytes(): Uint8Array<ArrayBuffer>;
  }

  export function GIFEncoder(options?: { initialCapacity?: number }): GifEncoderStream;
}
