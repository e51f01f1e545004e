/**
 * The numerics sweep: parameter combinations covering every corner of the schema plus
 * seeded random interior points, each trained 300 steps on the CPU backend. Shared by the
 * two test files that split it across Vitest's workers.
 */
import { createRng } from '../../core/rng';
import { PARAM_KEYS, SCHEMA, defaultParams, type NumberSpec, type Params } from '../../core/schema';
import { withPreset } from '../../core/presets';
import { Trainer } from '../trainer';

export const SWEEP_SIZE = 500;
export const SWEEP_STEPS = 300;

const MARGIN_KEYS = ['m1', 'm2', 'm3', 's', 'lr'] as const;
/** Keeps each run small: the sweep is about numbers, not about learning. */
const SMALL = { samplesPerIdentity: 20, identities: 8 };

/** Every min/max corner of the margin, scale and learning rate (with the fallback on and off), each extreme of the other parameters alone, then random points. */
export function sweepCombinations(): Params[] {
  const base: Params = { ...withPreset(defaultParams(), 'arcface'), ...SMALL };
  const combos: Params[] = [];
  for (let mask = 0; mask < 1 << MARGIN_KEYS.length; mask++) {
    for (const fallback of [true, false]) {
      const corner: Params = { ...base, fallback };
      MARGIN_KEYS.forEach((key, bit) => { corner[key] = (mask >> bit) & 1 ? SCHEMA[key].max : SCHEMA[key].min; });
      combos.push(corner);
    }
  }
  for (const key of PARAM_KEYS) {
    const spec = SCHEMA[key];
    if (spec.kind === 'number' && !(MARGIN_KEYS as readonly string[]).includes(key)) {
      // Large data sizes are swept at their extreme once; they are slow on the CPU backend.
      for (const value of [spec.min, spec.max]) combos.push({ ...base, [key]: value });
    } else if (spec.kind === 'choice') {
      for (const option of spec.options) combos.push({ ...base, [key]: option });
    }
  }
  const rng = createRng(20261127);
  const uniform = (spec: NumberSpec): number => {
    const raw = spec.logScale ? 10 ** (Math.log10(spec.min) + rng.next() * (Math.log10(spec.max) - Math.log10(spec.min))) : spec.min + rng.next() * (spec.max - spec.min);
    return spec.integer ? Math.round(raw) : raw;
  };
  while (combos.length < SWEEP_SIZE) {
    combos.push({
      ...base,
      m1: uniform(SCHEMA.m1), m2: uniform(SCHEMA.m2), m3: uniform(SCHEMA.m3), s: uniform(SCHEMA.s), lr: uniform(SCHEMA.lr),
      seed: rng.int(1000), batchSize: [16, 64, 256, 4096][rng.int(4)], warmupSteps: [0, 300, 2000][rng.int(3)],
      fallback: rng.next() < 0.5, optimizer: rng.next() < 0.8 ? 'adam' : 'sgd', head: rng.next() < 0.9 ? 'margin' : 'softmax',
    });
  }
  return combos;
}

export interface SweepOutcome {
  params: Params;
  finite: boolean;
  loss: number;
}

/** Trains one combination and reports whether the loss, the features and W stayed finite. */
export async function runCombination(params: Params): Promise<SweepOutcome> {
  const trainer = new Trainer(params, { dataset: { heldoutSamplesPerIdentity: 10 } });
  try {
    trainer.train(SWEEP_STEPS);
    const snapshot = await trainer.readSnapshot();
    const arrays = [snapshot.embeddings, snapshot.weights, snapshot.heldoutEmbeddings, snapshot.thetaTarget];
    const finite = Number.isFinite(snapshot.loss) && arrays.every((array) => array.every(Number.isFinite));
    return { params, finite, loss: snapshot.loss };
  } finally {
    trainer.dispose();
  }
}
