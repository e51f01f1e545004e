import { describe, expect, it } from 'vitest';
import { PAPER_FOLD_BELOW, formatDegrees, formatShare, headerLineCount, paperToggleHeight, statsLayout, statsLayoutWithPaper } from './statsLayout';

const ROWS = ['W-EC', 'W-Inter', 'Intra1', 'Inter1', 'Intra2', 'Inter2', 'Arc gap', 'Train acc.', 'Verif. acc.'];
const PAPER = [
  { text: 'paper NS', chip: false },
  { text: 'paper Arc\u00adFace', chip: false },
];
const RUNS = ['Softmax', 'ArcFace', 'CosFace', 'SphereFace'].map((text, index) => ({ text, chip: true, letter: 'ABCD'[index] }));
const NOTE = 'The paper trained 10k identities; with 8, centres spread to about 45° (360/8), so Inter saturates there. Hover a row for its definition.';

describe('headerLineCount', () => {
  // Font 10: 6 px a character, a space 6 px.
  it('wraps words greedily after the chip', () => {
    // chip 28 | ArcFace 42 (28 + 6 + 42 > 60) | (0.5) 30 (42 + 6 + 30 > 60): three lines.
    expect(headerLineCount({ text: 'ArcFace (0.5)', chip: true }, 60, 10, 28)).toBe(3);
    expect(headerLineCount({ text: 'ArcFace (0.5)', chip: false }, 80, 10, 28)).toBe(1);
    expect(headerLineCount({ text: 'paper NS', chip: false }, 47, 10, 28)).toBe(2);
  });

  it('breaks a word wider than the line across lines', () => {
    // Norm-Softmax: 72 px in 60 → 2 lines, 12 px on the second; "x" fits after it.
    expect(headerLineCount({ text: 'Norm-Softmax x', chip: false }, 60, 10, 28)).toBe(2);
    expect(headerLineCount({ text: 'Norm-Softmax', chip: false }, 30, 10, 28)).toBe(3);
  });
});

describe('statsLayout', () => {
  it('fits one run and the paper at the page font with the note', () => {
    const layout = statsLayout({ width: 330, height: 300 }, 12, ROWS, [{ text: 'live', chip: false }, ...PAPER], 'in degrees', NOTE);
    expect(layout.fontSize).toBe(12);
    expect(layout.fits).toBe(true);
    expect(layout.showNote).toBe(true);
    // Row height is font × 1.55, rounded up; a value column holds the bold header word
    // 'ArcFace' (7 × 0.6 × 10.2 × 1.15 = 49.3 px, wider than 3.6 em of figures) plus 2 × 4 px padding.
    expect(layout.rowHeight).toBe(19);
    expect(layout.valueWidth).toBe(58);
  });

  it('fits four runs beside the paper in a third of a 1280 × 720 page, at the page and the projector font', () => {
    for (const base of [12, 17]) {
      const layout = statsLayout({ width: 330, height: 300 }, base, ROWS, [...RUNS, ...PAPER], 'in degrees', NOTE);
      expect(layout.fits).toBe(true);
      expect(layout.tableWidth + 12).toBeLessThanOrEqual(330);
      expect(layout.tableHeight).toBeLessThanOrEqual(300 - 26 - 4);
      expect(layout.fontSize).toBeGreaterThanOrEqual(9);
    }
  });

  it('shrinks the font in 10% steps only as far as it must', () => {
    const layout = statsLayout({ width: 330, height: 300 }, 17, ROWS, [...RUNS, ...PAPER], 'in degrees', NOTE);
    expect(layout.fontSize).toBeLessThan(17);
    const larger = statsLayout({ width: 330, height: 300 }, layout.fontSize / 0.9, ROWS, [...RUNS, ...PAPER], 'in degrees', NOTE);
    expect(larger.fontSize).toBeCloseTo(layout.fontSize, 9);
    const wide = statsLayout({ width: 1200, height: 700 }, 17, ROWS, [...RUNS, ...PAPER], 'in degrees', NOTE);
    expect(wide.fontSize).toBe(17);
  });

  it('drops the note before the table runs out of room', () => {
    // The table takes 30 + 9 × 19 = 201 of the 210 px under the title: no room for the note's lines.
    const layout = statsLayout({ width: 330, height: 240 }, 12, ROWS, [{ text: 'live', chip: false }, ...PAPER], 'in degrees', NOTE);
    expect(layout.fontSize).toBe(12);
    expect(layout.tableHeight).toBe(201);
    expect(layout.fits).toBe(true);
    expect(layout.showNote).toBe(false);
  });
});

describe('run headers', () => {
  it('names the runs in their headers while the names fit whole, a font step down if need be', () => {
    // At 12 px four columns of 58 px (bold 'ArcFace') and the labels take 319 of 318 px.
    const layout = statsLayout({ width: 330, height: 300 }, 12, ROWS, [...RUNS.slice(0, 2), ...PAPER], 'in degrees', NOTE);
    expect(layout.headerMode).toBe('names');
    expect(layout.fontSize).toBeCloseTo(10.8, 9);
    expect(layout.key.rows).toBe(0);
    expect(statsLayout({ width: 400, height: 300 }, 12, ROWS, [...RUNS.slice(0, 2), ...PAPER], 'in degrees', NOTE)).toMatchObject({ headerMode: 'names', fontSize: 12 });
  });

  it('heads four runs by letter with a key beneath, rather than break a name mid-word', () => {
    const layout = statsLayout({ width: 330, height: 300 }, 12, ROWS, [...RUNS, ...PAPER], 'in degrees', NOTE);
    expect(layout.headerMode).toBe('letters');
    expect(layout.key.items.map((item) => item.text)).toEqual(['Softmax', 'ArcFace', 'CosFace', 'SphereFace']);
    expect(layout.key.height).toBeGreaterThan(0);
    expect(layout.tableHeight + layout.key.height).toBeLessThanOrEqual(300 - 26 - 4);
    // The paper's ArcFace header may break only at its soft hyphen: 'Face' fits a line.
    expect(layout.valueWidth - 2 * layout.padding).toBeGreaterThanOrEqual(4 * 0.6 * 1.15 * layout.headerFontSize);
  });

  it('keeps the single-run table free of chips and key', () => {
    const layout = statsLayout({ width: 330, height: 300 }, 17, ROWS, [{ text: 'live', chip: false }, ...PAPER], 'in degrees', NOTE);
    expect(layout.headerMode).toBe('names');
    expect(layout.key.rows).toBe(0);
    expect(layout.fits).toBe(true);
  });
});

describe("the paper's columns in compare mode", () => {
  const runs = (count: number) => RUNS.slice(0, count);
  const live = [{ text: 'live', chip: false }];
  /** Table 3's cell in compare mode on a 1280 × 720 projector page with the controls open (measured in e2e/layout.spec.ts). */
  const PROJECTOR_CELL = { width: 243, height: 267 };
  /** The projector theme's 16 px, plus the 1 px the table adds. */
  const PROJECTOR_FONT = 17;

  it('stay when the table fits at the theme font or close to it, and a single run never folds them', () => {
    // Light theme, two runs: 10.8 px of 12 (0.9) is close enough.
    expect(statsLayoutWithPaper({ width: 330, height: 300 }, 12, ROWS, runs(2), PAPER, 'in degrees', NOTE, { foldable: true, paperWanted: false })).toMatchObject({ paperShown: true, offered: false });
    const single = statsLayoutWithPaper(PROJECTOR_CELL, PROJECTOR_FONT, ROWS, live, PAPER, 'in degrees', NOTE, { foldable: false, paperWanted: false });
    expect(single).toMatchObject({ paperShown: true, offered: false });
    expect(single.layout.toggleHeight).toBe(0);
  });

  it('fold behind a button where they would shrink the runs below 85% of the theme font, which buys larger type', () => {
    const full = statsLayout(PROJECTOR_CELL, PROJECTOR_FONT, ROWS, [...runs(2), ...PAPER], 'in degrees', NOTE);
    expect(full.fontSize).toBeLessThan(PROJECTOR_FONT * PAPER_FOLD_BELOW);
    const folded = statsLayoutWithPaper(PROJECTOR_CELL, PROJECTOR_FONT, ROWS, runs(2), PAPER, 'in degrees', NOTE, { foldable: true, paperWanted: false });
    expect(folded).toMatchObject({ paperShown: false, offered: true });
    // 9 px (the floor) with the paper, 12.4 px without.
    expect(full.fontSize).toBeCloseTo(9.034, 3);
    expect(folded.layout.fontSize).toBeCloseTo(12.393, 3);
    expect(folded.layout.fits).toBe(true);
  });

  it('come back at the smaller type when asked for, with room kept for the button to fold them again', () => {
    const shown = statsLayoutWithPaper(PROJECTOR_CELL, PROJECTOR_FONT, ROWS, runs(2), PAPER, 'in degrees', NOTE, { foldable: true, paperWanted: true });
    expect(shown).toMatchObject({ paperShown: true, offered: true });
    expect(shown.layout.fits).toBe(true);
    expect(shown.layout.toggleHeight).toBe(paperToggleHeight(shown.layout.headerFontSize));
    const keyRoom = shown.layout.key.height > 0 ? shown.layout.key.height + 4 : 0;
    expect(shown.layout.tableHeight + keyRoom + shown.layout.toggleHeight).toBeLessThanOrEqual(PROJECTOR_CELL.height - 26 - 4);
    expect(shown.layout.tableWidth + 12).toBeLessThanOrEqual(PROJECTOR_CELL.width);
  });

  it('are not folded when folding would not make the type larger', () => {
    // A wide, short cell: the rows' height limits the type with or without the paper.
    const flat = { width: 900, height: 200 };
    const full = statsLayout(flat, PROJECTOR_FONT, ROWS, [...runs(2), ...PAPER], 'in degrees', NOTE);
    expect(full.fontSize).toBeLessThan(PROJECTOR_FONT * PAPER_FOLD_BELOW);
    expect(statsLayoutWithPaper(flat, PROJECTOR_FONT, ROWS, runs(2), PAPER, 'in degrees', NOTE, { foldable: true, paperWanted: false })).toMatchObject({ paperShown: true, offered: false });
  });
});

describe('cell values', () => {
  it('write angles to a tenth of a degree, and from 100° on in whole degrees, so no cell is wider than "-45.0°"', () => {
    expect(formatDegrees(38.45)).toBe('38.5°');
    expect(formatDegrees(-45.04)).toBe('-45.0°');
    expect(formatDegrees(99.94)).toBe('99.9°');
    expect(formatDegrees(99.96)).toBe('100°');
    expect(formatDegrees(-279.1)).toBe('-279°');
    expect(formatDegrees(-341.4)).toBe('-341°');
    expect(formatDegrees(Number.NaN)).toBe('–');
    for (const value of [-359.9, -120, -99.96, -45.04, 0, 99.96, 180]) expect(formatDegrees(value).length, String(value)).toBeLessThanOrEqual('-45.0°'.length);
  });

  it('write shares to a tenth of a percent, a full one as 100%', () => {
    expect(formatShare(0.9734)).toBe('97.3%');
    expect(formatShare(0.99996)).toBe('100%');
    expect(formatShare(Number.POSITIVE_INFINITY)).toBe('–');
  });
});
