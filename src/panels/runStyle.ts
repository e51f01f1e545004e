/**
 * How a compare-mode run is drawn and named in the panels. Colours and dash patterns come
 * from core's COMPARE_RUN_STYLES; this picks the variant for the theme's paper and scales
 * the dashes to a line width. The app fills PanelRun.colour with `runColour`, so a run
 * has one colour in every panel.
 */
import { compareRunStyle } from '../core/compare';
import { matchPreset } from '../core/presets';
import type { Params } from '../core/schema';
import type { PanelRun, PanelTheme } from './types';

/** The run's colour on this theme's paper: near-black on light paper, near-white on dark. */
export function runColour(index: number, theme: Pick<PanelTheme, 'name'>): string {
  const style = compareRunStyle(index);
  return theme.name === 'dark' ? style.onDark : style.onLight;
}

/** The run's dash pattern in pixels for a line of `lineWidth` (canvas setLineDash); [] is solid. */
export function runDash(index: number, lineWidth: number): number[] {
  return compareRunStyle(index).dash.map((length) => length * lineWidth);
}

/** The same as an SVG stroke-dasharray, or undefined for a solid line. */
export function runDashArray(index: number, lineWidth: number): string | undefined {
  const dash = runDash(index, lineWidth);
  return dash.length === 0 ? undefined : dash.map((length) => Number(length.toFixed(2))).join(' ');
}

/** More than one run: the panels switch from the single-run look to the compare look. */
export function isCompare(runs: readonly PanelRun[]): boolean {
  return runs.length > 1;
}

/**
 * The run's name as a figure would print it. A run that is exactly a preset is named by
 * its family ('ArcFace', not 'ArcFace (0.5)'), as the paper's Fig. 3 names its panels;
 * any other label (an override, another s) is kept whole, since it is the difference.
 */
export function runFigureName(label: string, params: Pick<Params, 'head' | 'm1' | 'm2' | 'm3'>): string {
  const preset = matchPreset(params);
  if (preset && label === preset.label) return preset.label.replace(/\s*\(.*\)$/, '');
  return label;
}

/** '(a) Softmax', '(b) ArcFace': the sub-figure title of run `index`. */
export function subfigureTitle(index: number, name: string): string {
  const letter = String.fromCharCode(97 + Math.max(0, Math.min(25, Math.floor(index))));
  return `(${letter}) ${name}`;
}
