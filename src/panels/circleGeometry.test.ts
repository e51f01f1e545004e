import { describe, expect, it } from 'vitest';
import { LABEL_RADIUS, TITLE_HEIGHT, circleGeometry, circleLayout, digitThumbnailRgba, subtitleHeight, type CircleCell } from './circleGeometry';

const FONT = 11;
// Room for a gap label outside the circle: 11 × 1.4 + 4.
const LABEL_ROOM = 19.4;

/** The circle with its ring of gap labels lies inside its cell, under the sub-figure title. */
function expectInside(cell: CircleCell): void {
  const { centreX, centreY, radius } = cell.geometry;
  const reach = radius * LABEL_RADIUS + LABEL_ROOM;
  expect(centreX - reach).toBeGreaterThanOrEqual(-1e-9);
  expect(centreX + reach).toBeLessThanOrEqual(cell.width + 1e-9);
  expect(cell.titleTop).toBeGreaterThanOrEqual(0);
  expect(centreY - reach).toBeGreaterThanOrEqual(cell.titleTop + cell.titleHeight - 1e-9);
  expect(centreY + reach).toBeLessThanOrEqual(cell.height + 1e-9);
}

/** The largest radius any grid of equal cells could give n circles in this size. */
function bestPossibleRadius(width: number, height: number, count: number): number {
  let best = 0;
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const side = Math.min(width / columns, (height - TITLE_HEIGHT) / rows - subtitleHeight(FONT));
    best = Math.max(best, (side / 2 - LABEL_ROOM) / LABEL_RADIUS);
  }
  return best;
}

describe('circleLayout', () => {
  it('keeps the single-run circle exactly (the visual baseline depends on it)', () => {
    const size = { width: 420, height: 330 };
    const layout = circleLayout(size, 1, FONT);
    expect(layout.cells).toEqual([{ left: 0, top: 0, width: 420, height: 330, titleHeight: 0, titleTop: 0, geometry: circleGeometry(size, FONT) }]);
  });

  it('puts two runs side by side in a wide panel, each circle as large as its cell allows', () => {
    // Area under the title: 600 × 300. Side by side, each cell is 300 × 300 with a 19 px
    // sub-title: (min(300, 281) / 2 − 19.4) / 1.22 = 99.26. Stacked would give 37.8.
    const layout = circleLayout({ width: 600, height: 326 }, 2, FONT);
    expect([layout.columns, layout.rows]).toEqual([2, 1]);
    expect(layout.cells.map(({ left, top, width, height }) => [left, top, width, height])).toEqual([
      [0, 26, 300, 300],
      [300, 26, 300, 300],
    ]);
    for (const cell of layout.cells) {
      expect(cell.titleHeight).toBe(19);
      // The block of title (19) and circle with labels (2 × 140.5) fills the 300 px height.
      expect(cell.titleTop).toBe(0);
      expect(cell.geometry.centreX).toBe(150);
      expect(cell.geometry.centreY).toBeCloseTo(159.5, 9);
      expect(cell.geometry.radius).toBeCloseTo(99.262, 3);
      expectInside(cell);
    }
  });

  it('keeps each title right above its circle in a tall cell', () => {
    // Side by side in 600 × 526: cells 300 × 500; the circle and its labels take the full
    // 300 px width, so the block of title and circle is 19 + 300 = 319 px, centred: 90 px down.
    const layout = circleLayout({ width: 600, height: 526 }, 2, FONT);
    expect(layout.columns).toBe(2);
    const [cell] = layout.cells;
    expect(cell.titleTop).toBe(90);
    expect(cell.geometry.centreY).toBeCloseTo(90 + 19 + 150, 9);
  });

  it('uses 2 × 2 for four runs in a square panel, and centres a short last row for three', () => {
    const four = circleLayout({ width: 600, height: 626 }, 4, FONT);
    expect([four.columns, four.rows]).toEqual([2, 2]);
    expect(four.cells.map((cell) => [cell.left, cell.top])).toEqual([
      [0, 26],
      [300, 26],
      [0, 326],
      [300, 326],
    ]);
    const three = circleLayout({ width: 600, height: 626 }, 3, FONT);
    expect([three.columns, three.rows]).toEqual([2, 2]);
    expect(three.cells.map((cell) => [cell.left, cell.top])).toEqual([
      [0, 26],
      [300, 26],
      [150, 326],
    ]);
  });

  it('gives every run the same radius, inside its cell and as large as any grid allows', () => {
    for (const [width, height] of [
      [420, 330],
      [331, 300],
      [1000, 280],
      [300, 700],
      [640, 480],
      [1279, 333],
    ]) {
      for (let count = 2; count <= 4; count++) {
        const layout = circleLayout({ width, height }, count, FONT);
        expect(layout.cells).toHaveLength(count);
        const radii = new Set(layout.cells.map((cell) => cell.geometry.radius));
        expect(radii.size).toBe(1);
        for (const cell of layout.cells) {
          expectInside(cell);
          expect(cell.left).toBeGreaterThanOrEqual(0);
          expect(cell.left + cell.width).toBeLessThanOrEqual(width);
          expect(cell.top + cell.height).toBeLessThanOrEqual(height);
        }
        // Rounding the cells to whole pixels may cost at most half a pixel of radius.
        expect(layout.cells[0].geometry.radius).toBeGreaterThan(bestPossibleRadius(width, height, count) - 1);
        // Cells do not overlap.
        for (let i = 0; i < count; i++) {
          for (let j = i + 1; j < count; j++) {
            const a = layout.cells[i];
            const b = layout.cells[j];
            const apart = a.left + a.width <= b.left || b.left + b.width <= a.left || a.top + a.height <= b.top || b.top + b.height <= a.top;
            expect(apart).toBe(true);
          }
        }
      }
    }
  });
});

describe('digitThumbnailRgba', () => {
  it('paints paper where the image is blank and ink where it is full, opaque throughout', () => {
    const pixels = Uint8Array.from([9, 9, 0, 255, 128]);
    const rgba = digitThumbnailRgba(pixels, 2, 3, '#000000', '#ffffff');
    expect(Array.from(rgba)).toEqual([255, 255, 255, 255, 0, 0, 0, 255, 127, 127, 127, 255]);
  });

  it('follows a dark theme: light ink on dark paper', () => {
    const rgba = digitThumbnailRgba(Uint8Array.from([0, 255]), 0, 2, '#e8eaed', '#1f2023');
    expect(Array.from(rgba.slice(0, 3))).toEqual([0x1f, 0x20, 0x23]);
    expect(Array.from(rgba.slice(4, 7))).toEqual([0xe8, 0xea, 0xed]);
  });
});
