/**
 * The convergence study behind the engine's claims, too slow for every CI run:
 * norm-softmax and ArcFace on the default dataset over many seeds. Prints a table, the
 * 5-seed Table 3 directions, and the collapse count; exits 1 if a claim fails.
 *   npm run convergence -- [--seeds 20] [--steps 3000] [--backend wasm]
 */
import { parseToyArgs, withPreset } from '../src/core/cliArgs';
import { runToy, COLLAPSE_DEGREES, type ToyResult } from '../src/train/headless';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};
const seeds = flag('seeds', 20);
const steps = flag('steps', 3000);
const backendIndex = argv.indexOf('--backend');
const backend = backendIndex >= 0 ? argv[backendIndex + 1] : 'wasm';

const base = parseToyArgs(['--steps', String(steps), '--backend', backend]);
if (!base.ok) throw new Error(base.message);

const results: Record<string, ToyResult[]> = { 'norm-softmax': [], arcface: [] };
console.log('| preset | seed | acc % | Intra | Inter | W-EC | gap | Intra2 | Inter2 | separated | s |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (let seed = 1; seed <= seeds; seed++) {
  for (const preset of Object.keys(results)) {
    const params = { ...withPreset(base.options.params, preset), seed };
    const result = await runToy({ ...base.options, preset, params });
    results[preset].push(result);
    const a = result.angles;
    console.log(
      `| ${preset} | ${seed} | ${(result.trainAccuracy * 100).toFixed(1)} | ${a.intraTrain.toFixed(2)} | ${a.interTrain.toFixed(2)} | ${a.wEC.toFixed(2)} | ${a.gapTrain.toFixed(2)} | ${a.intraHeldout.toFixed(2)} | ${a.interHeldout.toFixed(2)} | ${result.separatedIdentities}/8 | ${(result.ms / 1000).toFixed(1)} |`,
    );
  }
}

const mean = (values: number[]): number => values.reduce((total, value) => total + value, 0) / values.length;
const firstFive = (preset: string): ToyResult[] => results[preset].slice(0, 5);
const average = (preset: string, pick: (result: ToyResult) => number): number => mean(firstFive(preset).map(pick));
const ns = {
  intra: average('norm-softmax', (r) => r.angles.intraTrain),
  wEC: average('norm-softmax', (r) => r.angles.wEC),
  gap: average('norm-softmax', (r) => r.angles.gapTrain),
  inter: average('norm-softmax', (r) => r.angles.interTrain),
};
const arc = {
  intra: average('arcface', (r) => r.angles.intraTrain),
  wEC: average('arcface', (r) => r.angles.wEC),
  gap: average('arcface', (r) => r.angles.gapTrain),
  inter: average('arcface', (r) => r.angles.interTrain),
};

const claims: [string, boolean][] = [
  [`5-seed Intra: ArcFace ${arc.intra.toFixed(2)}° ≤ half of norm-softmax ${ns.intra.toFixed(2)}°`, arc.intra <= ns.intra / 2],
  [`5-seed W-EC: ArcFace ${arc.wEC.toFixed(2)}° < norm-softmax ${ns.wEC.toFixed(2)}°`, arc.wEC < ns.wEC],
  [`5-seed smallest arc gap: ArcFace ${arc.gap.toFixed(2)}° > norm-softmax ${ns.gap.toFixed(2)}°`, arc.gap > ns.gap],
];
const pairs = results.arcface.map((result, index) => ({ seed: index + 1, arc: result, ns: results['norm-softmax'][index] }));
const collapsed = pairs.filter((pair) => pair.arc.separatedIdentities < 7);
const behind = pairs.filter((pair) => pair.arc.trainAccuracy < pair.ns.trainAccuracy - 0.02);
claims.push([`ArcFace never collapses (≥ 7 of 8 centres ≥ ${COLLAPSE_DEGREES}° apart): ${seeds - collapsed.length}/${seeds} seeds`, collapsed.length === 0]);
claims.push([`ArcFace train accuracy ≥ norm-softmax − 2 points: ${seeds - behind.length}/${seeds} seeds`, behind.length === 0]);
console.log(`\n5-seed Inter (saturates near 45°): norm-softmax ${ns.inter.toFixed(2)}°, ArcFace ${arc.inter.toFixed(2)}°`);
console.log(
  `mean train accuracy over ${seeds} seeds: norm-softmax ${(mean(results['norm-softmax'].map((r) => r.trainAccuracy)) * 100).toFixed(2)}%, ArcFace ${(mean(results.arcface.map((r) => r.trainAccuracy)) * 100).toFixed(2)}%`,
);
for (const [claim, holds] of claims) console.log(`${holds ? 'PASS' : 'FAIL'}  ${claim}`);
process.exit(claims.every(([, holds]) => holds) ? 0 : 1);
