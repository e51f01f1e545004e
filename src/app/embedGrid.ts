/** Below this a panel stops being readable; the embed scrolls rather than shrink further. */
const MIN_EMBED_CELL = { width: 280, height: 230 };

/**
 * Grid for n panels in an iframe: the column count that makes the smaller side of a cell
 * largest, and a minimum row height when the frame is too small to show all panels
 * readably (then it scrolls instead of cutting panels off).
 */
export function embedGrid(count: number, width: number, height: number): { columns: number; minRowHeight: number } {
  let columns = 1;
  let bestSide = 0;
  for (let candidate = 1; candidate <= count; candidate++) {
    const side = Math.min(width / candidate, height / Math.ceil(count / candidate));
    if (side > bestSide) {
      bestSide = side;
      columns = candidate;
    }
  }
  const fits = width / columns >= MIN_EMBED_CELL.width && height / Math.ceil(count / columns) >= MIN_EMBED_CELL.height;
  if (fits) return { columns, minRowHeight: 0 };
  return { columns: Math.max(1, Math.min(count, Math.floor(width / MIN_EMBED_CELL.width))), minRowHeight: MIN_EMBED_CELL.height };
}
