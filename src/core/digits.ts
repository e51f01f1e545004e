/**
 * The handwritten-digits asset: MNIST images as uint8 pixels with their labels, in one
 * small binary file that the build writes from the `mnist` package's JSON. The encoder
 * (used by the build and the Node tools) and the decoder (used by the worker) both live
 * here, so a change to the format is one change. The decoder trusts nothing: a file cut
 * short by a network error, a stale file of another length, or an HTML error page served
 * under the asset's name is each rejected with a sentence that says which.
 *
 * Layout, little-endian:
 *   0  magic 'AFDG'       4  version (1)     5  rows     6  columns     7  reserved (0)
 *   8  image count (u32)  12 FNV-1a checksum (u32) of everything after the header
 *   16 one label byte per image, then rows × columns pixel bytes per image
 */

export const DIGITS_MAGIC = [0x41, 0x46, 0x44, 0x47] as const; // 'AFDG'
export const DIGITS_VERSION = 1;
export const DIGITS_HEADER_BYTES = 16;
export const DIGIT_SIDE = 28;
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;

/**
 * How the images are used, and so how many of each digit the asset holds. Digits 0–7
 * are the trained identities: the first TRAIN of each may be trained on, the next TEST
 * never are (the prototype: images 0–599 and 600–779). Digits 8 and 9 are the
 * unseen identities, UNSEEN of each. The rest of the package's 10,000 images is left out
 * of the asset, as nothing would read it.
 */
export const DIGITS_TRAIN_PER_DIGIT = 600;
export const DIGITS_TEST_PER_DIGIT = 180;
export const DIGITS_UNSEEN_PER_DIGIT = 300;
export const DIGITS_TRAINED = [0, 1, 2, 3, 4, 5, 6, 7] as const;
export const DIGITS_UNSEEN = [8, 9] as const;

/** Images of `digit` the asset keeps. */
export function digitsKept(digit: number): number {
  return digit < DIGITS_TRAINED.length ? DIGITS_TRAIN_PER_DIGIT + DIGITS_TEST_PER_DIGIT : DIGITS_UNSEEN_PER_DIGIT;
}

/** Decoded images, in the asset's order. */
export interface DigitImages {
  rows: number;
  columns: number;
  count: number;
  labels: Uint8Array;
  /** count × rows × columns, 0 (paper) to 255 (ink). */
  pixels: Uint8Array;
}

export type DecodedDigits = { ok: true; digits: DigitImages } | { ok: false; problem: string };

/** 32-bit FNV-1a: cheap, and enough to tell a damaged file from a sound one (not a defence against forgery). */
export function fnv1a(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= bytes[i];
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A pixel in [0, 1] as a byte; out-of-range and non-finite values are clamped, not wrapped. */
export function pixelByte(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  if (value >= 1) return 255;
  return Math.round(value * 255);
}

export function encodeDigits(images: DigitImages): Uint8Array {
  const imageBytes = images.rows * images.columns;
  if (images.labels.length !== images.count || images.pixels.length !== images.count * imageBytes) {
    throw new Error(`encodeDigits: ${images.count} images need ${images.count} labels and ${images.count * imageBytes} pixels`);
  }
  const bytes = new Uint8Array(DIGITS_HEADER_BYTES + images.count * (1 + imageBytes));
  bytes.set(DIGITS_MAGIC, 0);
  bytes[4] = DIGITS_VERSION;
  bytes[5] = images.rows;
  bytes[6] = images.columns;
  const view = new DataView(bytes.buffer);
  view.setUint32(8, images.count, true);
  bytes.set(images.labels, DIGITS_HEADER_BYTES);
  bytes.set(images.pixels, DIGITS_HEADER_BYTES + images.count);
  view.setUint32(12, fnv1a(bytes, DIGITS_HEADER_BYTES), true);
  return bytes;
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

/** Checks and decodes an asset. Never throws; the arrays share the input's buffer. */
export function decodeDigits(bytes: Uint8Array): DecodedDigits {
  if (bytes.length < DIGITS_HEADER_BYTES) return { ok: false, problem: `the digits file is ${bytes.length} bytes long, too short to be one` };
  if (DIGITS_MAGIC.some((byte, index) => bytes[index] !== byte)) return { ok: false, problem: 'the digits file is not a digits file (its first bytes are wrong)' };
  if (bytes[4] !== DIGITS_VERSION) return { ok: false, problem: `the digits file has format version ${bytes[4]}, and this page reads version ${DIGITS_VERSION}` };
  const rows = bytes[5];
  const columns = bytes[6];
  if (rows !== DIGIT_SIDE || columns !== DIGIT_SIDE) return { ok: false, problem: `the digits file holds ${rows}×${columns} images, not ${DIGIT_SIDE}×${DIGIT_SIDE}` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const expected = DIGITS_HEADER_BYTES + count * (1 + rows * columns);
  if (bytes.length < expected) return { ok: false, problem: `the digits file is cut short: ${kib(bytes.length)} of ${kib(expected)}` };
  if (bytes.length > expected) return { ok: false, problem: `the digits file is ${kib(bytes.length)}, longer than the ${kib(expected)} its header gives` };
  if (fnv1a(bytes, DIGITS_HEADER_BYTES) !== view.getUint32(12, true)) return { ok: false, problem: 'the digits file is damaged (its checksum does not match)' };
  const labels = bytes.subarray(DIGITS_HEADER_BYTES, DIGITS_HEADER_BYTES + count);
  const badLabel = labels.findIndex((label) => label > 9);
  if (badLabel >= 0) return { ok: false, problem: `the digits file labels image ${badLabel} as ${labels[badLabel]}, which is not a digit` };
  return { ok: true, digits: { rows, columns, count, labels, pixels: bytes.subarray(DIGITS_HEADER_BYTES + count) } };
}

/** Indices of each digit's images, in the asset's order. */
export function indicesByDigit(labels: Uint8Array): number[][] {
  const byDigit: number[][] = Array.from({ length: 10 }, () => []);
  labels.forEach((label, index) => {
    byDigit[label]?.push(index);
  });
  return byDigit;
}

/** Whether the asset holds at least the images the dataset reads of every digit. */
export function missingDigits(digits: DigitImages): string | null {
  const byDigit = indicesByDigit(digits.labels);
  const short = byDigit.map((indices, digit) => ({ digit, have: indices.length, need: digitsKept(digit) })).filter(({ have, need }) => have < need);
  if (short.length === 0) return null;
  return `the digits file has too few images of ${short.map(({ digit, have, need }) => `${digit} (${have} of ${need})`).join(', ')}`;
}

/** The asset's file name: its content hash names it, so a cache may keep it for ever. */
export function digitsAssetName(hashHex: string): string {
  return `digits-${hashHex.slice(0, 12)}.bin`;
}

/** Which asset image each sample of a split is, and its label (class index in that split). */
export interface DigitsSplit {
  images: Int32Array;
  labels: Int32Array;
  classes: number;
}

export interface DigitsSplits {
  train: DigitsSplit;
  /** Images TRAIN…TRAIN+TEST of each trained digit: never trained on. */
  test: DigitsSplit;
  /** Digits 8 and 9, labelled 0 and 1. */
  unseen: DigitsSplit;
}

/**
 * Samples interleave the identities (sample i is of identity i mod classes), as the
 * synthetic data do, so any prefix holds every identity; the k-th sample of a digit is
 * its k-th image. Nothing is drawn at random: the split is the same for every seed,
 * which seeds the weights and the batch order.
 */
function interleaved(byDigit: readonly number[][], digits: readonly number[], from: number, perClass: number): DigitsSplit {
  const classes = digits.length;
  const images = new Int32Array(classes * perClass);
  const labels = new Int32Array(classes * perClass);
  for (let i = 0; i < images.length; i++) {
    const label = i % classes;
    const image = byDigit[digits[label]]?.[from + Math.floor(i / classes)];
    if (image === undefined) throw new Error(`the digits asset has no image ${from + Math.floor(i / classes)} of ${digits[label]}`);
    images[i] = image;
    labels[i] = label;
  }
  return { images, labels, classes };
}

/** The trained digits for `identities` (at most 8: 0 to identities − 1). */
export function trainedDigits(identities: number): number[] {
  return DIGITS_TRAINED.slice(0, Math.max(2, Math.min(DIGITS_TRAINED.length, Math.floor(identities))));
}

/** Training samples per digit for a requested n (at most the TRAIN images set aside). */
export function digitsPerIdentity(samplesPerIdentity: number): number {
  return Math.max(1, Math.min(DIGITS_TRAIN_PER_DIGIT, Math.floor(samplesPerIdentity)));
}

export function digitsSplits(labels: Uint8Array, identities: number, samplesPerIdentity: number): DigitsSplits {
  const byDigit = indicesByDigit(labels);
  const trained = trainedDigits(identities);
  return {
    train: interleaved(byDigit, trained, 0, digitsPerIdentity(samplesPerIdentity)),
    test: interleaved(byDigit, trained, DIGITS_TRAIN_PER_DIGIT, DIGITS_TEST_PER_DIGIT),
    unseen: interleaved(byDigit, DIGITS_UNSEEN, 0, DIGITS_UNSEEN_PER_DIGIT),
  };
}
