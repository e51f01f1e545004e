/**
 * Compare mode's engine cost in Node, without a page: a TrainingSession of 1, 2 and 4
 * runs on WASM, driven as the worker drives it, with the page taking every frame at
 * once (so frames cost only the engine's side: the packed readback, the statistics and
 * the Fig. 6 pairs). Prints one JSON object (CompareNodeResult) on stdout.
 *
 * tfjs-core needs bundling to load in Node (scripts/bundle-node.mjs says why), so
 * bench/run.ts bundles this file and runs it as a child process; by hand:
 *   node scripts/bundle-node.mjs bench/compareNode.ts .cache/bench && node .cache/bench/compareNode.mjs
 */
import { withPreset } from '../src/core/cliArgs';
import { DEFAULT_MAX_PAIRS_PER_KIND, pairStats } from '../src/core/pairs';
import { deriveSeed } from '../src/core/rng';
import { defaultParams, type Params } from '../src/core/schema';
import { useNodeBackend } from '../src/train/headless';
import { EMBEDDING_DIM } from '../src/train/model';
import { TrainingSession } from '../src/train/session';
import { LIVE_MAX_PAIRS_PER_KIND } from '../src/train/trainer';

/** The runs of each session size: the presets a lecture would put side by side. */
export const NODE_COMPARE_RUNS: Record<number, readonly string[]> = {
  1: ['arcface'],
  2: ['softmax', 'arcface'],
  4: ['norm-softmax', 'softmax', 'cosface', 'arcface'],
};
/** The page's default speed (4 steps per frame) and the speed menu's 32. */
export const NODE_SPEEDS = [4, 32] as const;
const WINDOW_MS = Number(process.env.COMPARE_NODE_WINDOW_MS) || 2500;
/**
 * Each session size is measured this many times, interleaved (1, 2, 4, 1, 2, 4), and the
 * fastest window counts: on a shared machine other work only ever slows a window down,
 * and interleaving spreads a busy spell over every size rather than onto one.
 */
const ROUNDS = 2;
const WARMUP_STEPS = 64;

export interface NodeSessionFigures {
  runs: number;
  presets: readonly string[];
  stepsPerFrame: number;
  /** Session steps (each run's steps) per second over the fastest window. */
  stepsPerSecondPerRun: number;
  /** Every round's steps/s per run, in order, the fastest of which is stepsPerSecondPerRun. */
  rounds: number[];
  /** runs × stepsPerSecondPerRun: optimiser steps of all runs per second. */
  combinedStepsPerSecond: number;
  frames: number;
  windowMs: number;
}

export interface CompareNodeResult {
  backend: string;
  windowMs: number;
  sessions: NodeSessionFigures[];
  /** combined steps/s of 2 runs ÷ a single run's steps/s, at each speed (target ≥ 0.8). */
  twoRunRatio: Record<string, number>;
  fourRunRatio: Record<string, number>;
  /**
   * Pair statistics of one run's frame (test split and unseen identities together), ms:
   * median and 90th percentile over repeated calls on the trained features, at the live
   * cap and at the report cap.
   */
  pairMs: { liveCap: number; reportCap: number; live: { p50: number; p90: number }; report: { p50: number; p90: number } };
  /** A whole unpack of one run's frame (every statistic, the live pairs included), ms. */
  unpackMs: { p50: number; p90: number };
}

const now = (): number => performance.now();

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measureSession(presets: readonly string[], stepsPerFrame: number): Promise<{ figures: NodeSessionFigures; session: TrainingSession }> {
  let frames = 0;
  const runs: Params[] = presets.map((preset) => withPreset(defaultParams(), preset));
  const session = new TrainingSession({
    runs,
    playing: true,
    stepsPerFrame,
    post: (message) => {
      if (message.type === 'snapshot') frames++;
    },
    now,
  });
  session.start();
  // The worker's loop, with the page drawing every frame at once.
  const loop = async (until: () => boolean): Promise<void> => {
    while (!until()) {
      const action = session.nextAction();
      if (action.kind === 'wait') break;
      const before = frames;
      await session.perform(action);
      if (frames > before) session.receive({ type: 'frameReady' });
    }
  };
  await loop(() => session.step >= WARMUP_STEPS);
  const start = { at: now(), step: session.step, frames };
  await loop(() => now() - start.at >= WINDOW_MS);
  // Whole frames only: finish the frame under way so its steps are read back, then time it.
  await session.settle();
  const elapsed = now() - start.at;
  const perRun = ((session.step - start.step) * 1000) / elapsed;
  return {
    figures: {
      runs: presets.length,
      presets,
      stepsPerFrame,
      stepsPerSecondPerRun: perRun,
      rounds: [perRun],
      combinedStepsPerSecond: perRun * presets.length,
      frames: frames - start.frames,
      windowMs: elapsed,
    },
    session,
  };
}

/** Times `unpackSnapshot` of one run on a real readback: the frame's CPU work after the read. */
async function timeUnpack(session: TrainingSession): Promise<{ p50: number; p90: number }> {
  const trainer = session.trainers[0];
  const layout = { step: trainer.step, withWeights: false };
  const packed = trainer.packSnapshot(false);
  const values = (await packed.data()) as Float32Array;
  packed.dispose();
  const times: number[] = [];
  for (let repeat = 0; repeat < 40; repeat++) {
    const started = now();
    trainer.unpackSnapshot(values, 0, layout);
    times.push(now() - started);
  }
  return { p50: quantile(times, 0.5), p90: quantile(times, 0.9) };
}

/** Times one run's pair statistics on its trained features, as unpackSnapshot computes them. */
async function timePairs(session: TrainingSession, cap: number): Promise<{ p50: number; p90: number }> {
  const trainer = session.trainers[0];
  const { snapshot, testEmbeddings } = await trainer.readReport();
  const { seed } = trainer.currentParams;
  const times: number[] = [];
  for (let repeat = 0; repeat < 40; repeat++) {
    const started = now();
    pairStats(testEmbeddings, trainer.dataset.test.labels, EMBEDDING_DIM, { seed: deriveSeed(seed, 'test pairs'), maxPairsPerKind: cap });
    pairStats(snapshot.heldoutEmbeddings, trainer.dataset.heldout.labels, EMBEDDING_DIM, { seed: deriveSeed(seed, 'unseen pairs'), maxPairsPerKind: cap });
    times.push(now() - started);
  }
  return { p50: quantile(times, 0.5), p90: quantile(times, 0.9) };
}

export async function measureCompareNode(): Promise<CompareNodeResult> {
  await useNodeBackend('wasm');
  const sessions: NodeSessionFigures[] = [];
  let pairMs: CompareNodeResult['pairMs'] | null = null;
  let unpackMs: CompareNodeResult['unpackMs'] | null = null;
  for (const stepsPerFrame of NODE_SPEEDS) {
    for (let round = 0; round < ROUNDS; round++) {
      for (const size of [1, 2, 4]) {
        const { figures, session } = await measureSession(NODE_COMPARE_RUNS[size], stepsPerFrame);
        const earlier = sessions.find((entry) => entry.runs === size && entry.stepsPerFrame === stepsPerFrame);
        if (!earlier) sessions.push(figures);
        else if (figures.stepsPerSecondPerRun > earlier.stepsPerSecondPerRun) Object.assign(earlier, { ...figures, rounds: [...earlier.rounds, ...figures.rounds] });
        else earlier.rounds.push(...figures.rounds);
        if (!pairMs && size === 1) {
          pairMs = {
            liveCap: LIVE_MAX_PAIRS_PER_KIND,
            reportCap: DEFAULT_MAX_PAIRS_PER_KIND,
            live: await timePairs(session, LIVE_MAX_PAIRS_PER_KIND),
            report: await timePairs(session, DEFAULT_MAX_PAIRS_PER_KIND),
          };
          unpackMs = await timeUnpack(session);
        }
        session.dispose();
      }
    }
  }
  const ratio = (size: number): Record<string, number> =>
    Object.fromEntries(
      NODE_SPEEDS.map((speed) => {
        const single = sessions.find((entry) => entry.runs === 1 && entry.stepsPerFrame === speed);
        const many = sessions.find((entry) => entry.runs === size && entry.stepsPerFrame === speed);
        return [String(speed), single && many ? many.combinedStepsPerSecond / single.combinedStepsPerSecond : Number.NaN];
      }),
    );
  if (!pairMs || !unpackMs) throw new Error('no single-run session was measured');
  return { backend: 'wasm', windowMs: WINDOW_MS, sessions, twoRunRatio: ratio(2), fourRunRatio: ratio(4), pairMs, unpackMs };
}

// Run directly (the bundled child process), print the figures.
if (process.argv[1]?.endsWith('compareNode.mjs')) {
  process.stdout.write(`${JSON.stringify(await measureCompareNode())}\n`);
}
