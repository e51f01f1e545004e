/**
 * The issue-13 claims on handwritten digits, over seeds 1–5, as a Vitest suite that a
 * test file declares with its own training budget: `digitsScience.test.ts` (part of
 * `npm test`, short) and `digits.study.ts` (`npm run study:digits`, the issue's
 * prototype settings). Each seed trains norm-softmax and ArcFace (0.5) through the CLI's
 * compare path (`npm run toy -- --data digits --compare norm-softmax,arcface …`), so
 * the figures are the CLI's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseToyArgs } from '../core/cliArgs';
import { runToyOptions, type ToyResult } from './headless';

export interface DigitsBudget {
  steps: number;
  batch: number;
  lr: number;
  /** Training images per digit (of the 600 set aside). */
  samplesPerIdentity: number;
  warmup: number;
}

export const DIGITS_SEEDS = [1, 2, 3, 4, 5];
const PRESETS = ['norm-softmax', 'arcface'] as const;
type PresetId = (typeof PRESETS)[number];

export function digitsFlags(budget: DigitsBudget, seed: number): string[] {
  return [
    '--data',
    'digits',
    '--compare',
    PRESETS.join(','),
    '--seed',
    String(seed),
    '--steps',
    String(budget.steps),
    '--batch',
    String(budget.batch),
    '--lr',
    String(budget.lr),
    '--n',
    String(budget.samplesPerIdentity),
    '--warmup',
    String(budget.warmup),
    '--backend',
    'wasm',
    '--json',
  ];
}

const mean = (values: number[]): number => values.reduce((total, value) => total + value, 0) / values.length;
const present = (value: number | null | undefined, what: string): number => {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
};

/** The 5-seed means a claim or the README reads. */
export function digitsMeans(results: readonly ToyResult[]) {
  const average = (pick: (result: ToyResult) => number): number => mean(results.map(pick));
  return {
    trainAccuracy: average((r) => r.trainAccuracy),
    intra: average((r) => r.angles.intraTrain),
    gap: average((r) => r.angles.gapTrain),
    wEC: average((r) => r.angles.wEC),
    testAccuracy: average((r) => present(r.testAccuracy, 'test accuracy')),
    testIntra: average((r) => present(r.testIntra, 'test Intra')),
    testVerification: average((r) => present(r.pairs.test.verification?.accuracy, 'test verification')),
    unseenIntra: average((r) => r.angles.intraHeldout),
    unseenVerification: average((r) => present(r.pairs.unseen.verification?.accuracy, 'unseen verification')),
    seconds: average((r) => r.ms / 1000),
  };
}

export function describeDigitsClaims(title: string, budget: DigitsBudget, timeoutMs: number): void {
  describe(title, () => {
    const runs: Record<PresetId, ToyResult[]> = { 'norm-softmax': [], arcface: [] };

    beforeAll(async () => {
      for (const seed of DIGITS_SEEDS) {
        const parsed = parseToyArgs(digitsFlags(budget, seed));
        if (!parsed.ok) throw new Error(parsed.message);
        const output = await runToyOptions(parsed.options);
        if (!('runs' in output)) throw new Error('--compare gave a single run');
        PRESETS.forEach((preset, index) => {
          runs[preset].push(output.runs[index]);
        });
      }
      console.log(JSON.stringify({ budget, seeds: DIGITS_SEEDS, means: { 'norm-softmax': digitsMeans(runs['norm-softmax']), arcface: digitsMeans(runs.arcface) } }));
    }, timeoutMs);

    it('every run trained on the digits for the asked steps, on its seed', () => {
      for (const preset of PRESETS) {
        expect(runs[preset].map((r) => [r.data, r.preset, r.seed, r.steps, r.backend])).toEqual(DIGITS_SEEDS.map((seed) => ['digits', preset, seed, budget.steps, 'wasm']));
      }
    });

    it('ArcFace fits the training part on every seed (≥ 95%)', () => {
      for (const result of runs.arcface) expect(result.trainAccuracy).toBeGreaterThanOrEqual(0.95);
    });

    it('Table 3 on the training part: ArcFace is at most half as spread as norm-softmax, leaves a wider smallest gap, and sits closer to its W', () => {
      const ns = digitsMeans(runs['norm-softmax']);
      const arc = digitsMeans(runs.arcface);
      expect(arc.intra).toBeLessThanOrEqual(ns.intra / 2);
      expect(arc.gap).toBeGreaterThan(ns.gap);
      expect(arc.wEC).toBeLessThan(ns.wEC);
    });

    it('on the test part (never trained on), ArcFace is more compact and verifies better, averaged over the seeds', () => {
      const ns = digitsMeans(runs['norm-softmax']);
      const arc = digitsMeans(runs.arcface);
      expect(arc.testIntra).toBeLessThan(ns.testIntra);
      expect(arc.testVerification).toBeGreaterThan(ns.testVerification);
      for (const value of [ns.testAccuracy, arc.testAccuracy]) expect(value).toBeGreaterThan(0.5);
    });
  });
}
