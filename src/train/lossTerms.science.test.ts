/**
 * The paper's Sec. 3.4 findings on the toy, averaged over seeds 1–5 on WASM (issue 14):
 * Intra-Loss makes the identities more compact than Norm-Softmax (finding 2), and
 * Inter-Loss spreads the class directions wider (finding 3).
 *
 * Short runs, so that `npm test` keeps its budget: 600 steps on 100 samples per identity,
 * the default warm-up, batch and learning rate. Measured (5-seed means, 600 steps):
 *
 *                        Intra   W-Inter
 *   Norm-Softmax         7.04°   34.23°
 *   NS + Intra (1)       5.37°   37.53°
 *   NS + Inter (2)       6.99°   36.90°
 *
 * Inter-Loss runs at weight 2 here, not the formula's 1. On a circle, the sum of the
 * angles between all pairs of W is the same for every balanced arrangement (8 evenly
 * spread directions and 4 + 4 opposite ones both give 2,880°), so the term is flat where
 * Norm-Softmax leaves W, and at weight 1 its effect on W-Inter is within the seeds'
 * spread (seed 1 at 2,000 steps on 300 per identity: 27.89° against 27.64°). In the
 * paper's 512-D features it is not flat. `npm run toy -- --compare norm-softmax,ns-inter`
 * shows weight 1.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseToyArgs } from '../core/cliArgs';
import { runToyOptions, type ToyResult } from './headless';

const SEEDS = [1, 2, 3, 4, 5];
const RUNS = ['norm-softmax', 'ns-intra', 'ns-inter~inter=2'] as const;
type RunName = (typeof RUNS)[number];
const STEPS = 600;
const SAMPLES_PER_IDENTITY = 100;

const results: Record<RunName, ToyResult[]> = { 'norm-softmax': [], 'ns-intra': [], 'ns-inter~inter=2': [] };
const mean = (values: number[]): number => values.reduce((total, value) => total + value, 0) / values.length;
const averaged = (run: RunName, pick: (result: ToyResult) => number): number => mean(results[run].map(pick));

describe(`Sec. 3.4 on the toy over 5 seeds, ${STEPS} steps on WASM (Intra-Loss, Inter-Loss)`, () => {
  beforeAll(async () => {
    for (const seed of SEEDS) {
      const parsed = parseToyArgs(['--compare', RUNS.join(','), '--seed', String(seed), '--steps', String(STEPS), '--n', String(SAMPLES_PER_IDENTITY), '--backend', 'wasm', '--json']);
      if (!parsed.ok) throw new Error(parsed.message);
      const output = await runToyOptions(parsed.options);
      if (!('runs' in output)) throw new Error('--compare gave a single run');
      RUNS.forEach((run, index) => {
        results[run].push(output.runs[index]);
      });
    }
    const table = Object.fromEntries(
      RUNS.map((run) => [run, { intra: averaged(run, (r) => r.angles.intraTrain), wInter: averaged(run, (r) => r.angles.wInter), trainAccuracy: averaged(run, (r) => r.trainAccuracy) }]),
    );
    console.log(JSON.stringify({ steps: STEPS, seeds: SEEDS, means: table }));
  }, 600_000);

  it('each run trained its own terms, on the same seeds, to high train accuracy', () => {
    expect(results['ns-intra'].map((r) => r.params.intra)).toEqual([1, 1, 1, 1, 1]);
    expect(results['ns-inter~inter=2'].map((r) => r.params.inter)).toEqual([2, 2, 2, 2, 2]);
    expect(results['norm-softmax'].map((r) => [r.params.intra, r.params.inter])).toEqual(SEEDS.map(() => [0, 0]));
    for (const run of RUNS)
      expect(
        averaged(run, (r) => r.trainAccuracy),
        run,
      ).toBeGreaterThanOrEqual(0.95);
  });

  // Margins, not bare inequalities: Norm-Softmax trains fused and the others unfused, and
  // that alone moves Intra by about 1% (seed 1: 6.61° against 6.53° with the term switched off).
  it('finding 2: Intra-Loss gives a smaller Intra than Norm-Softmax, by at least a tenth', () => {
    expect(averaged('ns-intra', (r) => r.angles.intraTrain)).toBeLessThanOrEqual(0.9 * averaged('norm-softmax', (r) => r.angles.intraTrain));
  });

  it('finding 3: Inter-Loss gives a larger W-Inter than Norm-Softmax, by at least 1°', () => {
    expect(averaged('ns-inter~inter=2', (r) => r.angles.wInter)).toBeGreaterThanOrEqual(averaged('norm-softmax', (r) => r.angles.wInter) + 1);
  });
});
