/**
 * Runs the engine in Node, for the CLI, the benchmarks and the tests. Node has no
 * WebGPU or WebGL, so it trains on WASM (fast) or the plain-JS CPU backend (bit-for-bit
 * reproducible).
 */
import { featureStats, separatedIdentities, type AngleReport } from '../core/angles';
import type { NodeBackend, ToyOptions } from '../core/cliArgs';
import { runLetter, type CompareRun } from '../core/compare';
import { DEFAULT_MAX_PAIRS_PER_KIND } from '../core/pairs';
import { matchPreset } from '../core/presets';
import type { PairSummary } from '../core/snapshot';
import { tf } from './tf';
import { Trainer, type TrainerOptions } from './trainer';

let cpuLoaded = false;
let wasmLoaded = false;

export async function useNodeBackend(backend: NodeBackend): Promise<void> {
  if (backend === 'cpu' && !cpuLoaded) {
    await import('@tensorflow/tfjs-backend-cpu');
    cpuLoaded = true;
  }
  if (backend === 'wasm' && !wasmLoaded) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { createRequire } = await import('node:module');
    const { dirname } = await import('node:path');
    // The .wasm files sit next to the package's main script.
    const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${dirname(main)}/`);
    wasmLoaded = true;
  }
  // Production mode also mutes tfjs's advice to install tfjs-node (a native download
  // this project cannot rely on); keep stdout and stderr for our own output.
  tf.enableProdMode();
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend failed to start`);
    await tf.ready();
  } finally {
    console.warn = warn;
  }
}

/** A PairSummary without its histogram: the figures a report prints. */
export type PairFigures = Omit<PairSummary, 'histogram'>;

export interface ToyResult {
  params: { head: string; m1: number; m2: number; m3: number; s: number; intra: number; inter: number; triplet: number; tripletMargin: number; center: number };
  preset: string;
  /** The preset's label, 'Custom', or in compare mode the run's label ('ArcFace (m2 = 0.3)'). */
  label: string;
  seed: number;
  /** Which dataset trained: synthetic identities or handwritten digits. */
  data: string;
  steps: number;
  backend: string;
  loss: number;
  trainAccuracy: number;
  /**
   * Accuracy on the test split (held-out samples of the trained identities, never
   * trained on), by nearest W as trainAccuracy; null when the split is empty.
   */
  testAccuracy: number | null;
  /** Intra (mean angle to the identity's feature centre, degrees) on the test split; null when it is empty. */
  testIntra: number | null;
  angles: AngleReport;
  /**
   * Fig. 6 verification pairs: `test` on the test split, `unseen` on the held-out
   * identities; up to DEFAULT_MAX_PAIRS_PER_KIND pairs of each kind.
   */
  pairs: { test: PairFigures; unseen: PairFigures };
  /** Identity centres with no other centre within 10°: 8 of 8 is healthy, few is a collapse. */
  separatedIdentities: number;
  ms: number;
}

export const COLLAPSE_DEGREES = 10;

/** What one run needs of the CLI's options; `compare` is read by `runToyOptions` only. */
export type ToyRunOptions = Omit<ToyOptions, 'compare' | 'json' | 'help'> & Partial<Pick<ToyOptions, 'compare' | 'json' | 'help'>>;

function pairFigures(summary: PairSummary): PairFigures {
  const { positivePairs, negativePairs, verification, p99Positive, p1Negative, overlap } = summary;
  return { positivePairs, negativePairs, verification, p99Positive, p1Negative, overlap };
}

/**
 * Trains one run and reports it. Pairs use core's full cap (20,000 of each kind) rather
 * than the live one: a report is read once, so its percentiles may cost 10–30 ms.
 */
export async function runToy(options: ToyRunOptions, trainerOptions: TrainerOptions = {}, label?: string): Promise<ToyResult> {
  await useNodeBackend(options.backend);
  const started = performance.now();
  // Loaded only for digits: the synthetic runs (and the browser bundles that import this file's types) never touch node:fs.
  const digits = options.params.data === 'digits' && !trainerOptions.digits ? (await import('./digitsNode')).loadDigitsInNode() : trainerOptions.digits;
  const trainer = new Trainer(options.params, { maxPairsPerKind: DEFAULT_MAX_PAIRS_PER_KIND, ...trainerOptions, digits });
  try {
    // Chunks keep the CPU backend's memory flat; no readback until the end.
    for (let done = 0; done < options.steps; done += 500) trainer.train(Math.min(500, options.steps - done));
    const { snapshot, testAccuracy, testEmbeddings } = await trainer.readReport();
    const { test } = trainer.dataset;
    const { head, m1, m2, m3, s, intra, inter, triplet, tripletMargin, center } = options.params;
    const preset = matchPreset(options.params);
    return {
      params: { head, m1, m2, m3, s, intra, inter, triplet, tripletMargin, center },
      preset: preset?.id ?? 'custom',
      label: label ?? preset?.label ?? 'Custom',
      seed: options.params.seed,
      data: options.params.data,
      steps: snapshot.step,
      backend: tf.getBackend(),
      loss: snapshot.loss,
      trainAccuracy: snapshot.trainAccuracy,
      testAccuracy: Number.isNaN(testAccuracy) ? null : testAccuracy,
      testIntra: test.count > 0 ? featureStats(testEmbeddings, test.labels, test.classes, 2).intra : null,
      angles: snapshot.angles,
      pairs: { test: pairFigures(snapshot.pairs.test), unseen: pairFigures(snapshot.pairs.unseen) },
      separatedIdentities: separatedIdentities(snapshot.embeddings, snapshot.labels, snapshot.classes, 2, COLLAPSE_DEGREES),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    trainer.dispose();
  }
}

/**
 * Compare mode: each run in its own Trainer, one after the other. They share the seed
 * and every setting but the loss, so each gets the same data, initial weights and batch
 * order (compare.test.ts checks this bit for bit on the CPU backend): sequential runs are
 * in lockstep without sharing a process-wide schedule.
 */
export async function runCompare(options: ToyRunOptions, runs: readonly CompareRun[], trainerOptions: TrainerOptions = {}): Promise<ToyResult[]> {
  const results: ToyResult[] = [];
  for (const run of runs) results.push(await runToy({ ...options, preset: run.preset, params: run.params }, trainerOptions, run.label));
  return results;
}

/** What `npm run toy -- --json` prints: one run as an object, compare mode as `{ runs: [...] }`. */
export type ToyOutput = ToyResult | { runs: ToyResult[] };

/** Runs what the options ask for: one run, or every run of `compare`. */
export async function runToyOptions(options: ToyRunOptions, trainerOptions: TrainerOptions = {}): Promise<ToyOutput> {
  return options.compare ? { runs: await runCompare(options, options.compare, trainerOptions) } : runToy(options, trainerOptions);
}

const angleText = (value: number | null): string => (value === null ? '–' : `${value.toFixed(2)}°`);
const percentText = (value: number | null, digits = 1): string => (value === null ? '–' : `${(value * 100).toFixed(digits)}%`);

/** The table's rows, label then one value per run. */
function tableRows(results: readonly ToyResult[]): string[][] {
  const row = (label: string, value: (result: ToyResult) => string): string[] => [label, ...results.map(value)];
  const pairRows = (name: string, pick: (result: ToyResult) => PairFigures): string[][] => [
    row(`verification accuracy (${name})`, (r) => percentText(pick(r).verification?.accuracy ?? null, 2)),
    row(`  at threshold`, (r) => angleText(pick(r).verification?.threshold ?? null)),
    row(`  p99 positive pair`, (r) => angleText(pick(r).p99Positive)),
    row(`  p1 negative pair`, (r) => angleText(pick(r).p1Negative)),
    row(`  overlap (p99 − p1)`, (r) => angleText(pick(r).overlap)),
  ];
  return [
    row('preset', (r) => r.preset),
    row('m1, m2, m3, s', (r) => `${r.params.m1}, ${r.params.m2}, ${r.params.m3}, ${r.params.s}`),
    row('seed / steps / backend', (r) => `${r.seed} / ${r.steps} / ${r.backend}`),
    row('data', (r) => r.data),
    row('loss', (r) => r.loss.toFixed(4)),
    row('train accuracy', (r) => percentText(r.trainAccuracy)),
    row('test accuracy', (r) => percentText(r.testAccuracy)),
    row('W-EC', (r) => angleText(r.angles.wEC)),
    row('W-Inter', (r) => angleText(r.angles.wInter)),
    row('Intra (train)', (r) => angleText(r.angles.intraTrain)),
    row('Intra (test)', (r) => angleText(r.testIntra)),
    row('Inter (train)', (r) => angleText(r.angles.interTrain)),
    row('smallest arc gap (train)', (r) => angleText(r.angles.gapTrain)),
    row('Intra (held-out)', (r) => angleText(r.angles.intraHeldout)),
    row('Inter (held-out)', (r) => angleText(r.angles.interHeldout)),
    ...pairRows('test split', (r) => r.pairs.test),
    ...pairRows('unseen ids', (r) => r.pairs.unseen),
    row('time', (r) => `${(r.ms / 1000).toFixed(1)} s`),
  ];
}

/** One run as label–value lines. */
export function formatTable(result: ToyResult): string {
  return formatColumns(tableRows([result]));
}

/** Compare mode: one column per run, headed by its letter and label. */
export function formatCompareTable(results: readonly ToyResult[]): string {
  const header = ['', ...results.map((result, index) => `${runLetter(index)}: ${result.label}`)];
  return formatColumns([header, ...tableRows(results)]);
}

function formatColumns(rows: readonly string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  // Every column but the last is padded to its widest cell; the last is left ragged.
  const line = (row: readonly string[]): string => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ');
  return rows.map((row) => line(row).trimEnd()).join('\n');
}

/** What `npm run toy` prints: JSON (one object, or `{ runs }` in compare mode) or a table. */
export function formatOutput(output: ToyOutput, json: boolean): string {
  if (json) return JSON.stringify(output);
  return 'runs' in output ? formatCompareTable(output.runs) : formatTable(output);
}
