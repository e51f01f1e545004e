import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../src/train/tf';
import { Trainer } from '../src/train/trainer';
import { defaultParams } from '../src/core/schema';
import { findPreset } from '../src/core/presets';

const backend = process.env.BACKEND ?? 'cpu';
if (backend === 'wasm') { const w = await import('@tensorflow/tfjs-backend-wasm'); w.setWasmPaths(process.cwd() + '/node_modules/@tensorflow/tfjs-backend-wasm/dist/'); }
await tf.setBackend(backend);
await tf.ready(); console.log('backend', tf.getBackend());
const steps = Number(process.env.STEPS ?? 1000);
const diff = JSON.parse(process.env.DIFF ?? '{}');
const extra = JSON.parse(process.env.EXTRA ?? '{}');
for (const presetId of (process.env.PRESETS ?? 'norm-softmax,arcface').split(',')) {
  for (const seed of (process.env.SEEDS ?? '1').split(',').map(Number)) {
    const preset = findPreset(presetId)!;
    const params = { ...defaultParams(), head: preset.head, m1: preset.m1, m2: preset.m2, m3: preset.m3, seed, ...extra };
    const t0 = performance.now();
    const trainer = new Trainer(params, { dataset: { difficulty: diff }, hiddenUnits: process.env.HIDDEN ? process.env.HIDDEN.split(',').map(Number) : undefined });
    trainer.train(steps);
    const snap = await trainer.readSnapshot();
    const ms = performance.now() - t0;
    const a = snap.angles;
    console.log(`${presetId.padEnd(13)} seed ${seed} acc ${(snap.trainAccuracy * 100).toFixed(1)} loss ${snap.loss.toFixed(3)} intra ${a.intraTrain.toFixed(1)} inter ${a.interTrain.toFixed(1)} wEC ${a.wEC.toFixed(1)} gap ${a.gapTrain.toFixed(1)} intra2 ${a.intraHeldout.toFixed(1)} inter2 ${a.interHeldout.toFixed(1)} ${ms.toFixed(0)}ms`);
    trainer.dispose();
  }
}
console.log('tensors', tf.memory().numTensors);
