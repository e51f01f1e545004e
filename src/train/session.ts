/**
 * A training session: the run state behind the worker, in plain TypeScript so that Node
 * tests can drive it on the CPU backend. It holds 1 to 4 runs in lockstep (compare
 * mode): built from the same seed, so data, initial weights and batch order are the
 * same, and every action trains all of them by the same number of steps. It never
 * touches `self` or the DOM: messages go out through `post`, time comes from `now`.
 *
 * The worker loop asks `nextAction()` (a pure function of the pacing state, see
 * ./schedule) and hands the answer back to `perform()`.
 */
import { lossSettings } from '../core/compare';
import type { DigitImages } from '../core/digits';
import { isFiniteSnapshot } from '../core/watchdog';
import { matchPreset } from '../core/presets';
import { needsReset, type Params } from '../core/schema';
import { frameBuffers, type SessionFrame } from '../core/snapshot';
import { countWebGpuDispatches } from './fused/webgpu';
import { MAX_RUNS, type FromWorker, type SessionCommand } from './protocol';
import { nextAction, type PacingState, type SessionAction } from './schedule';
import { tf } from './tf';
import { Trainer, type PackedLayout, type TrainerOptions } from './trainer';

/** How often the weights ride along in a frame's readback, so a lost device costs at most this much training. */
export const CHECKPOINT_MS = 2000;
/** The rate (steps/s) is averaged over windows at least this long. */
const RATE_WINDOW_MS = 500;
/**
 * While playing, the Fig. 6 pair summaries are measured afresh at most this often, and
 * frames in between carry the last ones. They are the dearest statistic of a frame (2.6 ms
 * of a 5.1 ms unpack per run, medians from `npm run bench`), so measuring them on every
 * frame would cost a run at the default 4 steps per frame (about 16 ms of training) about
 * a tenth of its steps. A histogram a quarter of a second old is not visible; a paused or
 * stepped frame always gets fresh ones.
 */
export const PAIRS_EVERY_MS = 250;

export type SessionMessage = Extract<FromWorker, { type: 'snapshot' | 'diverged' | 'dataset' | 'notice' }>;

export interface SessionOptions {
  runs: readonly Params[];
  /** The page's number for this run list, echoed in every frame (default 0). */
  runsVersion?: number;
  playing?: boolean;
  stepsPerFrame?: number;
  /** Train with the fused kernels where the backend has them (see TrainerOptions.fused). */
  fused?: boolean;
  /** Generator and model overrides for every run (tests, experiments). */
  trainer?: Omit<TrainerOptions, 'fused'>;
  post(message: SessionMessage, transfer: ArrayBuffer[]): void;
  /** Milliseconds, for the rate and the checkpoint interval. */
  now(): number;
  /**
   * Loads the digits asset (the worker fetches it, Node reads it), called the first time a
   * run asks for data=digits. It rejects with an Error whose message says what was wrong.
   */
  loadDigits?: () => Promise<DigitImages>;
  /** Called when the digits have arrived or failed, so an idle loop looks at the session again. */
  wake?: () => void;
}

export type RecoveryResult =
  /** `step`: where the runs resumed, or null when there was no checkpoint yet (they restarted). */
  | { kind: 'resumed'; step: number | null }
  /** No other backend could take over; training stopped. */
  | { kind: 'stopped' }
  /** A recovery is already under way. */
  | { kind: 'busy' };

export type MoveResult =
  /** Every run now trains on the new backend from `step` (0 when the runs were replaced meanwhile). */
  | { kind: 'moved'; step: number }
  /** The runs stay where they were: the new backend did not start, or the session had diverged. */
  | { kind: 'stayed' }
  /** A recovery or another move is under way. */
  | { kind: 'busy' };

export interface SessionMeasurement {
  kernelsPerStep: number;
  dispatchesPerStep: number | null;
  fused: boolean;
}

interface Checkpoint {
  step: number;
  at: number;
  /** Per run, every trainable variable (Trainer.resumeFrom's order). */
  weights: Float32Array[][];
  /** Per run, the latest loss. */
  losses: number[];
}

/**
 * The run's own settings (its loss) on top of the shared ones (everything else: seed,
 * data, learning rate, batch, warm-up, fallback, optimiser), which keep runs in lockstep.
 */
function withSharedSettings(own: Params, shared: Params): Params {
  return { ...shared, ...lossSettings(own) };
}

function checkedRuns(runs: readonly Params[]): Params[] {
  if (runs.length < 1 || runs.length > MAX_RUNS) throw new Error(`a session trains 1 to ${MAX_RUNS} runs, not ${runs.length}`);
  return runs.map((params) => withSharedSettings(params, runs[0]));
}

function runLabel(params: Params): string {
  return matchPreset(params)?.label ?? 'Custom';
}

export class TrainingSession {
  private runParams: Params[];
  private runsVersion: number;
  private trainerList: Trainer[] = [];
  private started = false;
  private recovering = false;
  private halted = false;
  private generation = 0;
  private playing: boolean;
  private stepsPerFrame: number;
  private pendingSteps = 0;
  private frameCredit = true;
  private dirty = true;
  private stepsSincePublish = 0;
  private background = false;
  private checkpoint: Checkpoint | null = null;
  /** When the published pairs were last measured; null: the next frame measures them. */
  private pairsAt: number | null = null;
  private rate = { steps: 0, since: 0, value: 0 };
  private lastGoodStep = 0;
  private published = 0;
  private readonly fused: boolean;
  private readonly trainerOptions: Omit<TrainerOptions, 'fused'>;
  private readonly post: SessionOptions['post'];
  private readonly now: () => number;
  private readonly loadDigits: SessionOptions['loadDigits'];
  private readonly wake: () => void;
  /** The decoded digits, once loaded: kept for the worker's lifetime, so switching back is instant. */
  private digits: DigitImages | null = null;
  private digitsLoading = false;

  constructor(options: SessionOptions) {
    this.runParams = checkedRuns(options.runs);
    this.runsVersion = options.runsVersion ?? 0;
    this.playing = options.playing ?? false;
    this.stepsPerFrame = Math.max(1, Math.floor(options.stepsPerFrame ?? 1));
    this.fused = options.fused ?? true;
    this.trainerOptions = options.trainer ?? {};
    this.post = options.post;
    this.now = options.now;
    this.loadDigits = options.loadDigits;
    this.wake = options.wake ?? (() => undefined);
  }

  /** Builds the runs on the current backend; until then messages only update settings. */
  start(): void {
    this.started = true;
    this.freshRuns();
  }

  get pacing(): PacingState {
    return {
      ready: this.started && !this.recovering && this.trainerList.length > 0,
      halted: this.halted,
      step: this.step,
      playing: this.playing,
      stepsPerFrame: this.stepsPerFrame,
      pendingSteps: this.pendingSteps,
      frameCredit: this.frameCredit,
      dirty: this.dirty,
      stepsSincePublish: this.stepsSincePublish,
      background: this.background,
    };
  }

  nextAction(): SessionAction {
    return nextAction(this.pacing);
  }

  async perform(action: SessionAction): Promise<void> {
    switch (action.kind) {
      case 'publish':
        await this.publish();
        return;
      case 'train':
        if (action.fromPending) this.pendingSteps = Math.max(0, this.pendingSteps - action.steps);
        this.train(action.steps);
        return;
      case 'settle':
        await this.settle();
        this.stepsSincePublish = this.stepsPerFrame;
        return;
      case 'wait':
        return;
    }
  }

  /** The step every run is at (they are in lockstep). */
  get step(): number {
    return this.trainerList[0]?.step ?? 0;
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Frames posted since the session was made: readbacks per frame divide by this. */
  get framesPublished(): number {
    return this.published;
  }

  /** The runs' trainers, for tests and debug hooks; the session owns them. */
  get trainers(): readonly Trainer[] {
    return this.trainerList;
  }

  /** Run `index`'s settings, with the shared ones. */
  paramsOf(index: number): Params {
    const params = this.runParams[index];
    if (!params) throw new Error(`the session has no run ${index}`);
    return { ...params };
  }

  receive(command: SessionCommand): void {
    switch (command.type) {
      case 'play':
        this.playing = true;
        break;
      // A last frame tells the page that training stopped.
      case 'pause':
        this.playing = false;
        this.dirty = true;
        break;
      case 'step':
        // A halted session trains nothing until its runs are fresh; a Step asked for meanwhile
        // is not kept for them (new runs from a slider or the run list would start with it).
        if (this.halted) break;
        this.pendingSteps += Number.isFinite(command.count) ? Math.max(0, Math.floor(command.count)) : 0;
        break;
      case 'setSpeed':
        this.stepsPerFrame = Number.isFinite(command.stepsPerFrame) ? Math.max(1, Math.floor(command.stepsPerFrame)) : this.stepsPerFrame;
        break;
      case 'frameReady':
        this.frameCredit = true;
        break;
      case 'background':
        this.background = command.on;
        break;
      case 'reset':
        this.reset();
        break;
      case 'setParams':
        this.setParams(command.run, command.params);
        break;
      case 'setRuns':
        this.setRuns(command.runs, command.version);
        break;
    }
  }

  reset(): void {
    this.pendingSteps = 0;
    this.stepsSincePublish = 0;
    this.freshRuns();
  }

  /**
   * Run `index`'s loss settings, and everyone's shared settings. Live changes apply at
   * the next step; one that needs a fresh trainer (seed, data size, head, optimiser)
   * resets every run, so that their step counts stay equal.
   */
  setParams(index: number, params: Params): void {
    if (!this.runParams[index]) throw new Error(`the session has no run ${index}`);
    const before = this.runParams;
    this.runParams = before.map((own, i) => withSharedSettings(i === index ? params : own, params));
    this.dirty = true;
    if (!this.started) return;
    if (this.runParams.some((next, i) => needsReset(before[i], next))) {
      this.freshRuns();
      return;
    }
    this.trainerList.forEach((trainer, i) => {
      trainer.setParams(this.runParams[i]);
    });
  }

  /** Replaces the runs; every run starts again from step 0. */
  setRuns(runs: readonly Params[], version = this.runsVersion + 1): void {
    this.runParams = checkedRuns(runs);
    this.runsVersion = version;
    this.dirty = true;
    if (this.started) this.freshRuns();
  }

  /**
   * New trainers for the runs on the current backend. A new generation tells the page the
   * old runs' history is over; a move to another backend continues the same runs, so it
   * keeps the generation (and the page its curves and step-0 histogram).
   */
  private freshRuns(nextGeneration = true): void {
    if (!this.started) return;
    for (const trainer of this.trainerList) trainer.dispose();
    this.trainerList = [];
    if (nextGeneration) this.generation++;
    // No runs until the digits are here: the loop waits (pacing.ready is false), and the
    // load builds them when it ends, on digits or, when it failed, on the synthetic data.
    if (this.wantsDigits() && !this.digits) {
      this.startDigitsLoad();
      return;
    }
    this.trainerList = this.runParams.map((params) => new Trainer(params, { ...this.trainerOptions, fused: this.fused, digits: this.digits }));
    this.checkpoint = null;
    this.pairsAt = null;
    this.dirty = true;
    this.halted = false;
    this.stepsSincePublish = 0;
    this.rate = { steps: 0, since: this.now(), value: 0 };
  }

  /** Runs share their data (withSharedSettings), so run 0 speaks for all. */
  private wantsDigits(): boolean {
    return this.runParams[0]?.data === 'digits';
  }

  /** Whether the runs wait for the digits asset. */
  get loadingData(): boolean {
    return this.digitsLoading;
  }

  private startDigitsLoad(): void {
    if (this.digitsLoading) return;
    this.digitsLoading = true;
    const load = this.loadDigits ?? (() => Promise.reject(new Error('this page has no way to load them')));
    Promise.resolve()
      .then(load)
      .then(
        (digits) => {
          this.digitsLoading = false;
          this.digits = digits;
          this.post({ type: 'dataset', status: { state: 'ready', images: digits.count } }, []);
          if (this.started && this.wantsDigits()) this.freshRuns();
          this.wake();
        },
        (error: unknown) => {
          this.digitsLoading = false;
          const reason = error instanceof Error ? error.message : String(error);
          const message = `The handwritten digits could not be loaded (${reason}), so training goes on with the synthetic data.`;
          // Back to the synthetic data: the page hears it from the status (its controls and link) and the notice.
          this.runParams = this.runParams.map((params) => ({ ...params, data: 'synthetic' }));
          this.post({ type: 'dataset', status: { state: 'failed', message } }, []);
          this.post({ type: 'notice', message }, []);
          if (this.started) this.freshRuns();
          this.wake();
        },
      );
  }

  /** Trains every run by `steps`; nothing waits for the device. */
  train(steps: number): void {
    for (const trainer of this.trainerList) trainer.train(steps);
    this.rate.steps += steps;
    this.stepsSincePublish += steps;
    this.dirty = true;
  }

  /**
   * Waits for the queued steps with one readback: the device runs work in order, so the
   * last run's latest loss is ready only when every run's steps are.
   */
  async settle(): Promise<void> {
    await this.trainerList[this.trainerList.length - 1]?.settle();
  }

  /**
   * One readback for every run: each trainer packs its snapshot into a tensor, the
   * session concatenates them and reads once. A checkpoint of every run's weights rides
   * along every CHECKPOINT_MS.
   */
  private async publish(): Promise<void> {
    const generation = this.generation;
    const trainers = this.trainerList;
    const runParams = this.runParams;
    const runsVersion = this.runsVersion;
    const startedAt = this.now();
    const layout: PackedLayout = {
      step: this.step,
      withWeights: !this.checkpoint || startedAt - this.checkpoint.at > CHECKPOINT_MS,
      freshPairs: !this.playing || this.pairsAt === null || startedAt - this.pairsAt >= PAIRS_EVERY_MS,
    };
    const packed = tf.tidy(() => tf.concat(trainers.map((trainer) => trainer.packSnapshot(layout.withWeights))));
    // Cleared before the read: a slider moved while it runs marks the session dirty again.
    this.dirty = false;
    let values: Float32Array;
    try {
      values = (await packed.data()) as Float32Array;
    } finally {
      packed.dispose();
    }
    // A reset (or a recovery) came in while the values were read: they are stale.
    if (generation !== this.generation) return;
    let offset = 0;
    const unpacked = trainers.map((trainer) => {
      const run = trainer.unpackSnapshot(values, offset, layout);
      offset = run.end;
      return run;
    });
    const diverged = unpacked.findIndex(({ snapshot }) => !isFiniteSnapshot(snapshot));
    if (diverged >= 0) {
      // The watchdog: stop every run at the first non-finite value and keep the last good picture.
      this.playing = false;
      this.pendingSteps = 0;
      this.halted = true;
      this.post({ type: 'diverged', run: diverged, step: layout.step, lastGoodStep: this.lastGoodStep }, []);
      return;
    }
    this.lastGoodStep = layout.step;
    if (layout.freshPairs) this.pairsAt = startedAt;
    const now = this.now();
    const elapsed = now - this.rate.since;
    if (elapsed > RATE_WINDOW_MS) this.rate = { steps: 0, since: now, value: (this.rate.steps * 1000) / elapsed };
    this.frameCredit = false;
    this.stepsSincePublish = 0;
    this.published++;
    const frame: SessionFrame = {
      generation,
      runsVersion,
      step: layout.step,
      backend: tf.getBackend(),
      stepsPerSecond: this.rate.value,
      playing: this.playing,
      runs: unpacked.map(({ snapshot }, run) => ({ ...snapshot, run, label: runLabel(runParams[run]), params: { ...runParams[run] } })),
    };
    this.post({ type: 'snapshot', frame }, frameBuffers(frame));
    if (layout.withWeights) {
      this.checkpoint = { step: layout.step, at: startedAt, weights: unpacked.map(({ weights }) => weights ?? []), losses: unpacked.map(({ snapshot }) => snapshot.loss) };
    }
  }

  /**
   * Moves every run to the backend `switchBackend` activates (after a lost device or a
   * backend error) and resumes each from the last checkpoint. `switchBackend` returns
   * false when no backend could take over.
   */
  async recover(switchBackend: () => Promise<boolean>): Promise<RecoveryResult> {
    if (this.recovering) return { kind: 'busy' };
    this.recovering = true;
    try {
      if (!(await switchBackend())) {
        this.playing = false;
        return { kind: 'stopped' };
      }
      const saved = this.checkpoint;
      // Not disposed: their tensors belonged to the failed backend.
      this.trainerList = [];
      this.resumeOnCurrentBackend(saved, true);
      return { kind: 'resumed', step: saved ? saved.step : null };
    } finally {
      this.recovering = false;
    }
  }

  /**
   * Moves every run to the backend `switchBackend` activates, on purpose (a faster one
   * was found), through the same checkpoint path as `recover`. A fresh checkpoint at the
   * current step is taken first, so no step is lost; the worker calls this between two
   * actions, so no step is in flight. `switchBackend` returns false (having made the old
   * backend current again) when the new one would not start: the runs then go on as
   * they were. Adam's moment estimates start afresh on the new backend, as after a
   * recovery: the trainer exports only its weights.
   */
  async moveTo(switchBackend: () => Promise<boolean>): Promise<MoveResult> {
    if (this.recovering) return { kind: 'busy' };
    // Diverged weights are not worth carrying anywhere; the run waits for a reset.
    if (this.halted || !this.started) return { kind: 'stayed' };
    this.recovering = true;
    try {
      const generation = this.generation;
      const trainers = this.trainerList;
      const step = this.step;
      const [weights, losses] = await Promise.all([Promise.all(trainers.map((trainer) => trainer.exportWeights())), Promise.all(trainers.map((trainer) => trainer.settle()))]);
      // A reset or new runs came in during the read: they start from step 0 wherever they run.
      const saved: Checkpoint | null = generation === this.generation ? { step, at: this.now(), weights, losses } : null;
      if (!(await switchBackend())) return { kind: 'stayed' };
      this.resumeOnCurrentBackend(saved, false);
      return { kind: 'moved', step: saved ? saved.step : 0 };
    } finally {
      this.recovering = false;
    }
  }

  /**
   * Fresh runs on the current backend, each resumed from `saved` when there is one, which
   * stays the checkpoint. A recovery goes back in steps, so it starts a new generation.
   */
  private resumeOnCurrentBackend(saved: Checkpoint | null, nextGeneration: boolean): void {
    this.freshRuns(nextGeneration);
    if (!saved) return;
    this.trainerList.forEach((trainer, run) => {
      trainer.resumeFrom(saved.step, saved.weights[run], saved.losses[run]);
    });
    // Kept, so a device lost before the next checkpoint resumes from here rather than from step 0.
    this.checkpoint = saved;
  }

  /** Runs `work` with training paused (a debug request that must not race the loop's steps). */
  async whilePaused<T>(work: () => Promise<T>): Promise<T> {
    const wasPlaying = this.playing;
    this.playing = false;
    try {
      return await work();
    } finally {
      this.playing = wasPlaying;
    }
  }

  /** Kernels and WebGPU dispatches per training step of one run, for the benchmark. */
  measure(requestedSteps: number): Promise<SessionMeasurement> {
    const steps = Math.max(1, Math.min(200, Math.floor(requestedSteps) || 1));
    const runSteps = steps * this.trainerList.length;
    return this.whilePaused(async () => {
      this.train(1); // a warm step so one-off uploads are not counted
      await this.settle();
      const profile = await tf.profile(() => {
        this.train(steps);
      });
      const counted = tf.getBackend() === 'webgpu' ? await countWebGpuDispatches(() => this.train(steps)) : null;
      await this.settle();
      return {
        kernelsPerStep: profile.kernels.length / runSteps,
        dispatchesPerStep: counted === null ? null : counted / runSteps,
        fused: this.trainerList[0]?.fused ?? false,
      };
    });
  }

  /**
   * Writes a NaN into run `index`'s class weights W, for the watchdog's tests. The
   * watchdog sees it in W itself: the fused loss turns NaN too, but the unfused head's
   * clipByValue maps a NaN cosine to a bound, so its loss can stay finite (and a NaN in a
   * hidden layer can vanish behind a ReLU whose max() drops NaN).
   */
  async poison(index: number): Promise<void> {
    const trainer = this.trainerList[index];
    if (!trainer) throw new Error(`the session has no run ${index}`);
    const weights = await trainer.exportWeights();
    weights[weights.length - 2][0] = Number.NaN;
    trainer.importWeights(weights);
    this.dirty = true;
  }

  dispose(): void {
    for (const trainer of this.trainerList) trainer.dispose();
    this.trainerList = [];
    this.started = false;
  }
}

/** Milliseconds per training step on the current backend, for choosing between backends. */
export async function timeTrainingStep(params: Params, fused: boolean, now: () => number, digits: DigitImages | null = null): Promise<number> {
  const probe = new Trainer(params, { fused, digits });
  try {
    probe.train(2);
    await probe.settle();
    const started = now();
    probe.train(8);
    await probe.settle();
    return (now() - started) / 8;
  } finally {
    probe.dispose();
  }
}
