/**
 * Sizes of the Table 3 panel: the row-label column, equal value columns (one per run,
 * then the paper's NS and ArcFace), the header height their wrapped titles need, and a
 * font that makes all of it fit the panel: 4 runs in a third of a 1280 × 720 page, or
 * the projector theme's large type, shrink the font rather than cut columns off.
 *
 * A run's column is headed by its chip and name ('names'). Where the names' words would
 * have to break mid-word, the columns are headed by chip and letter alone and a key
 * under the table names the runs ('letters'), so that no header reads "Softm ax".
 */
import { estimateTextWidth } from './logitGeometry';
import { placeLegend, type LegendPlacement } from './legendGeometry';
import type { PanelSize } from './types';

export const STATS_TITLE_HEIGHT = 26;
/** The grid's side margins (statsPanel.css). */
const MARGIN = 6;
const MIN_FONT = 9;
const MAX_HEADER_LINES = 3;
/**
 * The widest value a cell is sized for, in em: an accuracy such as '99.8%' or an angle
 * such as '-45.0°', in bold. Bold DejaVu Sans, the widest common UI font, sets '99.8%'
 * at 3.5 em (digits 0.7 em, '%' 1 em). So a full 100% is written '100%', and an angle of
 * 100° or more (arcs overlapping by most of the circle early in a run) in whole degrees.
 */
const WIDEST_VALUE_EM = 3.6;

/** '38.5°'; from 100° on in whole degrees ('-279°', not '-279.1°'), which keeps the column narrow. */
export function formatDegrees(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const tenths = value.toFixed(1);
  return Math.abs(Number(tenths)) >= 100 ? `${value.toFixed(0)}°` : `${tenths}°`;
}

/** '97.3%'; a share that rounds to 100% is written '100%', which keeps the column narrow. */
export function formatShare(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const percent = (value * 100).toFixed(1);
  return percent === '100.0' ? '100%' : `${percent}%`;
}
/** Column headers (the runs' names) are set a little smaller than the cells. */
export const HEADER_FONT_SCALE = 0.85;
/** Headers are bold, about 15% wider than the regular text estimateTextWidth is for. */
const BOLD_WIDTH = 1.15;

export interface StatsHeader {
  text: string;
  /** A run's column: its chip (swatch and letter) comes before the text. */
  chip: boolean;
  /** The run's letter, for the key in 'letters' mode. */
  letter?: string;
}

export type StatsHeaderMode = 'names' | 'letters';

export interface StatsLayout {
  fontSize: number;
  /** Font of the column headers and of the key. */
  headerFontSize: number;
  headerMode: StatsHeaderMode;
  padding: number;
  rowHeight: number;
  headerLineHeight: number;
  headerLines: number;
  headerHeight: number;
  labelWidth: number;
  valueWidth: number;
  /** Width of a chip (swatch, gap and letter), px. */
  chipWidth: number;
  /** Label column plus every value column. */
  tableWidth: number;
  tableHeight: number;
  /** 'letters' mode: the runs' names under the table (no rows otherwise). */
  key: LegendPlacement;
  /** Everything fits at this font (false only when even the smallest font does not). */
  fits: boolean;
  /** The note under the table (and key), when there is room for it. */
  noteLines: number;
  showNote: boolean;
  /** Height kept under the table (and key) for the button that shows or hides the paper's columns; 0 without one. */
  toggleHeight: number;
}

/** Lines a header needs in `width`: words wrapped greedily, a word wider than a line broken across lines. */
export function headerLineCount(header: Pick<StatsHeader, 'text' | 'chip'>, width: number, fontSize: number, chipWidth: number): number {
  const space = estimateTextWidth(' ', fontSize);
  const words = header.text
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => estimateTextWidth(word, fontSize));
  if (header.chip) words.unshift(chipWidth);
  let lines = 1;
  let cursor = 0;
  for (const word of words) {
    if (cursor > 0 && cursor + space + word > width) {
      lines++;
      cursor = 0;
    }
    if (cursor === 0 && word > width) {
      lines += Math.ceil(word / width) - 1;
      cursor = word - (Math.ceil(word / width) - 1) * width;
    } else {
      cursor += (cursor > 0 ? space : 0) + word;
    }
  }
  return lines;
}

function layoutAt(
  size: PanelSize,
  fontSize: number,
  rowLabels: readonly string[],
  headers: readonly StatsHeader[],
  labelHeader: string,
  note: string,
  mode: StatsHeaderMode,
  withToggle: boolean,
): StatsLayout {
  const padding = Math.round(fontSize * 0.35);
  const rowHeight = Math.ceil(fontSize * 1.55);
  const headerFont = fontSize * HEADER_FONT_SCALE;
  const headerLineHeight = Math.ceil(headerFont * 1.25);
  const chipWidth = Math.round(headerFont * 1.6) + 3 + estimateTextWidth('W', headerFont);
  const labelWidth = Math.ceil(Math.max(...rowLabels.map((label) => estimateTextWidth(label, fontSize)), estimateTextWidth('degrees', headerFont)) + 2 * padding);
  // In 'letters' mode a run's header is its chip alone; the names go to the key.
  const shown = headers.map((header) => (mode === 'letters' && header.chip ? { text: '', chip: true } : header));
  // Wide enough for every header's longest word, so that none breaks mid-word.
  const boldFont = headerFont * BOLD_WIDTH;
  // Names mode keeps every word whole; letters mode, already short of room, lets a word
  // break at a soft hyphen ('Arc\u00adFace' as Arc-/Face).
  const words = (text: string): string[] => (mode === 'names' ? text.replaceAll('\u00ad', '') : text).split(mode === 'names' ? /\s+/ : /\s+|\u00ad/);
  const longestWord = Math.max(0, ...shown.flatMap((header) => [header.chip ? chipWidth : 0, ...words(header.text).map((word) => estimateTextWidth(word, boldFont))]));
  const valueWidth = Math.ceil(Math.max(WIDEST_VALUE_EM * fontSize, longestWord) + 2 * padding);
  const inner = valueWidth - 2 * padding;
  const headerLines = Math.min(
    MAX_HEADER_LINES,
    Math.max(
      headerLineCount({ text: labelHeader, chip: false }, labelWidth - 2 * padding, boldFont, chipWidth),
      ...shown.map((header) => headerLineCount({ text: words(header.text).join(' '), chip: header.chip }, inner, boldFont, chipWidth)),
    ),
  );
  const headerHeight = headerLines * headerLineHeight + 4;
  const tableWidth = labelWidth + headers.length * valueWidth;
  const tableHeight = headerHeight + rowLabels.length * rowHeight;
  const keyEntries = mode === 'letters' ? headers.filter((header) => header.chip).map((header) => ({ letter: header.letter ?? '', text: header.text })) : [];
  const key = placeLegend(keyEntries, size.width - 2 * MARGIN, headerFont, Math.round(headerFont * 1.6));
  const keyRoom = key.height > 0 ? key.height + 4 : 0;
  const toggleHeight = withToggle ? paperToggleHeight(headerFont) : 0;
  const available = size.height - STATS_TITLE_HEIGHT - 4 - toggleHeight;
  const noteFont = fontSize * 0.8;
  const noteLines = Math.max(1, Math.ceil(estimateTextWidth(note, noteFont) / Math.max(1, size.width - 2 * MARGIN)));
  const showNote = note !== '' && tableHeight + keyRoom + 6 + noteLines * Math.ceil(noteFont * 1.35) <= available;
  const fits = tableWidth + 2 * MARGIN <= size.width && tableHeight + keyRoom <= available;
  return {
    fontSize,
    headerFontSize: headerFont,
    headerMode: mode,
    padding,
    rowHeight,
    headerLineHeight,
    headerLines,
    headerHeight,
    labelWidth,
    valueWidth,
    chipWidth,
    tableWidth,
    tableHeight,
    key,
    fits,
    noteLines,
    showNote,
    toggleHeight,
  };
}

/** The paper-columns button's row: its text at the header font, a border and a small gap above. */
export function paperToggleHeight(headerFontSize: number): number {
  return Math.ceil(headerFontSize * 1.5) + 6;
}

/**
 * The largest font from `baseFontSize` down (in 10% steps, to 9 px) at which the table
 * fits. Runs are headed by their names while that fits at this font or one step below;
 * from the second step on, headers by letter with a key are tried too. Below 9 px it
 * gives up and returns the last layout tried.
 */
export function statsLayout(size: PanelSize, baseFontSize: number, rowLabels: readonly string[], headers: readonly StatsHeader[], labelHeader: string, note: string, withToggle = false): StatsLayout {
  const hasRuns = headers.some((header) => header.chip);
  let font = baseFontSize;
  for (let step = 0; ; step++) {
    const last = font * 0.9 < MIN_FONT;
    const names = layoutAt(size, font, rowLabels, headers, labelHeader, note, 'names', withToggle);
    if (names.fits || (last && !hasRuns)) return names;
    if (hasRuns && step >= 1) {
      const letters = layoutAt(size, font, rowLabels, headers, labelHeader, note, 'letters', withToggle);
      if (letters.fits || last) return letters;
    } else if (last) {
      return names;
    }
    font *= 0.9;
  }
}

/**
 * In compare mode the table keeps the runs' type readable before it keeps the paper's two
 * columns: where all columns fit only below this share of the theme's font (a projector's
 * large type in a third of the page), the paper's columns fold behind a button.
 */
export const PAPER_FOLD_BELOW = 0.85;

export interface PaperFold {
  layout: StatsLayout;
  /** Whether the paper's columns are in the table. */
  paperShown: boolean;
  /** Whether the button that shows or hides them is offered (only when folding made the type larger). */
  offered: boolean;
}

/**
 * The table with the runs' columns and, unless they fold, the paper's. `foldable`: the
 * paper's columns may fold at all (compare mode; a single run keeps them, its table is
 * about the run against the paper). `paperWanted`: the user asked for them with the button.
 */
export function statsLayoutWithPaper(
  size: PanelSize,
  baseFontSize: number,
  rowLabels: readonly string[],
  runHeaders: readonly StatsHeader[],
  paperHeaders: readonly StatsHeader[],
  labelHeader: string,
  note: string,
  options: { foldable: boolean; paperWanted: boolean },
): PaperFold {
  const all = [...runHeaders, ...paperHeaders];
  const full = statsLayout(size, baseFontSize, rowLabels, all, labelHeader, note);
  if (!options.foldable || paperHeaders.length === 0 || (full.fits && full.fontSize >= baseFontSize * PAPER_FOLD_BELOW)) return { layout: full, paperShown: true, offered: false };
  const folded = statsLayout(size, baseFontSize, rowLabels, runHeaders, labelHeader, note, true);
  // Folding must buy larger type (or a fit) to be worth a button.
  if (!(folded.fontSize > full.fontSize || (folded.fits && !full.fits))) return { layout: full, paperShown: true, offered: false };
  if (!options.paperWanted) return { layout: folded, paperShown: false, offered: true };
  return { layout: statsLayout(size, baseFontSize, rowLabels, all, labelHeader, note, true), paperShown: true, offered: true };
}
