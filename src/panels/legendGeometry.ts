/**
 * Where a legend of runs goes: one entry per run (a line swatch in the run's colour and
 * dash, its letter in bold, then its name), left to right, wrapping into rows that fit a
 * width. Pure numbers, so tests place 1 to 4 runs at any width; panels draw the result.
 */
import { estimateTextWidth } from './logitGeometry';

export interface LegendEntry {
  letter: string;
  text: string;
  /**
   * Shorter forms of `text`, longest first, for an entry too wide even alone in its row:
   * the first that fits is used, and only the last is cut with '…'. Fig. 5 keeps the
   * margin ("Δθ2 = 57.3°") and lets the run's name go first.
   */
  shorter?: readonly string[];
}

export interface LegendItem {
  /** Left of the swatch, px from the legend's left. */
  x: number;
  /** Vertical centre of the row, px from the legend's top. */
  y: number;
  letterX: number;
  textX: number;
  /** The entry's text, shortened with '…' when a row cannot hold it whole. */
  text: string;
  /** From x to the end of the text. */
  width: number;
}

export interface LegendPlacement {
  items: LegendItem[];
  rows: number;
  rowHeight: number;
  /** rows × rowHeight; 0 without entries. */
  height: number;
  swatchWidth: number;
}

const SWATCH_GAP = 4;
const LETTER_GAP = 3;
/** Bold letters are wider than the estimate of regular text. */
const BOLD = 1.15;

/**
 * A swatch long enough to show a whole period of the longest dash pattern (run D's
 * 4-2-1-2, in line widths), so runs stay apart in the legend by dash as on the plot.
 */
export function legendSwatchWidth(fontSize: number, lineWidth: number): number {
  return Math.ceil(Math.max(fontSize * 2, lineWidth * 9));
}

/** `text` cut to fit `maxWidth` with a trailing '…' (nothing when not even that fits). */
export function shortenToFit(text: string, maxWidth: number, fontSize: number): string {
  if (estimateTextWidth(text, fontSize) <= maxWidth) return text;
  const characters = Math.floor(maxWidth / estimateTextWidth('x', fontSize)) - 1;
  return characters <= 0 ? '' : `${text.slice(0, characters).trimEnd()}…`;
}

/**
 * Entries left to right, a new row whenever the next entry would cross `width`. With
 * `rowsWanted`, a legend that takes more rows tries every entry's shorter forms in turn
 * (all entries at their first shorter form, then the second, …) and keeps the first that
 * fits in that many rows, or else the one with the fewest rows: a plot then gives up
 * fewer rows to its legend.
 */
export function placeLegend(entries: readonly LegendEntry[], width: number, fontSize: number, swatchWidth: number, rowsWanted = Number.POSITIVE_INFINITY): LegendPlacement {
  let best = placeEntries(entries, width, fontSize, swatchWidth);
  const levels = Math.max(0, ...entries.map((entry) => entry.shorter?.length ?? 0));
  for (let level = 1; level <= levels && best.rows > rowsWanted; level++) {
    const shortened = entries.map((entry) => {
      const shorter = entry.shorter ?? [];
      if (shorter.length === 0) return entry;
      const index = Math.min(level, shorter.length) - 1;
      return { ...entry, text: shorter[index], shorter: shorter.slice(index + 1) };
    });
    const placement = placeEntries(shortened, width, fontSize, swatchWidth);
    if (placement.rows < best.rows) best = placement;
  }
  return best;
}

function placeEntries(entries: readonly LegendEntry[], width: number, fontSize: number, swatchWidth: number): LegendPlacement {
  const rowHeight = Math.ceil(fontSize * 1.45);
  const entryGap = Math.round(fontSize);
  const items: LegendItem[] = [];
  let cursor = 0;
  let row = 0;
  for (const entry of entries) {
    const letterWidth = estimateTextWidth(entry.letter, fontSize) * BOLD;
    const head = swatchWidth + SWATCH_GAP + letterWidth + LETTER_GAP;
    let text = entry.text;
    let itemWidth = head + estimateTextWidth(text, fontSize);
    if (cursor > 0 && cursor + itemWidth > width) {
      row++;
      cursor = 0;
    }
    if (itemWidth > width) {
      // Alone in its row and still too wide: the text gives way, the swatch and letter stay.
      const room = Math.max(0, width - head);
      const forms = [text, ...(entry.shorter ?? [])];
      text = forms.find((form) => estimateTextWidth(form, fontSize) <= room) ?? shortenToFit(forms[forms.length - 1], room, fontSize);
      itemWidth = head + estimateTextWidth(text, fontSize);
    }
    const x = cursor;
    items.push({ x, y: row * rowHeight + rowHeight / 2, letterX: x + swatchWidth + SWATCH_GAP, textX: x + head, text, width: itemWidth });
    cursor += itemWidth + entryGap;
  }
  const rows = entries.length > 0 ? row + 1 : 0;
  return { items, rows, rowHeight, height: rows * rowHeight, swatchWidth };
}
