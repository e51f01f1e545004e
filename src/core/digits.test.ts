import { describe, expect, it } from 'vitest';
import {
  DIGIT_PIXELS,
  DIGITS_HEADER_BYTES,
  DIGITS_TEST_PER_DIGIT,
  DIGITS_TRAIN_PER_DIGIT,
  DIGITS_UNSEEN_PER_DIGIT,
  decodeDigits,
  digitsAssetName,
  digitsKept,
  digitsSplits,
  encodeDigits,
  missingDigits,
  pixelByte,
  type DigitImages,
} from './digits';
import { fakeDigitImages } from './digitsFixture';

const small = (): DigitImages => fakeDigitImages((digit) => 3 + digit);
const problemOf = (bytes: Uint8Array): string => {
  const decoded = decodeDigits(bytes);
  if (decoded.ok) throw new Error('expected a problem');
  return decoded.problem;
};

describe('the digits asset format', () => {
  it('round-trips labels and pixels', () => {
    const images = small();
    const decoded = decodeDigits(encodeDigits(images));
    if (!decoded.ok) throw new Error(decoded.problem);
    expect(decoded.digits.count).toBe(images.count);
    expect(Array.from(decoded.digits.labels)).toEqual(Array.from(images.labels));
    expect(decoded.digits.pixels).toEqual(images.pixels);
    expect(encodeDigits(images).length).toBe(DIGITS_HEADER_BYTES + images.count * (1 + DIGIT_PIXELS));
  });

  it('rejects a file cut short, at any length, with a sentence that says so', () => {
    const bytes = encodeDigits(small());
    for (const length of [0, 3, DIGITS_HEADER_BYTES - 1]) expect(problemOf(bytes.slice(0, length))).toMatch(/too short/);
    for (const length of [DIGITS_HEADER_BYTES, DIGITS_HEADER_BYTES + 10, bytes.length - 1]) expect(problemOf(bytes.slice(0, length))).toMatch(/cut short/);
  });

  it('rejects a file longer than its header says (a wrong length)', () => {
    const bytes = encodeDigits(small());
    const longer = new Uint8Array(bytes.length + DIGIT_PIXELS);
    longer.set(bytes);
    expect(problemOf(longer)).toMatch(/longer than/);
  });

  it('rejects a header whose count does not fit the body', () => {
    const bytes = encodeDigits(small());
    new DataView(bytes.buffer).setUint32(8, small().count + 1, true);
    expect(problemOf(bytes)).toMatch(/cut short/);
    new DataView(bytes.buffer).setUint32(8, small().count - 1, true);
    expect(problemOf(bytes)).toMatch(/longer than/);
  });

  it('rejects the wrong magic: an HTML error page served under the asset name', () => {
    const page = new TextEncoder().encode('<!doctype html><html><body>Not found</body></html>');
    expect(problemOf(page)).toMatch(/not a digits file/);
    const bytes = encodeDigits(small());
    bytes[0] ^= 0xff;
    expect(problemOf(bytes)).toMatch(/not a digits file/);
  });

  it('rejects another format version and another image size', () => {
    const version = encodeDigits(small());
    version[4] = 2;
    expect(problemOf(version)).toMatch(/version 2/);
    const size = encodeDigits(small());
    size[5] = 27;
    expect(problemOf(size)).toMatch(/27×28/);
  });

  it('rejects a damaged body (checksum) and a label that is not a digit', () => {
    const flipped = encodeDigits(small());
    flipped[flipped.length - 1] ^= 1;
    expect(problemOf(flipped)).toMatch(/damaged/);
    const images = small();
    images.labels[0] = 12;
    expect(problemOf(encodeDigits(images))).toMatch(/labels image 0 as 12/);
  });

  it('quantises pixels in [0, 1] to bytes, clamping the rest', () => {
    expect([0, 1, 0.5, -0.2, 1.7, Number.NaN].map(pixelByte)).toEqual([0, 255, 128, 0, 255, 0]);
  });

  it('names the file by its content hash', () => {
    expect(digitsAssetName('0123456789abcdef0123')).toBe('digits-0123456789ab.bin');
  });
});

describe('the digits splits', () => {
  const full = fakeDigitImages();

  it('keeps 780 images of 0–7 and 300 of 8 and 9, and says which digit falls short', () => {
    expect(missingDigits(full)).toBeNull();
    expect(missingDigits(fakeDigitImages((digit) => (digit === 3 ? 10 : digitsKept(digit))))).toMatch(/3 \(10 of 780\)/);
  });

  it('trains on the first n images of each digit, tests on images 600–779, and never on the same image', () => {
    const splits = digitsSplits(full.labels, 8, 600);
    expect(splits.train.images.length).toBe(8 * DIGITS_TRAIN_PER_DIGIT);
    expect(splits.test.images.length).toBe(8 * DIGITS_TEST_PER_DIGIT);
    expect(splits.unseen.images.length).toBe(2 * DIGITS_UNSEEN_PER_DIGIT);
    const trainSet = new Set(splits.train.images);
    expect(Array.from(splits.test.images).some((image) => trainSet.has(image))).toBe(false);
    // Interleaved: sample i is of identity i mod 8, and its image carries that digit's label.
    splits.train.images.forEach((image, i) => {
      expect(splits.train.labels[i]).toBe(i % 8);
      expect(full.labels[image]).toBe(i % 8);
    });
    splits.unseen.images.forEach((image, i) => {
      expect(full.labels[image]).toBe(8 + splits.unseen.labels[i]);
    });
  });

  it('caps n at the 600 images set aside for training, and identities at 8', () => {
    const splits = digitsSplits(full.labels, 12, 1500);
    expect(splits.train.classes).toBe(8);
    expect(splits.train.images.length).toBe(8 * DIGITS_TRAIN_PER_DIGIT);
    expect(digitsSplits(full.labels, 3, 20).train.images.length).toBe(60);
  });
});
