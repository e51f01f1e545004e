/**
 * Test data for the digits code: a fake asset whose every image is one flat grey that
 * names it, so a test can tell images apart without the 5 MB of real digits.
 */
import { DIGIT_PIXELS, DIGIT_SIDE, digitsKept, type DigitImages } from './digits';

export function fakeDigitImages(perDigit: (digit: number) => number = digitsKept): DigitImages {
  const counts = Array.from({ length: 10 }, (_, digit) => perDigit(digit));
  const count = counts.reduce((total, n) => total + n, 0);
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * DIGIT_PIXELS);
  let image = 0;
  counts.forEach((n, digit) => {
    for (let k = 0; k < n; k++, image++) {
      labels[image] = digit;
      pixels.fill((image * 7) % 256, image * DIGIT_PIXELS, (image + 1) * DIGIT_PIXELS);
    }
  });
  return { rows: DIGIT_SIDE, columns: DIGIT_SIDE, count, labels, pixels };
}
