/**
 * Node only: builds the digits asset (src/core/digits.ts) from the `mnist` package's
 * JSON, for the build (vite.config.ts writes it as a hashed file), the CLI and the tests.
 * Nothing here runs in the browser, which fetches the built file instead.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DIGIT_PIXELS, DIGIT_SIDE, decodeDigits, digitsAssetName, digitsKept, encodeDigits, pixelByte, type DigitImages } from '../core/digits.ts';

export interface DigitsAsset {
  bytes: Uint8Array;
  /** digits-<content hash>.bin */
  fileName: string;
}

let built: DigitsAsset | null = null;

/** The package's folder of per-digit JSON files ({ "data": [pixels in [0, 1], 784 per image, …] }). */
function mnistFolder(): string {
  const packageJson = createRequire(import.meta.url).resolve('mnist/package.json');
  return join(dirname(packageJson), 'src', 'digits');
}

function readDigit(folder: string, digit: number): number[] {
  const parsed: unknown = JSON.parse(readFileSync(join(folder, `${digit}.json`), 'utf8'));
  const data = (parsed as { data?: unknown }).data;
  if (!Array.isArray(data) || data.length % DIGIT_PIXELS !== 0) throw new Error(`mnist/src/digits/${digit}.json does not hold whole 28×28 images`);
  return data as number[];
}

/** Converts the package's JSON once per process (about half a second) and keeps the result. */
export function buildDigitsAsset(): DigitsAsset {
  if (built) return built;
  const folder = mnistFolder();
  const perDigit = Array.from({ length: 10 }, (_, digit) => {
    const data = readDigit(folder, digit);
    const kept = digitsKept(digit);
    if (data.length / DIGIT_PIXELS < kept) throw new Error(`mnist has ${data.length / DIGIT_PIXELS} images of ${digit}; the asset needs ${kept}`);
    return data.slice(0, kept * DIGIT_PIXELS);
  });
  const count = perDigit.reduce((total, data) => total + data.length / DIGIT_PIXELS, 0);
  const images: DigitImages = { rows: DIGIT_SIDE, columns: DIGIT_SIDE, count, labels: new Uint8Array(count), pixels: new Uint8Array(count * DIGIT_PIXELS) };
  let image = 0;
  perDigit.forEach((data, digit) => {
    const n = data.length / DIGIT_PIXELS;
    images.labels.fill(digit, image, image + n);
    for (let i = 0; i < data.length; i++) images.pixels[image * DIGIT_PIXELS + i] = pixelByte(data[i]);
    image += n;
  });
  const bytes = encodeDigits(images);
  const hash = createHash('sha256').update(bytes).digest('hex');
  built = { bytes, fileName: digitsAssetName(hash) };
  return built;
}

/** The decoded digits for Node (CLI, tests), through the same decoder as the browser. */
export function loadDigitsInNode(): DigitImages {
  const decoded = decodeDigits(buildDigitsAsset().bytes);
  if (!decoded.ok) throw new Error(decoded.problem);
  return decoded.digits;
}
