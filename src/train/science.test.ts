/**
 * The paper's claims on the default dataset, averaged over seeds 1–5, on WASM (issue #10):
 * Table 3 (ArcFace against norm-softmax), Fig. 6 (pair angles on samples never trained
 * on) and the order of Table 2's verification accuracies on LFW. Each seed trains
 * norm-softmax, Softmax and ArcFace once, through the CLI's own compare path
 * (`--compare norm-softmax,softmax,arcface`), and every claim reads those 15 runs.
 *
 * 1,000 steps: measured over seeds 1–5 (5-seed means, test split, 20,000 pairs of each kind)
 *
 *                       Intra   gap     p99 pos  p1 neg  verification
 *   1,000 norm-softmax  4.92°   10.72°  51.09°   18.98°  96.10%
 *         Softmax       2.90°   22.29°  34.84°   28.40°  98.70%
 *         ArcFace       1.19°   37.17°  24.04°   37.95°  99.54%
 *   2,000 norm-softmax  4.61°   13.41°  49.67°   20.38°  96.52%
 *         Softmax       2.85°   22.13°  34.57°   28.29°  98.66%
 *         ArcFace       1.05°   38.40°  23.42°   38.80°  99.56%
 *
 * Every figure has settled by 1,000 steps. At 750, norm-softmax has not (one seed at
 * 94.9% train accuracy, a mean smallest gap of 1°); at 500, ArcFace is still coming out
 * of its margin warm-up (its Intra 0.71 of Softmax's, above the ½ asserted). The tightest
 * claim at 1,000 is Intra against Softmax: 0.41 of it.
 * `SCIENCE_STEPS=3000` runs longer.
 *
 * This file also carries Table 3's assertions (ArcFace Intra ≤ ½ norm-softmax's, W-EC
 * smaller, gap larger, ≥ 95% train accuracy), on the same runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseToyArgs } from '../core/cliArgs';
import { DEFAULT_MAX_PAIRS_PER_KIND } from '../core/pairs';
import { runToyOptions, type PairFigures, type ToyResult } from './headless';

const SEEDS = [1, 2, 3, 4, 5];
const PRESETS = ['norm-softmax', 'softmax', 'arcface'] as const;
type PresetId = (typeof PRESETS)[number];
const DEFAULT_STEPS = 1000;
const requestedSteps = Number(process.env.SCIENCE_STEPS);
const STEPS = Number.isInteger(requestedSteps) && requestedSteps > 0 ? requestedSteps : DEFAULT_STEPS;
/**
 * 15 runs of 1,000 steps took 75 s on this project's 2-core machine while other work ran
 * (load average 4–8), and 235 s at a load average of 13.
 */
const TRAINING_TIMEOUT_MS = 600_000;

const runs: Record<PresetId, ToyResult[]> = { 'norm-softmax': [], softmax: [], arcface: [] };

const mean = (values: number[]): number => values.reduce((total, value) => total + value, 0) / values.length;
const average = (preset: PresetId, pick: (result: ToyResult) => number): number => mean(runs[preset].map(pick));
const present = (value: number | null | undefined, what: string): number => {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
};
const verificationAccuracy = (pairs: PairFigures): number => present(pairs.verification?.accuracy, 'verification accuracy');

/** The 5-seed means a claim or the README reads. */
function means(preset: PresetId) {
  return {
    intra: average(preset, (r) => r.angles.intraTrain),
    inter: average(preset, (r) => r.angles.interTrain),
    wEC: average(preset, (r) => r.angles.wEC),
    gap: average(preset, (r) => r.angles.gapTrain),
    trainAccuracy: average(preset, (r) => r.trainAccuracy),
    testAccuracy: average(preset, (r) => present(r.testAccuracy, 'test accuracy')),
    p99Positive: average(preset, (r) => present(r.pairs.test.p99Positive, 'p99 positive')),
    p1Negative: average(preset, (r) => present(r.pairs.test.p1Negative, 'p1 negative')),
    verification: average(preset, (r) => verificationAccuracy(r.pairs.test)),
    unseen: {
      verification: average(preset, (r) => verificationAccuracy(r.pairs.unseen)),
      p99Positive: average(preset, (r) => present(r.pairs.unseen.p99Positive, 'unseen p99 positive')),
      p1Negative: average(preset, (r) => present(r.pairs.unseen.p1Negative, 'unseen p1 negative')),
      intra: average(preset, (r) => r.angles.intraHeldout),
      inter: average(preset, (r) => r.angles.interHeldout),
    },
  };
}

describe(`the paper's claims over 5 seeds, ${STEPS} steps on WASM (Tables 2 and 3, Figs. 3 and 6)`, () => {
  beforeAll(async () => {
    for (const seed of SEEDS) {
      const parsed = parseToyArgs(['--compare', PRESETS.join(','), '--seed', String(seed), '--steps', String(STEPS), '--backend', 'wasm', '--json']);
      if (!parsed.ok) throw new Error(parsed.message);
      const output = await runToyOptions(parsed.options);
      if (!('runs' in output)) throw new Error('--compare gave a single run');
      PRESETS.forEach((preset, index) => {
        runs[preset].push(output.runs[index]);
      });
    }
    const table = Object.fromEntries(PRESETS.map((preset) => [preset, means(preset)]));
    console.log(JSON.stringify({ steps: STEPS, seeds: SEEDS, seconds: mean(PRESETS.flatMap((preset) => runs[preset].map((r) => r.ms / 1000))), means: table }));
  }, TRAINING_TIMEOUT_MS);

  it('every run trained the asked steps on its seed, and measured 20,000 pairs of each kind', () => {
    for (const preset of PRESETS) {
      expect(runs[preset].map((r) => [r.preset, r.seed, r.steps, r.backend])).toEqual(SEEDS.map((seed) => [preset, seed, STEPS, 'wasm']));
      for (const result of runs[preset]) {
        for (const pairs of [result.pairs.test, result.pairs.unseen]) {
          expect([pairs.positivePairs, pairs.negativePairs]).toEqual([DEFAULT_MAX_PAIRS_PER_KIND, DEFAULT_MAX_PAIRS_PER_KIND]);
        }
      }
    }
  });

  it('Table 3: ArcFace is more compact than norm-softmax, closer to its W, leaves wider gaps, and fits the training data', () => {
    const ns = means('norm-softmax');
    const arc = means('arcface');
    expect(arc.intra).toBeLessThanOrEqual(ns.intra / 2);
    expect(arc.wEC).toBeLessThan(ns.wEC);
    expect(arc.gap).toBeGreaterThan(ns.gap);
    for (const result of runs.arcface) expect(result.trainAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  describe.each(['norm-softmax', 'softmax'] as const)('compare=%s,arcface', (other) => {
    it('ArcFace: Intra at most half, a larger smallest arc gap, and a smaller 99th-percentile positive-pair angle on the test samples', () => {
      const them = means(other);
      const arc = means('arcface');
      expect(arc.intra).toBeLessThanOrEqual(them.intra / 2);
      expect(arc.gap).toBeGreaterThan(them.gap);
      expect(arc.p99Positive).toBeLessThan(them.p99Positive);
    });
  });

  it('verification accuracy on the test samples orders as Table 2 on LFW: norm-softmax < Softmax < ArcFace (paper: 98.56, 99.08, 99.53)', () => {
    const [ns, softmax, arc] = PRESETS.map((preset) => means(preset).verification);
    expect(ns).toBeLessThan(softmax);
    expect(softmax).toBeLessThan(arc);
    for (const value of [ns, softmax, arc]) {
      expect(value).toBeGreaterThanOrEqual(0.5);
      expect(value).toBeLessThanOrEqual(1);
    }
  });

  it('reports the unseen identities, without a claim: in 2-D they have no room of their own', () => {
    const unseen = Object.fromEntries(PRESETS.map((preset) => [preset, means(preset).unseen]));
    console.log(JSON.stringify({ unseen }));
    for (const preset of PRESETS) for (const result of runs[preset]) expect(result.pairs.unseen.verification).not.toBeNull();
  });
});
