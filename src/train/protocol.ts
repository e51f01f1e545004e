/**
 * The one typed message union between the page and the training worker. Tensors never
 * cross it: snapshots are plain typed arrays, transferred rather than copied.
 *
 * A session trains 1 to 4 runs in lockstep (compare mode): same seed, data, initial
 * weights and batch order, different loss settings. Single mode is a session of one run.
 */
import type { AdapterFacts, BackendVerdict, VerdictRecord, WarmupOutcome } from '../core/backendVerdict';
import type { Params } from '../core/schema';
import type { SessionFrame } from '../core/snapshot';
import type { BackendInfo, BackendName, BackendRequest } from './backend';
import type { FusedParityReport } from './fused/parity';

export type { RunSnapshot, SessionFrame, TrainerSnapshot, WorkerSnapshot } from '../core/snapshot';

/** How many runs a session trains side by side at most. */
export const MAX_RUNS = 4;

/** The messages a session handles itself; the worker only forwards them. */
export type SessionCommand =
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step'; count: number }
  /**
   * New settings for run `run`. Its m1, m2, m3, s and head are its own; every other
   * setting (seed, data, learning rate, …) is shared, so it applies to all runs. A change
   * that needs a reset resets every run, so their step counts stay equal.
   */
  | { type: 'setParams'; run: number; params: Params }
  /** Replace the runs (1 to MAX_RUNS; the shared settings come from the first). Resets all. */
  | { type: 'setRuns'; runs: Params[]; version: number }
  | { type: 'setSpeed'; stepsPerFrame: number }
  | { type: 'reset' }
  /** The page drew the last snapshot and can take another: at most one in flight. */
  | { type: 'frameReady' }
  /** Keep training while the page is hidden (an embed told to autoplay): no frames will come. */
  | { type: 'background'; on: boolean };

export type ToWorker =
  | {
      type: 'init';
      runs: Params[];
      runsVersion: number;
      backend: BackendRequest;
      playing: boolean;
      stepsPerFrame: number;
      fused: boolean;
      /** package.json's version: a remembered verdict holds only for the version that measured it. */
      appVersion: string;
      /** The verdict this browser stored on an earlier visit (the page has the storage, the worker the adapter). */
      remembered: VerdictRecord | null;
    }
  | SessionCommand
  /** The page's verdict on a warm-up: move to `verdict.backend` at the next frame boundary, or stay and say why. */
  | { type: 'verdict'; verdict: BackendVerdict }
  /**
   * Sent instead of `init` to a second instance of this worker's script: time WebGPU
   * against `baseline` (src/train/warmup.ts), answer `warmupOutcome`, and be terminated.
   */
  | { type: 'warmup'; params: Params; fused: boolean; baseline: BackendName }
  /** Test and benchmark hooks, only sent when the page runs with ?debug=1. */
  | { type: 'debug'; id: number; request: DebugRequest };

export type DebugRequest =
  /** Start counting device-to-host reads (sent first, so `measure` has figures). */
  | { kind: 'countReadbacks' }
  | { kind: 'measure'; steps: number }
  | { kind: 'loseDevice' }
  /** Writes a NaN into the class weights of run 0, to test the divergence watchdog. */
  | { kind: 'poison' }
  | { kind: 'memory' }
  /** Compares the fused kernels with the unfused path on the current backend. */
  | { kind: 'parity' };

export interface DebugMeasurement {
  backend: string;
  /** tfjs kernels run per training step of one run (includes no-op reshapes). */
  kernelsPerStep: number;
  /** GPU compute dispatches per step of one run on WebGPU; null on other backends. */
  dispatchesPerStep: number | null;
  /** Device-to-host reads per published frame, counted on the tensors' read methods since the last measure. */
  readbacksPerFrame: number;
  /** Whether the run uses the fused kernels. */
  fused: boolean;
}

export interface DebugMemory {
  numTensors: number;
  numBytes: number;
  step: number;
}

export type DebugResult = DebugMeasurement | DebugMemory | FusedParityReport | { done: true };

/** What the page needs to warm WebGPU up beside a running session. */
export interface WarmupRequest {
  /** Run 0's settings: the warm-up times one run, as every run costs the same on either backend. */
  params: Params;
  fused: boolean;
  /** The backend training runs on, timed against WebGPU. */
  baseline: BackendName;
  adapter: AdapterFacts;
}

/**
 * The handwritten-digits asset, fetched by the worker only when a run asks for data=digits:
 * its progress, then ready, or failed (a 404, a truncated or damaged file), after which the
 * runs go on with the synthetic data.
 */
export type DatasetStatus =
  | { state: 'loading'; loaded: number; total: number | null }
  | { state: 'ready'; images: number }
  /** `message`: one sentence for the page's notice. */
  | { state: 'failed'; message: string };

export type FromWorker =
  | { type: 'backend'; info: BackendInfo }
  /**
   * There is a WebGPU adapter and no remembered verdict for it: the page may warm WebGPU
   * up in a second worker (`warmup`) and answer with a `verdict`.
   */
  | { type: 'warmupWanted'; request: WarmupRequest }
  /** The warm-up worker's one answer. */
  | { type: 'warmupOutcome'; outcome: WarmupOutcome }
  | { type: 'snapshot'; frame: SessionFrame }
  | { type: 'notice'; message: string }
  | { type: 'dataset'; status: DatasetStatus }
  /**
   * Run `run`'s loss or weights went non-finite at `step`; the whole session paused and
   * the last good picture (of `lastGoodStep`) stays.
   */
  | { type: 'diverged'; run: number; step: number; lastGoodStep: number }
  | { type: 'debugResult'; id: number; result: DebugResult | { error: string } }
  | { type: 'error'; message: string };
