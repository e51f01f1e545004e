import { describe, expect, it } from 'vitest';
import {
  LABEL_RADIUS,
  TITLE_HEIGHT,
  circleGeometry,
  circleLayout,
  digitThumbnailRgba,
  fitTitle,
  gapLabelRoom,
  leftOutGapsText,
  placeGapLabels,
  subtitleHeight,
  type CircleCell,
  type GapLabelRoom,
} from './circleGeometry';

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

describe('placeGapLabels', () => {
  // A circle of radius 100 at (200, 200) in a 400 × 400 cell: labels sit 122 px from the centre.
  const GEOMETRY = { centreX: 200, centreY: 200, radius: 100 };
  const OPEN: GapLabelRoom = { bounds: { left: 0, top: 0, right: 400, bottom: 400 }, obstacles: [] };
  const label = (angle: number) => ({ angle, width: 30, height: 13 });
  const centres = (placed: ReturnType<typeof placeGapLabels>) => placed.map((entry) => (entry ? [entry.x, entry.y] : null));

  it('leaves labels that are far apart at LABEL_RADIUS along their angles', () => {
    const placed = placeGapLabels(GEOMETRY, [0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2].map(label), OPEN);
    const expected = [
      [322, 200],
      [200, 78],
      [78, 200],
      [200, 322],
    ];
    centres(placed).forEach((centre, index) => {
      expect(centre?.[0]).toBeCloseTo(expected[index][0], 9);
      expect(centre?.[1]).toBeCloseTo(expected[index][1], 9);
    });
    expect(placed[0]?.box).toEqual({ left: 307, top: 193.5, right: 337, bottom: 206.5 });
  });

  it('pushes the second of two labels at one angle out along its radius until the two are apart', () => {
    // At angle 0 a step is (30 + 0 + 2) / 2 = 16 px. The first label spans x 307–337; at
    // 122 + 16 the second would start at 323, at 122 + 32 = 154 it starts at 339: 2 px clear.
    const placed = placeGapLabels(GEOMETRY, [label(0), label(0)], OPEN);
    expect(centres(placed)).toEqual([
      [322, 200],
      [354, 200],
    ]);
  });

  it('separates two labels at nearly the same angle above the circle', () => {
    // 0.05 rad apart at the top: a step is (|cos| · 30 + |sin| · 13 + 2) / 2 = 8.2416 px.
    // The first spans y 71.5–84.5; one step out the second ends at y 76.42, two steps out
    // (reach 138.48) at 68.19, clear of 71.5 − 2. Its centre: (193.08, 61.69).
    const placed = placeGapLabels(GEOMETRY, [label(Math.PI / 2), label(Math.PI / 2 + 0.05)], OPEN);
    expect(placed[0]?.y).toBeCloseTo(78, 9);
    expect(placed[1]?.x).toBeCloseTo(193.08, 2);
    expect(placed[1]?.y).toBeCloseTo(61.69, 2);
    expect((placed[0]?.box.top ?? 0) - (placed[1]?.box.bottom ?? 0)).toBeGreaterThanOrEqual(2);
  });

  it('keeps labels inside the bounds, and leaves out one that finds no free place', () => {
    // A 330 px wide cell: the label at angle 0 (x 322 ± 15) is moved left to end at 330;
    // the second, pushed out, is moved back onto it every time.
    const narrow: GapLabelRoom = { bounds: { left: 0, top: 0, right: 330, bottom: 400 }, obstacles: [] };
    const placed = placeGapLabels(GEOMETRY, [label(0), label(0)], narrow);
    expect(centres(placed)).toEqual([[315, 200], null]);
  });

  it('moves a label off other text of the panel, and leaves it out when it cannot', () => {
    // A title box over y 40–80 above the circle: the top label (y 71.5–84.5) steps out
    // (13 + 2) / 2 = 7.5 px at a time, to y 48 ± 6.5 at most, still on it, so it is left
    // out; one at the side keeps its place.
    const title: GapLabelRoom = { bounds: OPEN.bounds, obstacles: [{ left: 100, top: 40, right: 300, bottom: 80 }] };
    expect(centres(placeGapLabels(GEOMETRY, [label(Math.PI / 2), label(0)], title))).toEqual([null, [322, 200]]);
    // A low obstacle (y 80–86) only: one step out, at y 70.5 (box 64–77), the label is clear.
    const low: GapLabelRoom = { bounds: OPEN.bounds, obstacles: [{ left: 190, top: 80, right: 210, bottom: 86 }] };
    const placed = placeGapLabels(GEOMETRY, [label(Math.PI / 2)], low);
    expect(placed[0]?.x).toBeCloseTo(200, 9);
    expect(placed[0]?.y).toBeCloseTo(70.5, 9);
  });
});

describe('gapLabelRoom and leftOutGapsText', () => {
  it('keeps a compare cell’s labels under its sub-figure title, and moves the panel title into the cell’s pixels', () => {
    const cell: CircleCell = { left: 300, top: 26, width: 300, height: 300, titleHeight: 19, titleTop: 10, geometry: { centreX: 150, centreY: 170, radius: 90 } };
    const caption = [{ left: 480, top: 24, right: 596, bottom: 44 }];
    expect(gapLabelRoom(cell, true, caption)).toEqual({ bounds: { left: 1, top: 29, right: 299, bottom: 299 }, obstacles: [{ left: 180, top: -2, right: 296, bottom: 18 }] });
    expect(gapLabelRoom({ ...cell, left: 0, top: 0, titleHeight: 0, titleTop: 0 }, false, []).bounds.top).toBe(1);
  });

  it('names the gaps left out, and says nothing when every label found room', () => {
    expect(leftOutGapsText([])).toBe('');
    expect(
      leftOutGapsText([
        { text: '−31°', from: 1, to: 2, gap: -31.2 },
        { text: '4°', from: 5, to: 0, gap: 4.4 },
      ]),
    ).toBe('Gaps without a label for lack of room: identities 1 and 2, −31°; identities 5 and 0, 4°.');
  });
});

describe('sub-figure titles', () => {
  // Ten pixels a character.
  const measure = (text: string) => text.length * 10;

  it('drops the "(a)" before it cuts the name, then cuts the name behind an ellipsis', () => {
    expect(fitTitle('(a) SphereFace', 140, measure)).toBe('(a) SphereFace');
    expect(fitTitle('(a) SphereFace', 100, measure)).toBe('SphereFace');
    expect(fitTitle('(a) SphereFace', 80, measure)).toBe('SphereF…');
    expect(fitTitle('(a) SphereFace', 30, measure)).toBe('Sp…');
    // Not even a letter and an ellipsis: the sub-figure's letter alone.
    expect(fitTitle('(a) SphereFace', 15, measure)).toBe('(a)');
  });

  it('prefers a grid whose cells hold the titles whole, unless cutting them gives much larger circles', () => {
    // 430 × 290 at 16 px: four side by side give 107.5 px cells, radius (107.5 / 2 − 26.4) / 1.22
    // = 22.4; 2 × 2 gives 215 × 132 cells, radius ((132 − 28) / 2 − 26.4) / 1.22 = 20.98.
    const size = { width: 430, height: 290 };
    expect(circleLayout(size, 4, 16).columns).toBe(4);
    // Titles 190 px wide: four columns would cut them; 22.4 × 0.8 = 17.9 < 20.98, so 2 × 2.
    expect(circleLayout(size, 4, 16, 190).columns).toBe(2);
    // Titles wider than any cell: all grids cut them, so the largest circles win again.
    expect(circleLayout(size, 4, 16, 500).columns).toBe(4);
  });
});
