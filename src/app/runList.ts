/**
 * The page's runs: one in single mode, 2 to 4 in compare mode (issue #10), and which one
 * the controls edit. Every update is a pure function from one list to the next, so the
 * rules (a loss setting is the selected run's own, a shared setting moves every run, a
 * comparison starts against a sensible partner) are tested without a worker or a DOM.
 *
 * Runs are built with core/compare's `compareRun`, the same function the link decoder
 * uses, so a list written into a link decodes to the same runs.
 */
import { COMPARE_MAX_RUNS, COMPARE_MIN_RUNS, compareRun, lossSettings, runLetter, type CompareRun, type LossSettings } from '../core/compare';
import { matchPreset, withPreset } from '../core/presets';
import type { Params } from '../core/schema';
import { runColour } from '../panels/runStyle';
import type { SnapshotBus } from '../panels/snapshotBus';
import type { PanelRun, PanelTheme } from '../panels/types';
import type { ExportRun } from './exportData';

/** A run on the page: its settings and label (as a link writes them) and the bus its panels paint from. */
export interface AppRun extends CompareRun {
  bus: SnapshotBus;
}

export interface RunList {
  /**
   * The settings every run shares (seed, data, learning rate, batch, warm-up, fallback,
   * optimiser). Its own loss settings are the link's main run: a link writes them as
   * `preset`, `m1`…, and a compare run whose s equals `shared.s` writes no s of its own.
   * In single mode it is the one run's params.
   */
  shared: Params;
  /** In session order (run 0 first); one in single mode. */
  runs: readonly AppRun[];
  /** The run the controls edit; always 0 in single mode. */
  selected: number;
}

export type BusFactory = () => SnapshotBus;

export function isComparing(list: { runs: readonly unknown[] }): boolean {
  return list.runs.length >= COMPARE_MIN_RUNS;
}

export function selectedRun(list: RunList): AppRun {
  return list.runs[list.selected] ?? list.runs[0];
}

/**
 * Single mode keeps the params exactly as the controls set them (a Softmax run may hold
 * an m2 that it ignores, as it always could); only the label and preset are derived.
 */
function singleRun(params: Params, bus: SnapshotBus): AppRun {
  return { preset: matchPreset(params)?.id ?? 'custom', label: compareRun(params, lossSettings(params)).label, params, bus };
}

export function singleRunList(params: Params, makeBus: BusFactory): RunList {
  return { shared: params, runs: [singleRun(params, makeBus())], selected: 0 };
}

/** What a link starts: its comparison when it has one, else its single run. */
export function runListOf(params: Params, compare: readonly CompareRun[] | null, makeBus: BusFactory): RunList {
  if (!compare || compare.length < COMPARE_MIN_RUNS) return singleRunList(params, makeBus);
  const runs = compare.slice(0, COMPARE_MAX_RUNS).map((run) => ({ ...compareRun(params, lossSettings(run.params)), bus: makeBus() }));
  return { shared: params, runs, selected: 0 };
}

export function selectRun(list: RunList, index: number): RunList {
  if (!Number.isInteger(index) || index < 0 || index >= list.runs.length || index === list.selected) return list;
  return { ...list, selected: index };
}

/** `next` with the loss settings of `loss`: what a run keeps of its own when a shared setting changes. */
function withLoss(next: Params, loss: LossSettings): Params {
  return { ...next, ...loss };
}

/**
 * Run `index` now has the params `next` (the controls or a host changed some of them).
 * Its loss settings (m1, m2, m3, s, head) become its own; everything else is shared, so
 * every other run takes it too and keeps its own loss settings.
 */
export function changeRunParams(list: RunList, index: number, next: Params): RunList {
  const target = list.runs[index];
  if (!target) return list;
  if (!isComparing(list)) return { ...list, shared: next, runs: [singleRun(next, target.bus)] };
  const shared = withLoss(next, lossSettings(list.shared));
  const runs = list.runs.map((run, i) => ({ ...compareRun(shared, i === index ? lossSettings(next) : lossSettings(run.params)), bus: run.bus }));
  return { ...list, shared, runs };
}

/** A preset's head and margins (m1, m2, m3) on run `index`; its s and the shared settings stay. */
export function chooseRunPreset(list: RunList, index: number, presetId: string): RunList {
  const target = list.runs[index];
  if (!target) return list;
  return changeRunParams(list, index, withPreset(target.params, presetId));
}

function sameLoss(a: Params, b: Params): boolean {
  const left = lossSettings(a);
  const right = lossSettings(b);
  return (Object.keys(left) as (keyof LossSettings)[]).every((key) => left[key] === right[key]);
}

function presetRun(shared: Params, presetId: string): CompareRun {
  return compareRun(shared, lossSettings(withPreset(shared, presetId)));
}

/**
 * Turns compare mode on from single mode. The current run is compared with ArcFace, or,
 * when it already is ArcFace, Softmax goes first beside it: the paper's Fig. 3a|3b. The
 * current run stays selected, so the controls keep showing what they showed.
 */
export function startComparing(list: RunList, makeBus: BusFactory): RunList {
  if (isComparing(list)) return list;
  const current = selectedRun(list);
  const shared = current.params;
  const own = { ...compareRun(shared, lossSettings(shared)), bus: current.bus };
  const arcface = presetRun(shared, 'arcface');
  if (sameLoss(own.params, arcface.params)) {
    return { shared, runs: [{ ...presetRun(shared, 'softmax'), bus: makeBus() }, own], selected: 1 };
  }
  return { shared, runs: [own, { ...arcface, bus: makeBus() }], selected: 0 };
}

/** Back to single mode with the selected run, its settings and its bus. */
export function stopComparing(list: RunList): RunList {
  if (!isComparing(list)) return list;
  const kept = selectedRun(list);
  return { shared: kept.params, runs: [singleRun(kept.params, kept.bus)], selected: 0 };
}

/** Presets a new run tries in turn, the paper's Table 2 order after the Fig. 3 pair: the first one not yet compared is added. */
const ADDED_RUN_ORDER = ['arcface', 'softmax', 'cosface', 'sphereface', 'norm-softmax', 'cm1', 'cm2', 'arcface-0.4', 'arcface-0.55'] as const;

/** One more run (up to 4), a preset no run has yet; it becomes the selected run. */
export function addRun(list: RunList, makeBus: BusFactory): RunList {
  if (!isComparing(list) || list.runs.length >= COMPARE_MAX_RUNS) return list;
  const candidates = ADDED_RUN_ORDER.map((id) => presetRun(list.shared, id));
  const fresh = candidates.find((candidate) => list.runs.every((run) => !sameLoss(run.params, candidate.params)));
  if (!fresh) return list;
  return { ...list, runs: [...list.runs, { ...fresh, bus: makeBus() }], selected: list.runs.length };
}

/** Drops run `index` (down to 2); the selection stays on the same run, or moves to its neighbour. */
export function removeRun(list: RunList, index: number): RunList {
  if (!isComparing(list) || list.runs.length <= COMPARE_MIN_RUNS || !list.runs[index]) return list;
  const runs = list.runs.filter((_, i) => i !== index);
  const selected = list.selected > index ? list.selected - 1 : Math.min(list.selected, runs.length - 1);
  return { ...list, runs, selected };
}

/** The runs as a link writes them (compare=…), or null in single mode. */
export function compareRunsOf(list: RunList): CompareRun[] | null {
  return isComparing(list) ? list.runs.map(({ preset, label, params }) => ({ preset, label, params })) : null;
}

/** The runs as every panel gets them; colours from the panels' run palette for this theme. */
export function panelRuns(list: RunList, theme: Pick<PanelTheme, 'name'>): PanelRun[] {
  return list.runs.map((run, index) => ({ index, letter: runLetter(index), label: run.label, colour: runColour(index, theme), params: run.params, bus: run.bus }));
}

/** Every run with what its bus holds, for the data exports; null until every run has drawn. */
export function exportRunsOf(list: RunList): ExportRun[] | null {
  const runs: ExportRun[] = [];
  for (const [index, run] of list.runs.entries()) {
    const snapshot = run.bus.latest;
    if (!snapshot) return null;
    runs.push({ letter: runLetter(index), label: run.label, params: run.params, snapshot, history: run.bus.history });
  }
  return runs;
}
