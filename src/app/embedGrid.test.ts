import { describe, expect, it } from 'vitest';
import { embedGrid } from './embedGrid';

describe('embedGrid', () => {
  it('puts two panels side by side in a wide frame and stacked in a tall one', () => {
    expect(embedGrid(2, 1000, 450)).toEqual({ columns: 2, minRowHeight: 0 });
    expect(embedGrid(2, 450, 1000)).toEqual({ columns: 1, minRowHeight: 0 });
  });

  it('picks the column count whose cells have the largest smaller side', () => {
    // 4 panels in 1200×800: 2×2 cells are 600×400, 4×1 are 300×800, 1×4 are 1200×200.
    expect(embedGrid(4, 1200, 800)).toEqual({ columns: 2, minRowHeight: 0 });
    expect(embedGrid(5, 1600, 900)).toEqual({ columns: 3, minRowHeight: 0 });
  });

  it('never gives more columns than panels, even in a wide, low frame', () => {
    expect(embedGrid(2, 2000, 100)).toEqual({ columns: 2, minRowHeight: 230 });
  });

  it('scrolls with readable rows rather than shrinking panels below 280×230', () => {
    // 5 panels in 600×300: no arrangement fits, so as many 280-px columns as fit, and rows of at least 230 px.
    expect(embedGrid(5, 600, 300)).toEqual({ columns: 2, minRowHeight: 230 });
    // Narrower than one readable column: still one column, never zero.
    expect(embedGrid(3, 200, 150)).toEqual({ columns: 1, minRowHeight: 230 });
  });

  it('keeps a cell of exactly the minimum size without scrolling', () => {
    expect(embedGrid(2, 560, 230)).toEqual({ columns: 2, minRowHeight: 0 });
  });
});
