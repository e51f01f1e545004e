import { describe, expect, it } from 'vitest';
import { DIGIT_PIXELS, encodeDigits } from '../core/digits';
import { fakeDigitImages } from '../core/digitsFixture';
import { fetchDigits } from './digitsLoader';

const asset = encodeDigits(fakeDigitImages());

/** A fetch that answers with `body` in chunks of `chunk` bytes. */
function fakeFetch(body: Uint8Array, init: { status?: number; headers?: Record<string, string>; chunk?: number } = {}): typeof fetch {
  const chunk = init.chunk ?? 1 << 20;
  return async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < body.length; at += chunk) controller.enqueue(body.slice(at, at + chunk));
          controller.close();
        },
      }),
      { status: init.status ?? 200, headers: { 'content-length': String(body.length), ...init.headers } },
    );
}

/** A clock that moves 200 ms a reading, so every chunk is reported. */
function tickingClock(): () => number {
  let ms = 0;
  return () => {
    ms += 200;
    return ms;
  };
}

describe('fetchDigits', () => {
  it('reads the asset in chunks, reports progress up to the whole length, and decodes it', async () => {
    const progress: [number, number | null][] = [];
    const digits = await fetchDigits('digits.bin', (loaded, total) => progress.push([loaded, total]), fakeFetch(asset, { chunk: 500_000 }), tickingClock());
    expect(digits.count).toBe(fakeDigitImages().count);
    expect(digits.pixels.length).toBe(digits.count * DIGIT_PIXELS);
    expect(progress.slice(0, 2)).toEqual([
      [0, null],
      [0, asset.length],
    ]);
    expect(progress.at(-1)).toEqual([asset.length, asset.length]);
    expect(progress.length).toBeGreaterThan(5);
    const loaded = progress.map(([bytes]) => bytes);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
  });

  it('gives no total for a compressed response, whose length counts other bytes', async () => {
    const totals = new Set<number | null>();
    await fetchDigits('digits.bin', (_, total) => totals.add(total), fakeFetch(asset, { headers: { 'content-encoding': 'gzip' } }));
    expect([...totals]).toEqual([null]);
  });

  it('turns a 404, a truncated file, a wrong length and a network failure into one clause each', async () => {
    const fail = (fetchImpl: typeof fetch) => fetchDigits('digits.bin', () => undefined, fetchImpl);
    await expect(fail(fakeFetch(new TextEncoder().encode('Not found'), { status: 404 }))).rejects.toThrow('the file was not found (HTTP 404)');
    await expect(fail(fakeFetch(asset.slice(0, asset.length - 100)))).rejects.toThrow(/cut short/);
    const longer = new Uint8Array(asset.length + 1);
    longer.set(asset);
    await expect(fail(fakeFetch(longer))).rejects.toThrow(/longer than/);
    await expect(fail(fakeFetch(new TextEncoder().encode('<!doctype html><title>Page not found</title>')))).rejects.toThrow(/not a digits file/);
    await expect(
      fail(async () => {
        throw new TypeError('Failed to fetch');
      }),
    ).rejects.toThrow('the network failed: Failed to fetch');
  });

  it('refuses a sound file that holds too few images of a digit', async () => {
    const short = encodeDigits(fakeDigitImages((digit) => (digit === 9 ? 5 : digit < 8 ? 780 : 300)));
    await expect(fetchDigits('digits.bin', () => undefined, fakeFetch(short))).rejects.toThrow(/9 \(5 of 300\)/);
  });
});
