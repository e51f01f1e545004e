/**
 * Compare mode's engine side (issue #10) on the CPU backend, which is bit-for-bit
 * reproducible: runs built from the same seed start identical whatever their head, a
 * snapshot carries Fig. 6 pair summaries of the right splits, and the CLI reports one
 * result per run. Small data and a narrow network keep each case under a few seconds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy } from '../core/angles';
import { parseToyArgs, withPreset } from '../core/cliArgs';
import { DEFAULT_MAX_PAIRS_PER_KIND, pairStats, summarisePairs } from '../core/pairs';
import { deriveSeed } from '../core/rng';
import { defaultParams, type Params } from '../core/schema';
import type { SessionFrame } from '../core/snapshot';
import { installReadCounter } from './debugTools';
import { formatOutput, runToyOptions, useNodeBackend, type ToyResult } from './headless';
import { EMBEDDING_DIM } from './model';
import { PAIRS_EVERY_MS, TrainingSession } from './session';
import { LIVE_MAX_PAIRS_PER_KIND, Trainer, type TrainerOptions } from './trainer';

const SAMPLES = 20;
const TEST_SAMPLES = 20;
const small = (preset: string, overrides: Partial<Params> = {}): Params => ({ ...withPreset(defaultParams(), preset), samplesPerIdentity: SAMPLES, ...overrides });
const smallModel: TrainerOptions = { hiddenUnits: [16, 16], dataset: { heldoutSamplesPerIdentity: 10, testSamplesPerIdentity: TEST_SAMPLES } };

const sameBits = (a: Float32Array | Int32Array, b: Float32Array | Int32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/**
 * The backbone in plain JavaScript, from exported weights ([kernel, bias] per layer, then
 * W and the bias): an oracle for which inputs a packed block of embeddings came from.
 */
function embedInJs(inputs: Float32Array, inputDim: number, weights: readonly Float32Array[], widths: readonly number[]): Float32Array {
  let activation = Float64Array.from(inputs);
  let width = inputDim;
  const rows = inputs.length / inputDim;
  widths.forEach((outWidth, layer) => {
    const kernel = weights[2 * layer];
    const bias = weights[2 * layer + 1];
    const next = new Float64Array(rows * outWidth);
    for (let row = 0; row < rows; row++) {
      for (let out = 0; out < outWidth; out++) {
        let sum = bias[out];
        for (let k = 0; k < width; k++) sum += activation[row * width + k] * kernel[k * outWidth + out];
        next[row * outWidth + out] = layer < widths.length - 1 ? Math.max(0, sum) : sum;
      }
    }
    activation = next;
    width = outWidth;
  });
  return Float32Array.from(activation);
}

const maxDifference = (a: Float32Array, b: Float32Array): number => a.reduce((most, value, index) => Math.max(most, Math.abs(value - b[index])), 0);

/** Trainer's private batch picker, to read the batch order without training. */
type BatchPicker = { nextBatch(): Int32Array | null };

describe('compare mode on the CPU backend', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });

  it('two trainers with the same seed and different heads get bit-identical data, initial weights and batch order', async () => {
    const softmax = new Trainer(small('softmax', { batchSize: 32 }), smallModel);
    const arcface = new Trainer(small('arcface', { batchSize: 32 }), smallModel);
    try {
      expect(softmax.currentParams.head).toBe('softmax');
      expect(arcface.currentParams.head).toBe('margin');
      for (const split of ['train', 'heldout', 'test'] as const) {
        expect(sameBits(softmax.dataset[split].inputs, arcface.dataset[split].inputs)).toBe(true);
        expect(sameBits(softmax.dataset[split].labels, arcface.dataset[split].labels)).toBe(true);
      }
      // Every variable, the softmax bias included (the margin head keeps it, untrained).
      const [softmaxWeights, arcfaceWeights] = await Promise.all([softmax.exportWeights(), arcface.exportWeights()]);
      expect(softmaxWeights.length).toBe(arcfaceWeights.length);
      expect(softmaxWeights.map((variable, index) => sameBits(variable, arcfaceWeights[index]))).toEqual(softmaxWeights.map(() => true));
      // 12 batches of 32 from 160 samples: two reshuffles.
      const batches = (trainer: Trainer): number[][] => Array.from({ length: 12 }, () => [...((trainer as unknown as BatchPicker).nextBatch() ?? [])]);
      const order = batches(softmax);
      expect(order.every((batch) => batch.length === 32)).toBe(true);
      expect(batches(arcface)).toEqual(order);
    } finally {
      softmax.dispose();
      arcface.dispose();
    }
  });

  it('a snapshot carries pair summaries of the test split and of the unseen identities, in the same single readback', async () => {
    const trainer = new Trainer(small('arcface'), smallModel);
    const counter = installReadCounter();
    try {
      trainer.train(20);
      await trainer.settle();
      const before = counter.reads;
      const report = await trainer.readReport();
      expect(counter.reads - before).toBe(1);
      const { snapshot, testEmbeddings } = report;
      const { test, heldout } = trainer.dataset;
      expect(test.count).toBe(8 * TEST_SAMPLES);
      // Each block of the packed readback is the forward pass of its own split.
      const weights = await trainer.exportWeights();
      const widths = [...(smallModel.hiddenUnits ?? []), EMBEDDING_DIM];
      expect(maxDifference(testEmbeddings, embedInJs(test.inputs, trainer.dataset.inputDim, weights, widths))).toBeLessThan(1e-4);
      expect(maxDifference(snapshot.heldoutEmbeddings, embedInJs(heldout.inputs, trainer.dataset.inputDim, weights, widths))).toBeLessThan(1e-4);
      expect(maxDifference(snapshot.embeddings, embedInJs(trainer.dataset.train.inputs, trainer.dataset.inputDim, weights, widths))).toBeLessThan(1e-4);
      // By nearest W, on the test split: the same rule as train accuracy, other samples.
      expect(report.testAccuracy).toBe(accuracy(testEmbeddings, test.labels, snapshot.weights, snapshot.classes, EMBEDDING_DIM));

      // The summaries are exactly core's, on the test split's and the unseen identities'
      // features, with seeds derived from the run's seed and the live cap.
      const live = { maxPairsPerKind: LIVE_MAX_PAIRS_PER_KIND };
      const { seed } = trainer.currentParams;
      expect(snapshot.pairs.test).toEqual(summarisePairs(pairStats(testEmbeddings, test.labels, EMBEDDING_DIM, { seed: deriveSeed(seed, 'test pairs'), ...live })));
      expect(snapshot.pairs.unseen).toEqual(summarisePairs(pairStats(snapshot.heldoutEmbeddings, heldout.labels, EMBEDDING_DIM, { seed: deriveSeed(seed, 'unseen pairs'), ...live })));

      for (const summary of [snapshot.pairs.test, snapshot.pairs.unseen]) {
        expect(summary.verification).not.toBeNull();
        expect(summary.verification?.accuracy).toBeGreaterThanOrEqual(0.5);
        expect(summary.verification?.accuracy).toBeLessThanOrEqual(1);
        expect(summary.verification?.threshold).toBeGreaterThanOrEqual(0);
        expect(summary.verification?.threshold).toBeLessThanOrEqual(180);
        expect(summary.overlap).toBeCloseTo((summary.p99Positive ?? Number.NaN) - (summary.p1Negative ?? Number.NaN), 9);
        const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
        expect(sum(summary.histogram.positive)).toBe(summary.positivePairs);
        expect(sum(summary.histogram.negative)).toBe(summary.negativePairs);
        expect(sum(summary.histogram.positiveShare)).toBeCloseTo(1, 9);
        // No angle lists: a frame carries figures only.
        expect(Object.keys(summary)).not.toContain('positive');
      }
      // 8 × 20 test samples: 8·190 = 1,520 positive pairs, all measured; 11,200 negative
      // pairs, capped at the live 3,000. 8 × 10 unseen samples: 360 and 2,800, all.
      expect(snapshot.pairs.test.positivePairs).toBe(1520);
      expect(snapshot.pairs.test.negativePairs).toBe(LIVE_MAX_PAIRS_PER_KIND);
      expect(snapshot.pairs.unseen.positivePairs).toBe(360);
      expect(snapshot.pairs.unseen.negativePairs).toBe(2800);

      // Same step, same pairs: the subsample does not change from frame to frame.
      expect((await trainer.readSnapshot()).pairs).toEqual(snapshot.pairs);
    } finally {
      counter.uninstall();
      trainer.dispose();
    }
  });

  it('the report cap measures every pair up to 20,000 of each kind; an empty test split gives no pairs and no test accuracy', async () => {
    const full = new Trainer(small('arcface'), { ...smallModel, maxPairsPerKind: DEFAULT_MAX_PAIRS_PER_KIND });
    const empty = new Trainer(small('arcface'), { ...smallModel, dataset: { heldoutSamplesPerIdentity: 10, testSamplesPerIdentity: 0 } });
    try {
      expect((await full.readSnapshot()).pairs.test.negativePairs).toBe(11200);
      const { snapshot, testAccuracy, testEmbeddings } = await empty.readReport();
      expect(testEmbeddings.length).toBe(0);
      expect(testAccuracy).toBeNaN();
      expect(snapshot.pairs.test).toMatchObject({ positivePairs: 0, negativePairs: 0, verification: null, p99Positive: null, p1Negative: null, overlap: null });
      expect(snapshot.pairs.unseen.verification).not.toBeNull();
    } finally {
      full.dispose();
      empty.dispose();
    }
  });

  it('the test part has as many samples per identity as the training part, up to 300', () => {
    for (const [trained, tested] of [
      [20, 20],
      [300, 300],
      [1000, 300],
    ]) {
      const trainer = new Trainer(small('arcface', { samplesPerIdentity: trained }), { hiddenUnits: [16, 16] });
      try {
        expect(trainer.dataset.test.count).toBe(8 * tested);
      } finally {
        trainer.dispose();
      }
    }
  });

  it('a frame told to reuse pairs carries the last measured ones, unless the weights were replaced (a resumed run)', async () => {
    const trainer = new Trainer(small('arcface'), smallModel);
    const reusing = async (): Promise<SessionFrame['runs'][number]['pairs']> => {
      const packed = trainer.packSnapshot(false);
      try {
        return trainer.unpackSnapshot((await packed.data()) as Float32Array, 0, { step: trainer.step, withWeights: false, freshPairs: false }).snapshot.pairs;
      } finally {
        packed.dispose();
      }
    };
    try {
      const initialWeights = await trainer.exportWeights();
      const atStart = (await trainer.readSnapshot()).pairs;
      trainer.train(20);
      expect(await reusing()).toEqual(atStart);
      const trained = (await trainer.readSnapshot()).pairs;
      expect(trained).not.toEqual(atStart);
      trainer.importWeights(initialWeights);
      expect(await reusing()).toEqual(atStart);
    } finally {
      trainer.dispose();
    }
  });

  it(`a playing session measures each run's pairs afresh at most every ${PAIRS_EVERY_MS} ms; a paused or stepped frame always does`, async () => {
    const frames: SessionFrame[] = [];
    const clock = { ms: 0 };
    const session = new TrainingSession({
      runs: [small('softmax'), small('arcface')],
      playing: true,
      stepsPerFrame: 5,
      trainer: smallModel,
      post: (message) => {
        if (message.type === 'snapshot') frames.push(message.frame);
      },
      now: () => clock.ms,
    });
    /** The worker's loop until one more frame went out, which the page then takes. */
    const nextFrame = async (): Promise<SessionFrame> => {
      const target = frames.length + 1;
      for (let guard = 0; guard < 20 && frames.length < target; guard++) {
        const action = session.nextAction();
        if (action.kind === 'wait') break;
        await session.perform(action);
      }
      session.receive({ type: 'frameReady' });
      const frame = frames.at(-1);
      if (!frame || frames.length !== target) throw new Error('no frame went out');
      return frame;
    };
    /** Each run's pairs measured now, on the features the frame showed (nothing trained since). */
    const measuredNow = (): Promise<SessionFrame['runs'][number]['pairs'][]> => Promise.all(session.trainers.map(async (trainer) => (await trainer.readSnapshot()).pairs));
    try {
      session.start();
      const first = await nextFrame();
      expect(first.runs.map((run) => run.pairs)).toEqual(await measuredNow());
      clock.ms += PAIRS_EVERY_MS - 50;
      const between = await nextFrame();
      expect(between.step).toBeGreaterThan(first.step);
      // The last measured pairs again, though the features moved.
      expect(between.runs.map((run) => run.pairs)).toEqual(first.runs.map((run) => run.pairs));
      expect(between.runs.map((run) => run.pairs)).not.toEqual(await measuredNow());
      clock.ms += 50;
      const due = await nextFrame();
      expect(due.runs.map((run) => run.pairs)).toEqual(await measuredNow());
      // Paused, then stepped with no time passing: that frame is fresh all the same.
      session.receive({ type: 'pause' });
      session.receive({ type: 'step', count: 3 });
      let stepped = await nextFrame();
      while (stepped.step !== due.step + 3) stepped = await nextFrame();
      expect(stepped.playing).toBe(false);
      expect(stepped.runs.map((run) => run.pairs)).toEqual(await measuredNow());
    } finally {
      session.dispose();
    }
  });

  it('npm run toy -- --compare softmax,arcface --json prints { runs } with one result per run, in lockstep', async () => {
    const parsed = parseToyArgs(['--compare', 'softmax,arcface', '--json', '--steps', '30', '--backend', 'cpu', '--n', String(SAMPLES), '--seed', '3']);
    if (!parsed.ok) throw new Error(parsed.message);
    const output = await runToyOptions(parsed.options, smallModel);
    const printed = JSON.parse(formatOutput(output, true)) as { runs: ToyResult[] };
    expect(printed.runs.map((run) => [run.preset, run.label, run.seed, run.steps, run.backend])).toEqual([
      ['softmax', 'Softmax', 3, 30, 'cpu'],
      ['arcface', 'ArcFace (0.5)', 3, 30, 'cpu'],
    ]);
    for (const run of printed.runs) {
      expect(run.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(run.testAccuracy).toBeLessThanOrEqual(1);
      for (const kind of ['test', 'unseen'] as const) {
        const figures = run.pairs[kind];
        expect(Object.keys(figures).sort()).toEqual(['negativePairs', 'overlap', 'p1Negative', 'p99Positive', 'positivePairs', 'verification']);
        expect(figures.verification?.accuracy).toBeGreaterThanOrEqual(0.5);
      }
      // The report cap (20,000) covers all 11,200 negative test pairs.
      expect(run.pairs.test.negativePairs).toBe(11200);
    }
    // The heads differ, so the runs do too.
    expect(printed.runs[0].loss).not.toBe(printed.runs[1].loss);

    // A single run's JSON is one object with the same fields; the table has a column per run.
    const single = parseToyArgs(['--preset', 'arcface', '--steps', '30', '--backend', 'cpu', '--n', String(SAMPLES), '--seed', '3']);
    if (!single.ok) throw new Error(single.message);
    const alone = await runToyOptions(single.options, smallModel);
    expect('runs' in alone).toBe(false);
    // Same seed, same settings: the compare run B is this run exactly.
    expect(JSON.parse(formatOutput(alone, true))).toEqual({ ...printed.runs[1], ms: (alone as ToyResult).ms });
    const table = formatOutput(output, false).split('\n');
    expect(table[0]).toMatch(/A: Softmax\s+B: ArcFace \(0\.5\)$/);
    expect(table.find((line) => line.startsWith('verification accuracy (test split)'))?.match(/\d+\.\d+%/g)).toHaveLength(2);
  });
});
