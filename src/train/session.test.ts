import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withPreset } from '../core/cliArgs';
import { defaultParams, type Params } from '../core/schema';
import type { SessionFrame } from '../core/snapshot';
import { installReadCounter } from './debugTools';
import { useNodeBackend } from './headless';
import { STEP_CHUNK } from './schedule';
import { CHECKPOINT_MS, TrainingSession, type SessionMessage } from './session';
import { tf } from './tf';

/** Small runs: 8 identities × 20 samples keep the tests fast on the CPU backend. */
const preset = (id: string, overrides: Partial<Params> = {}): Params => ({ ...withPreset(defaultParams(), id), samplesPerIdentity: 20, ...overrides });

interface Harness {
  session: TrainingSession;
  messages: SessionMessage[];
  frames: SessionFrame[];
  /** What the session did, in order: 'publish', 'train 25', 'settle'. */
  log: string[];
  clock: { ms: number };
}

const sessions: TrainingSession[] = [];

function harness(runs: Params[], options: { playing?: boolean; stepsPerFrame?: number; fused?: boolean } = {}): Harness {
  const messages: SessionMessage[] = [];
  const frames: SessionFrame[] = [];
  const clock = { ms: 0 };
  const session = new TrainingSession({
    runs,
    playing: options.playing ?? false,
    stepsPerFrame: options.stepsPerFrame ?? 1,
    fused: options.fused ?? true,
    post: (message) => {
      messages.push(message);
      if (message.type === 'snapshot') frames.push(message.frame);
    },
    now: () => clock.ms,
    // A narrower network and a small held-out split: the pacing does not depend on their size,
    // and the CPU backend's 64-unit layers cost about 50 ms a step on a busy 2-core machine.
    trainer: { hiddenUnits: [16, 16], dataset: { heldoutSamplesPerIdentity: 10 } },
  });
  sessions.push(session);
  session.start();
  return { session, messages, frames, log: [], clock };
}

/**
 * The worker's loop, until the session waits or `limit` actions ran. With `draw`, the
 * page takes every frame at once (frameReady right after each snapshot).
 */
async function drive(h: Harness, { draw = true, limit = 50 }: { draw?: boolean; limit?: number } = {}): Promise<void> {
  for (let done = 0; done < limit; done++) {
    const action = h.session.nextAction();
    if (action.kind === 'wait') return;
    h.log.push(action.kind === 'train' ? `train ${action.steps}` : action.kind);
    const framesBefore = h.frames.length;
    await h.session.perform(action);
    if (draw && h.frames.length > framesBefore) h.session.receive({ type: 'frameReady' });
  }
}

/** Drives until `count` more frames went out (the page drawing each). */
async function driveFrames(h: Harness, count: number): Promise<void> {
  const target = h.frames.length + count;
  for (let guard = 0; h.frames.length < target && guard < 200; guard++) await drive(h, { limit: 1 });
  expect(h.frames.length).toBe(target);
}

const stepsOf = (frames: SessionFrame[]): number[] => frames.map((frame) => frame.step);
const sameBits = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

async function weightsOf(session: TrainingSession): Promise<Float32Array[][]> {
  return Promise.all(session.trainers.map((trainer) => trainer.exportWeights()));
}

describe('TrainingSession on the CPU backend', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });

  afterEach(() => {
    for (const session of sessions.splice(0)) session.dispose();
  });

  it('publishes step 0 first, and trains nothing while paused', async () => {
    const h = harness([preset('arcface')]);
    await drive(h);
    expect(h.log).toEqual(['publish']);
    expect(stepsOf(h.frames)).toEqual([0]);
    h.session.receive({ type: 'play' });
    await driveFrames(h, 3);
    h.session.receive({ type: 'pause' });
    const pausedAt = h.session.step;
    h.log.length = 0;
    await drive(h);
    await drive(h);
    // One last frame says training stopped; nothing more trains.
    expect(h.log).toEqual(['publish']);
    expect(h.frames.at(-1)?.playing).toBe(false);
    expect(h.session.step).toBe(pausedAt);
    expect(h.session.trainers[0].step).toBe(pausedAt);
  });

  it('step 60 trains 25, 25 and 10, with a frame after each chunk the page can take', async () => {
    const h = harness([preset('arcface')]);
    await drive(h);
    h.log.length = 0;
    h.session.receive({ type: 'step', count: 60 });
    await drive(h);
    expect(h.log).toEqual([`train ${STEP_CHUNK}`, 'publish', `train ${STEP_CHUNK}`, 'publish', 'train 10', 'publish']);
    expect(stepsOf(h.frames)).toEqual([0, 25, 50, 60]);

    // A page that has not drawn yet gets the chunks trained back to back, then one frame.
    h.log.length = 0;
    h.session.receive({ type: 'step', count: 60 });
    await drive(h, { draw: false });
    expect(h.log).toEqual([`train ${STEP_CHUNK}`, 'publish', `train ${STEP_CHUNK}`, 'train 10']);
    h.session.receive({ type: 'frameReady' });
    await drive(h, { draw: false });
    expect(stepsOf(h.frames)).toEqual([0, 25, 50, 60, 85, 120]);
  });

  it('in a hidden tab (background mode) it trains without frames and settles every 8 frames worth of steps', async () => {
    const h = harness([preset('arcface')], { playing: true, stepsPerFrame: 2 });
    await drive(h, { draw: false, limit: 2 });
    expect(h.log).toEqual(['publish', 'train 2']);
    // Hidden without background: no frames, so training stops.
    await drive(h, { draw: false });
    expect(h.log).toEqual(['publish', 'train 2']);
    h.session.receive({ type: 'background', on: true });
    h.log.length = 0;
    await drive(h, { draw: false, limit: 17 });
    expect(h.log).toEqual([...Array<string>(7).fill('train 2'), 'settle', ...Array<string>(7).fill('train 2'), 'settle', 'train 2']);
    expect(h.frames.length).toBe(1);
    expect(h.session.step).toBe(2 + 15 * 2);
  });

  it('a non-finite weight in one run halts every run, names the run and its last good step, and trains no further', async () => {
    const h = harness([preset('arcface'), preset('cosface')], { playing: true, stepsPerFrame: 5 });
    await driveFrames(h, 3);
    const lastGood = h.frames.at(-1)?.step ?? -1;
    const weights = await h.session.trainers[1].exportWeights();
    weights[weights.length - 2][0] = Number.NaN; // W, the class weights
    h.session.trainers[1].importWeights(weights);
    await drive(h);
    const diverged = h.messages.at(-1);
    expect(diverged).toEqual({ type: 'diverged', run: 1, step: lastGood + 5, lastGoodStep: lastGood });
    expect(h.frames.at(-1)?.step).toBe(lastGood);
    h.session.receive({ type: 'play' });
    h.session.receive({ type: 'step', count: 10 });
    h.session.receive({ type: 'frameReady' });
    expect(h.session.nextAction()).toEqual({ kind: 'wait' });
    expect(h.session.trainers.map((trainer) => trainer.step)).toEqual([lastGood + 5, lastGood + 5]);
    // A reset brings fresh runs.
    h.session.reset();
    await drive(h, { limit: 1 });
    expect(h.frames.at(-1)?.step).toBe(0);
  });

  it('a Step asked for while halted is dropped, so new runs start at step 0 and wait', async () => {
    const h = harness([preset('arcface'), preset('cosface')]);
    await drive(h);
    await h.session.poison(0);
    await drive(h);
    expect(h.messages.at(-1)).toMatchObject({ type: 'diverged', run: 0 });
    h.session.receive({ type: 'step', count: 3 });
    // New runs (the page's "reset to link" or a new run list) end the halt.
    h.session.receive({ type: 'setRuns', runs: [preset('softmax'), preset('arcface')], version: 1 });
    await drive(h);
    expect(stepsOf(h.frames).at(-1)).toBe(0);
    expect(h.session.step).toBe(0);
    expect(h.session.nextAction()).toEqual({ kind: 'wait' });
    // Steps asked for after the halt ended train as usual.
    h.session.receive({ type: 'step', count: 3 });
    await drive(h);
    expect(stepsOf(h.frames).at(-1)).toBe(3);
  });

  it('drops a frame whose read began before a reset (a stale generation)', async () => {
    const h = harness([preset('arcface'), preset('softmax')], { playing: true, stepsPerFrame: 5 });
    await driveFrames(h, 2);
    const generation = h.frames[0].generation;
    h.session.train(5);
    const reading = h.session.perform({ kind: 'publish' });
    h.session.reset();
    await reading;
    expect(h.frames.length).toBe(2);
    await drive(h, { limit: 1 });
    expect(h.frames.length).toBe(3);
    expect(h.frames[2]).toMatchObject({ step: 0, generation: generation + 1 });
  });

  it('after a lost backend every run resumes from the checkpoint step with the checkpointed weights', async () => {
    const h = harness([preset('arcface'), preset('sphereface')], { playing: true, stepsPerFrame: 10 });
    await driveFrames(h, 1); // step 0, the first checkpoint
    h.clock.ms = CHECKPOINT_MS + 500;
    await driveFrames(h, 1); // step 10, checkpointed in the same readback
    const checkpointed = h.frames.at(-1);
    expect(checkpointed?.step).toBe(10);
    const weightsAt10 = await weightsOf(h.session);
    h.clock.ms += 100;
    await driveFrames(h, 2); // steps 20 and 30, too soon for another checkpoint
    expect(h.session.step).toBe(30);

    const result = await h.session.recover(async () => true);
    expect(result).toEqual({ kind: 'resumed', step: 10 });
    expect(h.session.trainers.map((trainer) => trainer.step)).toEqual([10, 10]);
    const resumed = await weightsOf(h.session);
    expect(resumed.map((run, index) => run.every((variable, v) => sameBits(variable, weightsAt10[index][v])))).toEqual([true, true]);
    h.session.receive({ type: 'pause' });
    await drive(h, { limit: 1 });
    const after = h.frames.at(-1);
    expect(after?.step).toBe(10);
    after?.runs.forEach((run, index) => {
      expect(sameBits(run.embeddings, checkpointed?.runs[index].embeddings ?? new Float32Array())).toBe(true);
      // The checkpoint's loss comes back too: a resumed run has not trained a step yet, and its loss is not unknown.
      expect(run.loss).toBe(checkpointed?.runs[index].loss);
    });
    expect(h.messages.some((message) => message.type === 'diverged')).toBe(false);
  });

  it('a move to another backend takes a fresh checkpoint first: every run goes on from the current step with its current weights', async () => {
    const h = harness([preset('arcface'), preset('sphereface')], { playing: true, stepsPerFrame: 10 });
    await driveFrames(h, 1); // step 0, the first checkpoint
    h.clock.ms = 100;
    await driveFrames(h, 3); // steps 10, 20 and 30: too soon for another checkpoint
    expect(h.session.step).toBe(30);
    const before = h.frames.at(-1);
    const weightsAt30 = await weightsOf(h.session);
    const oldTrainers = [...h.session.trainers];
    const tensorsBefore = tf.memory().numTensors;

    let switched = 0;
    const result = await h.session.moveTo(async () => {
      switched++;
      return true;
    });
    expect(result).toEqual({ kind: 'moved', step: 30 });
    expect(switched).toBe(1);
    expect(h.session.trainers.every((trainer, run) => trainer !== oldTrainers[run])).toBe(true);
    expect(h.session.trainers.map((trainer) => trainer.step)).toEqual([30, 30]);
    const moved = await weightsOf(h.session);
    expect(moved.map((run, index) => run.every((variable, v) => sameBits(variable, weightsAt30[index][v])))).toEqual([true, true]);
    // The old trainers were disposed: a move does not leak a copy of the runs (fewer, as Adam's moments come back with the next step).
    expect(tf.memory().numTensors).toBeLessThanOrEqual(tensorsBefore);

    h.session.receive({ type: 'pause' });
    await drive(h, { limit: 1 });
    const after = h.frames.at(-1);
    // The same runs go on: same step, same generation (so the page keeps its curves), same loss and features.
    expect(after).toMatchObject({ step: 30, generation: before?.generation });
    after?.runs.forEach((run, index) => {
      expect(run.loss).toBe(before?.runs[index].loss);
      expect(sameBits(run.embeddings, before?.runs[index].embeddings ?? new Float32Array())).toBe(true);
    });
    // The fresh checkpoint is kept: a device lost right after the move resumes at step 30, not 0.
    expect(await h.session.recover(async () => true)).toEqual({ kind: 'resumed', step: 30 });
  });

  it('a move whose backend does not start leaves the runs where they were, still training', async () => {
    const h = harness([preset('arcface')], { playing: true, stepsPerFrame: 5 });
    await driveFrames(h, 3);
    const trainer = h.session.trainers[0];
    const step = h.session.step;
    expect(await h.session.moveTo(async () => false)).toEqual({ kind: 'stayed' });
    expect(h.session.trainers[0]).toBe(trainer);
    expect(h.session.step).toBe(step);
    expect(h.session.pacing.playing).toBe(true);
    await driveFrames(h, 1);
    expect(h.session.step).toBe(step + 5);
  });

  it('recovery with no backend left stops training', async () => {
    const h = harness([preset('arcface')], { playing: true });
    await driveFrames(h, 2);
    expect(await h.session.recover(async () => false)).toEqual({ kind: 'stopped' });
    expect(h.session.pacing.playing).toBe(false);
  });

  it('two runs, softmax and ArcFace, stay in lockstep: same data and initial weights, equal steps after play, step, step 10 and reset', async () => {
    const h = harness([preset('softmax'), preset('arcface')], { stepsPerFrame: 3 });
    const [softmax, arcface] = h.session.trainers;
    expect(sameBits(softmax.dataset.train.inputs, arcface.dataset.train.inputs)).toBe(true);
    expect(Array.from(softmax.dataset.train.labels)).toEqual(Array.from(arcface.dataset.train.labels));
    const initial = await weightsOf(h.session);
    expect(initial[0].every((variable, v) => sameBits(variable, initial[1][v]))).toBe(true);

    const expectLockstep = (step: number): void => {
      expect(h.session.trainers.map((trainer) => trainer.step)).toEqual([step, step]);
      const frame = h.frames.at(-1);
      expect(frame?.runs.map((run) => run.step)).toEqual([step, step]);
      expect(frame?.runs.map((run) => run.label)).toEqual(['Softmax', 'ArcFace (0.5)']);
    };
    await drive(h);
    expectLockstep(0);
    h.session.receive({ type: 'play' });
    await driveFrames(h, 3);
    h.session.receive({ type: 'pause' });
    await drive(h);
    expectLockstep(9);
    h.session.receive({ type: 'step', count: 1 });
    await drive(h);
    expectLockstep(10);
    h.session.receive({ type: 'step', count: 10 });
    await drive(h);
    expectLockstep(20);
    // Same data, different losses: the runs really differ.
    expect(h.frames.at(-1)?.runs[0].loss).not.toBe(h.frames.at(-1)?.runs[1].loss);
    h.session.receive({ type: 'reset' });
    await drive(h);
    expectLockstep(0);
    const afterReset = await weightsOf(h.session);
    expect(afterReset[1].every((variable, v) => sameBits(variable, initial[1][v]))).toBe(true);

    // A loss setting is the run's own and applies live; a shared one (the seed) resets both.
    const generation = h.frames.at(-1)?.generation ?? 0;
    h.session.receive({ type: 'step', count: 4 });
    h.session.receive({ type: 'setParams', run: 1, params: preset('arcface', { m2: 0.3 }) });
    await drive(h);
    expect(h.frames.at(-1)).toMatchObject({ generation, step: 4 });
    expect(h.frames.at(-1)?.runs.map((run) => run.params.m2)).toEqual([preset('softmax').m2, 0.3]);
    h.session.receive({ type: 'setParams', run: 1, params: preset('arcface', { m2: 0.3, seed: 9 }) });
    await drive(h);
    expect(h.frames.at(-1)).toMatchObject({ generation: generation + 1, step: 0 });
    expect(h.session.trainers.map((trainer) => trainer.currentParams.seed)).toEqual([9, 9]);
    expect(h.frames.at(-1)?.runsVersion).toBe(0);
    h.session.receive({ type: 'setRuns', runs: [preset('softmax'), preset('cosface'), preset('arcface')], version: 7 });
    h.session.receive({ type: 'step', count: 3 });
    await drive(h);
    expect(h.session.trainers.map((trainer) => trainer.step)).toEqual([3, 3, 3]);
    // The page's number for the new run list comes back in every frame, so it can drop older ones.
    expect(h.frames.at(-1)).toMatchObject({ runsVersion: 7, step: 3 });
    expect(() => h.session.setRuns([])).toThrow(/1 to 4 runs/);
  });

  it('frames leak no tensors', async () => {
    const h = harness([preset('arcface'), preset('softmax')], { playing: true, stepsPerFrame: 2 });
    await driveFrames(h, 3);
    const before = tf.memory().numTensors;
    await driveFrames(h, 5);
    h.clock.ms += 2 * CHECKPOINT_MS; // a checkpoint frame too
    await driveFrames(h, 1);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('counting readbacks on the tensor read methods', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });

  it.each([true, false])('a session of two runs reads back exactly once per published frame (fused: %s)', async (fused) => {
    const counter = installReadCounter();
    try {
      const h = harness([preset('arcface'), preset('softmax')], { playing: true, stepsPerFrame: 3, fused });
      expect(h.session.trainers.map((trainer) => trainer.fused)).toEqual([fused, fused]);
      const before = counter.reads;
      await driveFrames(h, 4);
      h.clock.ms += 2 * CHECKPOINT_MS; // the checkpoint rides in the same read
      await driveFrames(h, 2);
      h.session.receive({ type: 'pause' });
      h.session.receive({ type: 'step', count: 30 });
      await drive(h);
      // The pause's frame merges with the first chunk's.
      expect(stepsOf(h.frames)).toEqual([0, 3, 6, 9, 12, 15, 40, 45]);
      expect(counter.reads - before).toBe(h.frames.length);
    } finally {
      counter.uninstall();
      for (const session of sessions.splice(0)) session.dispose();
    }
  });

  it('a read that calls another read counts once', async () => {
    const counter = installReadCounter();
    const tensor = tf.tensor1d([1, 2, 3]);
    try {
      await tensor.array();
      tensor.arraySync();
      await tensor.buffer();
      await tensor.data();
      expect(counter.reads).toBe(4);
    } finally {
      tensor.dispose();
      counter.uninstall();
    }
    const after = tf.tensor1d([4]);
    await after.data();
    after.dispose();
    expect(counter.reads).toBe(4);
  });
});
