/**
 * The numbers behind the panels as files for students' own analysis (CSV and JSON), and
 * the texts every export carries: the caption that says which setting it shows, and a
 * file name that is safe everywhere. All pure, so it runs and is tested in Node.
 *
 * Each CSV is built as a table (header and rows) before it becomes text, so that a
 * compare mode can prefix a `run` column to the tables of several runs and join them,
 * without touching the writers below.
 */
import { toDegrees } from '../core/margin';
import { matchPreset } from '../core/presets';
import type { Params } from '../core/schema';
import type { MetricsHistory } from '../panels/snapshotBus';
import type { PanelSnapshot } from '../panels/types';

/** The playground reproduces the paper's 2-D toy, so every feature and W row has two columns. */
const FEATURE_DIM = 2;

/** Short decimal for a caption: 0.5, not 0.5000000001 from a slider step. */
function captionNumber(value: number, decimals = 4): string {
  return Number.isFinite(value) ? String(Number(value.toFixed(decimals))) : String(value);
}

/**
 * One line that says which setting a figure shows, so an exported picture still makes
 * sense when it is pasted somewhere without the app around it. `label` names the run
 * (a compare run's 'ArcFace (m2 = 0.3)'); without it, the preset's name or 'custom'.
 */
export function parameterCaption(params: Params, step: number, label?: string): string {
  const preset = matchPreset(params);
  const run = `seed ${params.seed} · step ${step}`;
  // Plain softmax has no margin and no scale: listing m1, m2, m3, s would suggest it does.
  if (params.head === 'softmax') return `${label ?? preset?.label ?? 'Softmax'} · ${run}`;
  const name = label ?? preset?.label ?? 'custom';
  const margin = `m1 = ${captionNumber(params.m1)}, m2 = ${captionNumber(params.m2)} rad (${captionNumber(toDegrees(params.m2), 1)}°), m3 = ${captionNumber(params.m3)}, s = ${captionNumber(params.s)}`;
  return `${name} · ${margin} · ${run}`;
}

/** A compare run as its exports see it: its letter and label, settings, and what its bus holds. */
export interface ExportRun {
  letter: string;
  label: string;
  params: Params;
  snapshot: PanelSnapshot;
  history: MetricsHistory;
}

/** One caption line per run, 'A: Softmax · seed 1 · step 300', so a compared figure says what each part is. */
export function runsCaption(runs: readonly Pick<ExportRun, 'letter' | 'label' | 'params'>[], step: number): string {
  return runs.map((run) => `${run.letter}: ${parameterCaption(run.params, step, run.label)}`).join('\n');
}

/**
 * Nine significant digits reproduce a Float32 exactly, without the float64 noise that
 * String() would print (0.10000000149011612). Non-finite values have no JSON number.
 */
function exactFloat32(value: number): number | null {
  return Number.isFinite(value) ? Number(value.toPrecision(9)) : null;
}

function csvCell(value: number): string {
  const exact = exactFloat32(value);
  return exact === null ? '' : String(exact);
}

interface CsvTable {
  header: readonly string[];
  rows: readonly (readonly string[])[];
}

function csvText({ header, rows }: CsvTable): string {
  return `${[header, ...rows].map((row) => row.join(',')).join('\n')}\n`;
}

function featuresTable(snapshot: PanelSnapshot): CsvTable {
  const { labels, embeddings, unitEmbeddings, thetaTarget } = snapshot;
  const rows: string[][] = [];
  for (let i = 0; i < labels.length; i++) {
    rows.push([
      String(i),
      String(labels[i]),
      csvCell(embeddings[i * FEATURE_DIM]),
      csvCell(embeddings[i * FEATURE_DIM + 1]),
      csvCell(unitEmbeddings[i * FEATURE_DIM]),
      csvCell(unitEmbeddings[i * FEATURE_DIM + 1]),
      csvCell(thetaTarget[i]),
    ]);
  }
  return { header: ['index', 'identity', 'x', 'y', 'x_unit', 'y_unit', 'theta_y_deg'], rows };
}

function weightsTable(snapshot: PanelSnapshot): CsvTable {
  const { weights, classes } = snapshot;
  const rows: string[][] = [];
  for (let identity = 0; identity < classes; identity++) {
    const x = weights[identity * FEATURE_DIM];
    const y = weights[identity * FEATURE_DIM + 1];
    rows.push([String(identity), csvCell(x), csvCell(y), csvCell(toDegrees(Math.atan2(y, x)))]);
  }
  return { header: ['identity', 'w_x', 'w_y', 'w_angle_deg'], rows };
}

function historyTable(history: MetricsHistory): CsvTable {
  const rows = history.steps.map((step, index) => [String(step), csvCell(history.losses[index] ?? Number.NaN), csvCell(history.accuracies[index] ?? Number.NaN)]);
  return { header: ['step', 'loss', 'train_accuracy'], rows };
}

/** The runs' tables as one, with the run's letter first in each row: one row set per run. */
function withRunColumn(tables: readonly { letter: string; table: CsvTable }[]): CsvTable {
  const header = ['run', ...(tables[0]?.table.header ?? [])];
  return { header, rows: tables.flatMap(({ letter, table }) => table.rows.map((row) => [letter, ...row])) };
}

/** One row per training sample: raw and unit feature, and θ_y (its angle to W_y). */
export function featuresCsv(snapshot: PanelSnapshot): string {
  return csvText(featuresTable(snapshot));
}

/** One row per class direction W_j, with its angle on the circle (counter-clockwise from +x). */
export function weightsCsv(snapshot: PanelSnapshot): string {
  return csvText(weightsTable(snapshot));
}

/** One row per drawn step of the current run. */
export function historyCsv(history: MetricsHistory): string {
  return csvText(historyTable(history));
}

/** Compare mode: featuresCsv of every run, with a `run` column (A, B, …). */
export function featuresCsvOfRuns(runs: readonly ExportRun[]): string {
  return csvText(withRunColumn(runs.map((run) => ({ letter: run.letter, table: featuresTable(run.snapshot) }))));
}

/** Compare mode: weightsCsv of every run, with a `run` column. */
export function weightsCsvOfRuns(runs: readonly ExportRun[]): string {
  return csvText(withRunColumn(runs.map((run) => ({ letter: run.letter, table: weightsTable(run.snapshot) }))));
}

/** Compare mode: historyCsv of every run, with a `run` column. */
export function historyCsvOfRuns(runs: readonly ExportRun[]): string {
  return csvText(withRunColumn(runs.map((run) => ({ letter: run.letter, table: historyTable(run.history) }))));
}

function matrixRows(data: ArrayLike<number>, dim: number): (number | null)[][] {
  const rows: (number | null)[][] = [];
  for (let row = 0; row * dim < data.length; row++) {
    rows.push(Array.from({ length: dim }, (_, k) => exactFloat32(data[row * dim + k])));
  }
  return rows;
}

function exactList(values: ArrayLike<number>): (number | null)[] {
  return Array.from(values, exactFloat32);
}

export const SNAPSHOT_FORMAT = 'arcface-playground-snapshot';
const SNAPSHOT_VERSION = 1;
/** Version 2 is a comparison: the version-1 fields of each run, in a `runs` list. */
export const COMPARE_SNAPSHOT_VERSION = 2;

/** One run's numbers: everything of a snapshot file but its format tag. */
function runPayload(snapshot: PanelSnapshot, params: Params, history: MetricsHistory) {
  const angles = Object.fromEntries(Object.entries(snapshot.angles).map(([key, value]) => [key, exactFloat32(value)]));
  return {
    step: snapshot.step,
    params,
    loss: exactFloat32(snapshot.loss),
    trainAccuracy: exactFloat32(snapshot.trainAccuracy),
    classes: snapshot.classes,
    angles,
    features: matrixRows(snapshot.embeddings, FEATURE_DIM),
    unitFeatures: matrixRows(snapshot.unitEmbeddings, FEATURE_DIM),
    labels: Array.from(snapshot.labels),
    thetaTarget: exactList(snapshot.thetaTarget),
    weights: matrixRows(snapshot.weights, FEATURE_DIM),
    // Softmax's bias moves its decision boundaries, so W alone would not reproduce them.
    bias: exactList(snapshot.bias),
    // Fig. 6's pair statistics: the figures and histograms (the worker keeps the angles themselves).
    pairs: snapshot.pairs,
    // Intra2 and Inter2 of Table 3 come from these identities that are never trained on.
    heldout: {
      classes: snapshot.heldoutClasses,
      features: matrixRows(snapshot.heldoutEmbeddings, FEATURE_DIM),
      labels: Array.from(snapshot.heldoutLabels),
    },
    history: {
      steps: history.steps.slice(),
      losses: exactList(history.losses),
      accuracies: exactList(history.accuracies),
    },
  };
}

/**
 * Everything needed to redo the panels' figures offline: the setting, the features and
 * W at this step, Table 3's angles and the loss curve so far. NaN (a loss before the
 * first step, a zero feature) is written as null, which JSON can hold.
 */
export function snapshotJson(snapshot: PanelSnapshot, params: Params, history: MetricsHistory): string {
  return JSON.stringify({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, caption: parameterCaption(params, snapshot.step), ...runPayload(snapshot, params, history) });
}

/** Compare mode: every run's snapshotJson fields, each with its letter, label and caption. */
export function compareSnapshotJson(runs: readonly ExportRun[]): string {
  const step = runs[0]?.snapshot.step ?? 0;
  return JSON.stringify({
    format: SNAPSHOT_FORMAT,
    version: COMPARE_SNAPSHOT_VERSION,
    caption: runsCaption(runs, step),
    step,
    runs: runs.map((run) => ({ run: run.letter, label: run.label, caption: parameterCaption(run.params, run.snapshot.step, run.label), ...runPayload(run.snapshot, run.params, run.history) })),
  });
}

/** Lower-case letters, digits, dots and hyphens only, so the name is safe on every file system. */
function fileNamePart(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    // Any run of dots and hyphens that holds a hyphen becomes one hyphen, so no '..' survives.
    .replace(/[.-]*-[.-]*/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+|[.-]+$/g, '');
  return cleaned || 'x';
}

/** A comparison's setting for a file name: 'softmax-vs-arcface'. */
export function compareSettingName(runs: readonly { params: Params }[]): string {
  return runs.map((run) => matchPreset(run.params)?.id ?? 'custom').join('-vs-');
}

/** e.g. arcface-playground_arcface_seed1_step300_circle.png; `setting` (a comparison's) replaces the preset's id. */
export function exportFileName(kind: string, params: Params, step: number, ext: string, setting: string = matchPreset(params)?.id ?? 'custom'): string {
  const wholeStep = Number.isFinite(step) ? Math.max(0, Math.floor(step)) : 0;
  return `arcface-playground_${fileNamePart(setting)}_seed${fileNamePart(String(params.seed))}_step${wholeStep}_${fileNamePart(kind)}.${fileNamePart(ext)}`;
}
