/**
 * Runs the engine in Node, for the CLI, the benchmarks and the tests. Node has no
 * WebGPU or WebGL, so it trains on WASM (fast) or the plain-JS CPU backend (bit-for-bit
 * reproducible).
 */
import { separatedIdentities, type AngleReport } from '../core/angles';
import type { NodeBackend, ToyOptions } from '../core/cliArgs';
import { matchPreset } from '../core/presets';
import { tf } from './tf';
import { Trainer, type TrainerOptions } from './trainer';

let cpuLoaded = false;
let wasmLoaded = false;

export async function useNodeBackend(backend: NodeBackend): Promise<void> {
  if (backend === 'cpu' && !cpuLoaded) {
    await import('@tensorflow/tfjs-backend-cpu');
    cpuLoaded = true;
  }
  if (backend === 'wasm' && !wasmLoaded) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { createRequire } = await import('node:module');
    const { dirname } = await import('node:path');
    // The .wasm files sit next to the package's main script.
    const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${dirname(main)}/`);
    wasmLoaded = true;
  }
  // Production mode also mutes tfjs's advice to install tfjs-node (a native download
  // this project cannot rely on); keep stdout and stderr for our own output.
  tf.enableProdMode();
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend failed to start`);
    await tf.ready();
  } finally {
    console.warn = warn;
  }
}

export interface ToyResult {
  params: { m1: number; m2: number; m3: number; s: number };
  preset: string;
  seed: number;
  steps: number;
  backend: string;
  loss: number;
  trainAccuracy: number;
  angles: AngleReport;
  /** Identity centres with no other centre within 10°: 8 of 8 is healthy, few is a collapse. */
  separatedIdentities: number;
  ms: number;
}

export const COLLAPSE_DEGREES = 10;

export async function runToy(options: ToyOptions, trainerOptions: TrainerOptions = {}): Promise<ToyResult> {
  await useNodeBackend(options.backend);
  const started = performance.now();
  const trainer = new Trainer(options.params, trainerOptions);
  try {
    // Chunks keep the CPU backend's memory flat; no readback until the end.
    for (let done = 0; done < options.steps; done += 500) trainer.train(Math.min(500, options.steps - done));
    const snapshot = await trainer.readSnapshot();
    const { m1, m2, m3, s } = options.params;
    return {
      params: { m1, m2, m3, s },
      preset: matchPreset(options.params)?.id ?? 'custom',
      seed: options.params.seed,
      steps: snapshot.step,
      backend: tf.getBackend(),
      loss: snapshot.loss,
      trainAccuracy: snapshot.trainAccuracy,
      angles: snapshot.angles,
      separatedIdentities: separatedIdentities(snapshot.embeddings, snapshot.labels, snapshot.classes, 2, COLLAPSE_DEGREES),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    trainer.dispose();
  }
}

export function formatTable(result: ToyResult): string {
  const { m1, m2, m3, s } = result.params;
  const angle = (value: number): string => `${value.toFixed(2)}°`;
  const rows: [string, string][] = [
    ['preset', result.preset],
    ['m1, m2, m3, s', `${m1}, ${m2}, ${m3}, ${s}`],
    ['seed / steps / backend', `${result.seed} / ${result.steps} / ${result.backend}`],
    ['loss', result.loss.toFixed(4)],
    ['train accuracy', `${(result.trainAccuracy * 100).toFixed(1)}%`],
    ['W-EC', angle(result.angles.wEC)],
    ['W-Inter', angle(result.angles.wInter)],
    ['Intra (train)', angle(result.angles.intraTrain)],
    ['Inter (train)', angle(result.angles.interTrain)],
    ['smallest arc gap (train)', angle(result.angles.gapTrain)],
    ['Intra (held-out)', angle(result.angles.intraHeldout)],
    ['Inter (held-out)', angle(result.angles.interHeldout)],
    ['time', `${(result.ms / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}
