/**
 * The numerics sweep: parameter combinations covering every corner of the margin,
 * scale and learning rate, every extreme of the other parameters and seeded random
 * interior points. Each is trained until its full margin applies (past any warm-up) and
 * then for `fullMarginSteps` more, with the loss read after every step and the whole
 * snapshot checked by the divergence watchdog's own test at intervals and at the end.
 *
 * It runs on WASM, which computes in float32 as GPUs do (the CPU backend is float32 too,
 * but several times slower, and is kept for the bit-for-bit determinism tests). The
 * cases are split across `SWEEP_FILES` Vitest files so that they run in parallel.
 */
import { warmedMargin } from '../../core/margin';
import { createRng } from '../../core/rng';
import { PARAM_KEYS, SCHEMA, defaultParams, type NumberSpec, type Params } from '../../core/schema';
import { withPreset } from '../../core/presets';
import { isFiniteSnapshot } from '../../core/watchdog';
import { loadDigitsInNode } from '../digitsNode';
import { needsObjective } from '../objective';
import { Trainer } from '../trainer';

/** Distinct parameter combinations. */
export const SWEEP_SIZE = 500;
/** The sweep's test files (numerics-0 … numerics-3), for Vitest's parallel workers. */
export const SWEEP_FILES = 4;

/**
 * Steps trained at the full margin. The point is finiteness, not learning: a NaN from
 * acos at ±1, a 0/0 normalisation or an overflowing exp shows up within a few steps of
 * the values that cause it, and at lr = 0.1 Adam moves every weight by up to 0.1 a
 * step, so 25 steps go well beyond the initial weights. Corners, where the extremes
 * meet, get 50. `SWEEP_FULL_STEPS` (the CI job `npm run test:numerics`) raises both.
 */
export const DEFAULT_FULL_MARGIN_STEPS = { corner: 50, other: 25 } as const;
/** The whole snapshot (features of both splits, W, loss) is checked this often. */
export const SNAPSHOT_EVERY = 25;

export type SweepKind = 'corner' | 'extreme' | 'random';

export interface SweepCase {
  params: Params;
  kind: SweepKind;
  /** Train with the fused kernels (Trainer option `fused`); both paths are swept. */
  fused: boolean;
  /** Steps in all: any warm-up, then the steps at the full margin. */
  steps: number;
}

const MARGIN_KEYS = ['m1', 'm2', 'm3', 's', 'lr'] as const;
/** Keeps each run small: the sweep is about numbers, not about learning. */
const SMALL = { samplesPerIdentity: 20, identities: 8 };

/** Steps at the full margin for this run, from the environment (CI) or the defaults. */
export function fullMarginSteps(kind: SweepKind, env: Record<string, string | undefined> = readEnv()): number {
  const override = Number(env.SWEEP_FULL_STEPS);
  if (env.SWEEP_FULL_STEPS !== undefined && Number.isInteger(override) && override > 0) return override;
  return kind === 'corner' ? DEFAULT_FULL_MARGIN_STEPS.corner : DEFAULT_FULL_MARGIN_STEPS.other;
}

function readEnv(): Record<string, string | undefined> {
  return typeof process === 'undefined' ? {} : process.env;
}

/** One key per combination of parameters, to find duplicates. */
export function paramsKey(params: Params): string {
  return PARAM_KEYS.map((key) => `${key}=${params[key]}`).join(',');
}

/**
 * Every min/max corner of (m1, m2, m3, s, lr) × fallback with no warm-up, each extreme
 * of the other parameters alone, then seeded random points, SWEEP_SIZE distinct
 * combinations in all. The base is ArcFace on a small dataset with no warm-up, so that
 * every combination that does not sweep the warm-up trains at its full margin at once.
 */
export function sweepCombinations(): { params: Params; kind: SweepKind }[] {
  const base: Params = { ...withPreset(defaultParams(), 'arcface'), ...SMALL, warmupSteps: 0 };
  const combos: { params: Params; kind: SweepKind }[] = [];
  const seen = new Set<string>();
  const add = (params: Params, kind: SweepKind): void => {
    const key = paramsKey(params);
    if (seen.has(key)) return;
    seen.add(key);
    combos.push({ params, kind });
  };
  for (let mask = 0; mask < 1 << MARGIN_KEYS.length; mask++) {
    for (const fallback of [true, false]) {
      const corner: Params = { ...base, fallback };
      MARGIN_KEYS.forEach((key, bit) => {
        corner[key] = (mask >> bit) & 1 ? SCHEMA[key].max : SCHEMA[key].min;
      });
      add(corner, 'corner');
    }
  }
  add(base, 'extreme');
  for (const key of PARAM_KEYS) {
    const spec = SCHEMA[key];
    if (spec.kind === 'number' && !(MARGIN_KEYS as readonly string[]).includes(key)) {
      // Values equal to the base's (samplesPerIdentity 20, warm-up 0) are the base itself, added once above.
      for (const value of [spec.min, spec.max]) add({ ...base, [key]: value }, 'extreme');
    } else if (spec.kind === 'choice') {
      for (const option of spec.options) add({ ...base, [key]: option }, 'extreme');
    }
  }
  const rng = createRng(20261127);
  const uniform = (spec: NumberSpec): number => {
    const raw = spec.logScale ? 10 ** (Math.log10(spec.min) + rng.next() * (Math.log10(spec.max) - Math.log10(spec.min))) : spec.min + rng.next() * (spec.max - spec.min);
    return spec.integer ? Math.round(raw) : raw;
  };
  while (combos.length < SWEEP_SIZE) {
    add(
      {
        ...base,
        m1: uniform(SCHEMA.m1),
        m2: uniform(SCHEMA.m2),
        m3: uniform(SCHEMA.m3),
        s: uniform(SCHEMA.s),
        lr: uniform(SCHEMA.lr),
        seed: rng.int(1000),
        batchSize: [16, 64, 256, 4096][rng.int(4)],
        // A quarter ramp through partial margins first; the ramp's values are interior margins too.
        warmupSteps: [0, 0, 0, 50][rng.int(4)],
        fallback: rng.next() < 0.5,
        optimizer: rng.next() < 0.8 ? 'adam' : 'sgd',
        head: rng.next() < 0.9 ? 'margin' : 'softmax',
      },
      'random',
    );
  }
  return combos;
}

/**
 * What the test files train: corners and extremes on both paths (fused and unfused),
 * random points alternately on one path or the other, each past its warm-up.
 */
export function sweepCases(env: Record<string, string | undefined> = readEnv()): SweepCase[] {
  const cases: SweepCase[] = [];
  sweepCombinations().forEach(({ params, kind }, index) => {
    const steps = params.warmupSteps + fullMarginSteps(kind, env);
    // A run with an objective beyond the margin head has no fused path (src/train/objective.ts).
    const paths = needsObjective(params) ? [false] : kind === 'random' ? [index % 2 === 0] : [true, false];
    for (const fused of paths) cases.push({ params, kind, fused, steps });
  });
  return cases;
}

/** Relative cost of a case, for balancing the files: the unfused path runs about twice the kernels. */
function estimatedCost(testCase: SweepCase): number {
  return testCase.steps * (testCase.fused ? 1 : 2);
}

/**
 * The cases of test file `file` of SWEEP_FILES, dealt largest first to the least loaded
 * file, so that the files take about as long (the 2,000-step warm-up runs would
 * otherwise pile up in one). Deterministic: the same split every run.
 */
export function casesForFile(file: number, cases: SweepCase[] = sweepCases()): SweepCase[] {
  const load = new Array<number>(SWEEP_FILES).fill(0);
  const owner = new Map<SweepCase, number>();
  const order = cases.map((testCase, index) => ({ testCase, index })).sort((a, b) => estimatedCost(b.testCase) - estimatedCost(a.testCase) || a.index - b.index);
  for (const { testCase } of order) {
    const lightest = load.indexOf(Math.min(...load));
    owner.set(testCase, lightest);
    load[lightest] += estimatedCost(testCase);
  }
  return cases.filter((testCase) => owner.get(testCase) === file);
}

/** True when step `step` (0-based, as the trainer counts) trains with the full margin. */
export function atFullMargin(params: Params, step: number): boolean {
  const full = { m1: params.m1, m2: params.m2, m3: params.m3, fallback: params.fallback };
  const applied = warmedMargin(full, step, params.warmupSteps);
  return applied.m1 === full.m1 && applied.m2 === full.m2 && applied.m3 === full.m3;
}

export interface SweepOutcome {
  case: SweepCase;
  /** Steps trained before the run stopped (all of them when it stayed finite). */
  trained: number;
  /** Where it went wrong, or null. */
  failure: { step: number; what: string } | null;
}

/** Called after every step of `runCase`, for tests that plant a fault. */
export type AfterStep = (trainer: Trainer, step: number) => Promise<void> | void;

/**
 * Trains one case. After every step the loss is read (one scalar); every SNAPSHOT_EVERY
 * steps and at the end the whole snapshot goes through `isFiniteSnapshot`, for the
 * training split and again for the held-out one. Stops at the first non-finite value.
 */
export async function runCase(testCase: SweepCase, afterStep?: AfterStep): Promise<SweepOutcome> {
  // The digits extreme trains on the real asset (784 inputs), as the page would.
  const digits = testCase.params.data === 'digits' ? loadDigitsInNode() : null;
  const trainer = new Trainer(testCase.params, { fused: testCase.fused, dataset: { heldoutSamplesPerIdentity: 10 }, digits });
  const outcome = (trained: number, failure: SweepOutcome['failure']): SweepOutcome => ({ case: testCase, trained, failure });
  try {
    // A trainer that quietly ignored `fused` would sweep one path twice.
    if (trainer.fused !== testCase.fused) return outcome(0, { step: 0, what: `asked for fused ${testCase.fused}, the trainer runs fused ${trainer.fused}` });
    for (let step = 1; step <= testCase.steps; step++) {
      trainer.train(1);
      await afterStep?.(trainer, step);
      const loss = await trainer.settle();
      if (!Number.isFinite(loss)) return outcome(step, { step, what: `loss ${loss}` });
      if (step % SNAPSHOT_EVERY === 0 || step === testCase.steps) {
        const snapshot = await trainer.readSnapshot();
        if (!isFiniteSnapshot(snapshot)) return outcome(step, { step, what: 'training features or W' });
        if (!isFiniteSnapshot({ ...snapshot, embeddings: snapshot.heldoutEmbeddings })) return outcome(step, { step, what: 'held-out features' });
      }
    }
    return outcome(testCase.steps, null);
  } finally {
    trainer.dispose();
  }
}

/** A short, readable label for a failing case. */
export function describeCase(testCase: SweepCase): string {
  const p = testCase.params;
  return `${testCase.kind} ${testCase.fused ? 'fused' : 'unfused'} m1=${p.m1} m2=${p.m2} m3=${p.m3} s=${p.s} lr=${p.lr} fallback=${p.fallback} warmup=${p.warmupSteps} batch=${p.batchSize} n=${p.samplesPerIdentity} ids=${p.identities} ${p.optimizer} ${p.head} seed=${p.seed}`;
}

/** Runs the cases of one test file; returns a line per failure. */
export async function runSweepFile(file: number): Promise<string[]> {
  const failures: string[] = [];
  for (const testCase of casesForFile(file)) {
    const outcome = await runCase(testCase);
    if (outcome.failure) failures.push(`${describeCase(testCase)}: non-finite ${outcome.failure.what} at step ${outcome.failure.step}`);
  }
  return failures;
}
