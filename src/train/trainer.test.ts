import { beforeAll, describe, expect, it } from 'vitest';
import { withPreset } from '../core/cliArgs';
import { defaultParams, type Params } from '../core/schema';
import { runToy, useNodeBackend } from './headless';
import { tf } from './tf';
import { Trainer } from './trainer';

const arcface = (overrides: Partial<Params> = {}): Params => ({ ...withPreset(defaultParams(), 'arcface'), ...overrides });

describe('training on WASM', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('the loss falls', async () => {
    const trainer = new Trainer(arcface({ warmupSteps: 0, m2: 0.2 }));
    const losses: number[] = [];
    for (let chunk = 0; chunk < 6; chunk++) {
      trainer.train(50);
      losses.push(await trainer.settle());
    }
    trainer.dispose();
    expect(losses[5]).toBeLessThan(losses[0] * 0.5);
    expect(losses.every(Number.isFinite)).toBe(true);
  });

  it('the default ArcFace run reaches at least 95% train accuracy with clear gaps', async () => {
    const result = await runToy({ preset: 'arcface', params: arcface(), steps: 1000, backend: 'wasm', json: true, help: false });
    expect(result.trainAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.separatedIdentities).toBe(8);
    expect(result.angles.gapTrain).toBeGreaterThan(10);
  });

  it('leaks no tensors: numTensors is the same after 1,000 more steps and a snapshot', async () => {
    const trainer = new Trainer(arcface());
    trainer.train(10);
    await trainer.readSnapshot();
    const before = tf.memory().numTensors;
    trainer.train(1000);
    await trainer.readSnapshot();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });

  it('a disposed trainer frees every tensor it made', async () => {
    const before = tf.memory().numTensors;
    const trainer = new Trainer(arcface());
    trainer.train(5);
    await trainer.readSnapshot();
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('m2, s and the learning rate apply live; the seed needs a reset', async () => {
    const trainer = new Trainer(arcface());
    trainer.train(20);
    expect(trainer.setParams(arcface({ m2: 0.3, s: 32, lr: 0.005 }))).toBe(true);
    trainer.train(5);
    expect(trainer.step).toBe(25);
    expect(trainer.setParams(arcface({ seed: 2 }))).toBe(false);
    trainer.dispose();
  });

  it('a run moved to another trainer resumes from its weights and step', async () => {
    const source = new Trainer(arcface());
    source.train(200);
    const weights = await source.exportWeights();
    const before = await source.readSnapshot();
    const target = new Trainer(arcface());
    target.resumeFrom(source.step, weights);
    const after = await target.readSnapshot();
    expect(after.step).toBe(200);
    expect(Array.from(after.embeddings)).toEqual(Array.from(before.embeddings));
    source.dispose();
    target.dispose();
  });

  it('snapshots hold finite arrays of the right sizes', async () => {
    const trainer = new Trainer(arcface({ samplesPerIdentity: 50 }));
    trainer.train(3);
    const snapshot = await trainer.readSnapshot();
    trainer.dispose();
    expect(snapshot.embeddings.length).toBe(8 * 50 * 2);
    expect(snapshot.thetaTarget.length).toBe(8 * 50);
    expect(snapshot.weights.length).toBe(16);
    expect(snapshot.heldoutEmbeddings.length).toBe(8 * 100 * 2);
    for (const array of [snapshot.embeddings, snapshot.unitEmbeddings, snapshot.thetaTarget, snapshot.weights]) {
      expect(Array.from(array).every(Number.isFinite)).toBe(true);
    }
    expect(Math.max(...snapshot.thetaTarget)).toBeLessThanOrEqual(180);
  });
});

describe('determinism on the CPU backend', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });

  it('the same seed gives the same loss trajectory and features, bit for bit', async () => {
    const trajectory = async (): Promise<{ losses: number[]; embeddings: Float32Array }> => {
      const trainer = new Trainer(arcface({ seed: 7, samplesPerIdentity: 60, batchSize: 64 }));
      const losses: number[] = [];
      for (let i = 0; i < 15; i++) {
        trainer.train(2);
        losses.push(await trainer.settle());
      }
      const { embeddings } = await trainer.readSnapshot();
      trainer.dispose();
      return { losses, embeddings };
    };
    const first = await trajectory();
    const second = await trajectory();
    expect(second.losses).toEqual(first.losses);
    expect(Buffer.from(second.embeddings.buffer).equals(Buffer.from(first.embeddings.buffer))).toBe(true);
  });

  it('another seed gives another run', async () => {
    const lossFor = async (seed: number): Promise<number> => {
      const trainer = new Trainer(arcface({ seed, samplesPerIdentity: 60 }));
      trainer.train(3);
      const loss = await trainer.settle();
      trainer.dispose();
      return loss;
    };
    expect(await lossFor(1)).not.toBe(await lossFor(2));
  });
});
