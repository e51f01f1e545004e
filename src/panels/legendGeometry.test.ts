import { describe, expect, it } from 'vitest';
import { legendSwatchWidth, placeLegend, shortenToFit } from './legendGeometry';

// At font 10 a character is estimated at 6 px and a bold letter at 6.9 px, so an entry is
// swatch 20 + 4 + letter 6.9 + 3 = 33.9 px before its text.
const FONT = 10;
const SWATCH = 20;
const HEAD = 33.9;
const RUNS = [
  { letter: 'A', text: 'Softmax' },
  { letter: 'B', text: 'ArcFace (0.5)' },
  { letter: 'C', text: 'CosFace (0.35)' },
  { letter: 'D', text: 'SphereFace (1.35)' },
];

describe('placeLegend', () => {
  it('puts entries side by side while they fit, one row of 15 px (font × 1.45, rounded up)', () => {
    const placement = placeLegend(RUNS.slice(0, 2), 400, FONT, SWATCH);
    expect(placement.rows).toBe(1);
    expect(placement.rowHeight).toBe(15);
    expect(placement.height).toBe(15);
    const [a, b] = placement.items;
    expect(a.x).toBe(0);
    expect(a.y).toBe(7.5);
    expect(a.letterX).toBe(24);
    expect(a.textX).toBeCloseTo(HEAD, 9);
    expect(a.width).toBeCloseTo(HEAD + 42, 9);
    // After A's 75.9 px and a gap of one font size.
    expect(b.x).toBeCloseTo(85.9, 9);
    expect(b.y).toBe(7.5);
    expect(b.text).toBe('ArcFace (0.5)');
  });

  it('wraps an entry that would cross the width onto a new row', () => {
    const placement = placeLegend(RUNS.slice(0, 2), 150, FONT, SWATCH);
    expect(placement.rows).toBe(2);
    expect(placement.height).toBe(30);
    expect(placement.items[1].x).toBe(0);
    expect(placement.items[1].y).toBe(22.5);
  });

  it('places 1 to 4 runs inside the width, without overlaps, in reading order', () => {
    for (const width of [120, 200, 320, 640, 1200]) {
      for (let count = 1; count <= 4; count++) {
        const placement = placeLegend(RUNS.slice(0, count), width, FONT, SWATCH);
        expect(placement.items).toHaveLength(count);
        for (const item of placement.items) {
          expect(item.x).toBeGreaterThanOrEqual(0);
          expect(item.x + item.width).toBeLessThanOrEqual(width + 1e-9);
        }
        for (let i = 1; i < count; i++) {
          const before = placement.items[i - 1];
          const item = placement.items[i];
          if (item.y === before.y) expect(item.x).toBeGreaterThanOrEqual(before.x + before.width);
          else expect(item.y).toBeGreaterThan(before.y);
        }
        expect(placement.height).toBe(placement.rows * placement.rowHeight);
      }
    }
  });

  it('shortens a name that cannot fit even alone, keeping swatch and letter', () => {
    const [item] = placeLegend(RUNS.slice(0, 1), 60, FONT, SWATCH).items;
    // 26.1 px left for text: 4 characters of 6 px, one of them the ellipsis.
    expect(item.text).toBe('Sof…');
    expect(item.width).toBeCloseTo(HEAD + 24, 9);
  });

  it('tries the shorter forms of a name too wide to fit alone, and cuts only the last', () => {
    const entry = { letter: 'B', text: 'ArcFace (0.5): Δθ2 = 57.3°', shorter: ['ArcFace: Δθ2 = 57.3°', 'Δθ2 = 57.3°'] };
    // Font 10: 6 px a character. Room for text: width − HEAD.
    expect(placeLegend([entry], HEAD + 26 * 6, FONT, SWATCH).items[0].text).toBe('ArcFace (0.5): Δθ2 = 57.3°');
    expect(placeLegend([entry], HEAD + 25 * 6, FONT, SWATCH).items[0].text).toBe('ArcFace: Δθ2 = 57.3°');
    expect(placeLegend([entry], HEAD + 19 * 6, FONT, SWATCH).items[0].text).toBe('Δθ2 = 57.3°');
    expect(placeLegend([entry], HEAD + 10 * 6, FONT, SWATCH).items[0].text).toBe('Δθ2 = 57.…');
  });

  it('with rows wanted, shortens every entry a form at a time until the legend takes that many rows', () => {
    const entries = ['A', 'B', 'C', 'D'].map((letter) => ({ letter, text: 'Run name (0.35): Δθ2 = 57.3°', shorter: ['Run name: Δθ2 = 57.3°', 'Δθ2 = 57.3°'] }));
    // Entries of 33.9 + 28 × 6, 21 × 6 or 11 × 6 px, 10 px apart, in 220 px: one a row, one a row, then two a row.
    const width = 220;
    expect(placeLegend(entries, width, FONT, SWATCH).rows).toBe(4);
    const two = placeLegend(entries, width, FONT, SWATCH, 2);
    expect(two.rows).toBe(2);
    expect(two.items.map((item) => item.text)).toEqual(['Δθ2 = 57.3°', 'Δθ2 = 57.3°', 'Δθ2 = 57.3°', 'Δθ2 = 57.3°']);
    // In 120 px no form saves a row: each entry is only shortened as far as it must be to fit.
    const narrow = placeLegend(entries, 120, FONT, SWATCH, 2);
    expect(narrow.rows).toBe(4);
    expect(narrow.items[0].text).toBe('Δθ2 = 57.3°');
    // A legend already within the rows wanted keeps the full names.
    expect(placeLegend(entries, 1000, FONT, SWATCH, 2).items[0].text).toBe('Run name (0.35): Δθ2 = 57.3°');
  });

  it('takes no room without entries', () => {
    expect(placeLegend([], 300, FONT, SWATCH)).toMatchObject({ items: [], rows: 0, height: 0 });
  });
});

describe('legend helpers', () => {
  it('makes swatches long enough for run D’s whole dash period (9 line widths)', () => {
    expect(legendSwatchWidth(11, 2.5)).toBe(23);
    expect(legendSwatchWidth(16, 4)).toBe(36);
    expect(legendSwatchWidth(12, 1)).toBe(24);
  });

  it('shortens text to fit with an ellipsis, or to nothing', () => {
    expect(shortenToFit('Softmax', 42, 10)).toBe('Softmax');
    // 41 px holds 6 characters: 5 letters and the ellipsis.
    expect(shortenToFit('Softmax', 41, 10)).toBe('Softm…');
    expect(shortenToFit('Softmax', 11, 10)).toBe('');
  });
});
