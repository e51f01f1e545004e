import { describe, expect, it } from 'vitest';
import { readGifInfo } from './gifInfo';
import { GifWriter } from './gifWriter';

/** A flat frame with a square whose place and colour depend on the frame's index. */
function frame(width: number, height: number, index: number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const inside = Math.abs(x - index * 3) < 5 && Math.abs(y - height / 2) < 5;
      const at = (y * width + x) * 4;
      rgba.set(inside ? [200, 40 * (index % 6), 60, 255] : [250, 250, 250, 255], at);
    }
  }
  return rgba;
}

describe('GifWriter', () => {
  it('writes a GIF89a with the requested size, frame count and a total delay of n/fps', () => {
    const writer = new GifWriter(64, 48, 30);
    for (let i = 0; i < 7; i += 1) writer.addFrame(frame(64, 48, i));
    const bytes = writer.finish();
    expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe('GIF89a');
    const info = readGifInfo(bytes);
    expect(info).toMatchObject({ version: 'GIF89a', width: 64, height: 48, loopCount: 0 });
    expect(info.frames).toHaveLength(7);
    expect(info.frames.every((f) => f.width === 64 && f.height === 48)).toBe(true);
    expect(info.frames.map((f) => f.delayCentiseconds)).toEqual([3, 4, 3, 3, 4, 3, 3]);
    expect(info.frames.reduce((sum, f) => sum + f.delayCentiseconds, 0)).toBe(Math.round(700 / 30));
  });

  it('takes a view into a larger buffer (gifenc alone would read the whole buffer)', () => {
    const writer = new GifWriter(8, 8, 10);
    // A red frame, then the white frame the view shows: no red may reach the palette.
    const big = new Uint8Array(8 * 8 * 4 * 2);
    for (let i = 0; i < 64; i += 1) big.set([255, 0, 0, 255], i * 4);
    const white = big.subarray(8 * 8 * 4).fill(255);
    writer.addFrame(white);
    const info = readGifInfo(writer.finish());
    expect(info.frames).toHaveLength(1);
    expect(info.globalColors.some(([r, g]) => r > 200 && g < 50)).toBe(false);
    expect(info.globalColors.some(([r, g, b]) => r > 240 && g > 240 && b > 240)).toBe(true);
  });

  it('refuses a frame of the wrong size, an empty GIF and frames after the end', () => {
    const writer = new GifWriter(8, 8, 10);
    expect(() => writer.addFrame(new Uint8Array(10))).toThrow('A 8×8 GIF frame needs 256 bytes of RGBA, not 10.');
    expect(() => writer.finish()).toThrow('at least one frame');
    writer.addFrame(frame(8, 8, 0));
    writer.finish();
    expect(() => writer.addFrame(frame(8, 8, 1))).toThrow('already finished');
  });
});

describe('readGifInfo', () => {
  it('refuses what is not a GIF and a truncated GIF', () => {
    expect(() => readGifInfo(new TextEncoder().encode('<svg></svg>'))).toThrow('Not a GIF');
    const writer = new GifWriter(16, 16, 10);
    writer.addFrame(frame(16, 16, 0));
    const bytes = writer.finish();
    expect(() => readGifInfo(bytes.subarray(0, bytes.length - 20))).toThrow(/ends early/);
  });
});
