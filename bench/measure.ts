/**
 * One page load per measurement, each in a fresh browser context (empty cache, its own
 * worker), driven only through what a user has: the URL, the status line and the speed
 * menu, plus the debug hook where the app offers one.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { BENCH_ORIGIN } from './serve';
import { NAME_SHIM, installProbe, type BenchProbe, type ProbeWindow, type StepSample } from './probe';
import { percentile } from './stats';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type Backend = (typeof BACKENDS)[number];

/** The e2e suite's viewport: at 1280×720 all five panels are on screen at once. */
const VIEWPORT = { width: 1280, height: 720 };
/** Steps-per-frame choices in the page's speed menu (src/app/Controls.tsx). */
const SPEED_OPTIONS = [1, 2, 4, 8, 16, 32] as const;
/**
 * The speed is raised until snapshots come at most about this often, so the cost of a
 * snapshot (a forward pass over every sample, one readback, the angle statistics) is
 * spread over enough steps that the rate is mostly training.
 */
const TARGET_SNAPSHOT_INTERVAL_MS = 1000;

export interface Timing {
  /** Length of the measuring window after warm-up, ms. */
  measureMs: number;
  /** Upper bound on the window when snapshots arrive too rarely to measure sooner. */
  maxWindowMs: number;
  /** How long to wait for the first training step after navigation. */
  firstStepTimeoutMs: number;
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Build-relative paths (assets/…) the page and its worker fetched. */
  fetched: string[];
  errors: string[];
}

export async function openApp(browser: Browser, query: URLSearchParams): Promise<AppPage> {
  // No service worker: its precaching (~4 MB) would compete with the page being timed.
  const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
  await context.addInitScript({ content: NAME_SHIM });
  await context.addInitScript(installProbe);
  const fetched: string[] = [];
  // Context-wide, so the worker's own imports (the backend chunks) are seen too.
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith(BENCH_ORIGIN)) fetched.push(url.slice(BENCH_ORIGIN.length).split('?')[0]);
  });
  return openAnother(context, query, fetched);
}

/**
 * A further page in `context`, which shares its storage and cache with the pages before
 * it (a second visit). `fetched` collects the whole context's requests.
 */
export async function openAnother(context: BrowserContext, query: URLSearchParams, fetched: string[] = []): Promise<AppPage> {
  const errors: string[] = [];
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  const search = query.toString();
  await page.goto(`${BENCH_ORIGIN}${search ? `?${search}` : ''}`);
  return { context, page, fetched, errors };
}

export async function probe(page: Page): Promise<BenchProbe> {
  const result = await page.evaluate(() => (window as unknown as ProbeWindow).__bench ?? null);
  if (!result) throw new Error('the benchmark probe is missing from the page');
  return result;
}

export async function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface BackendStatus {
  name: string;
  reason: string;
}

/** Waits until the status line names a backend (the worker has chosen and started one). */
export async function waitForBackend(page: Page, timeoutMs: number): Promise<BackendStatus> {
  const names: readonly string[] = BACKENDS;
  await page.waitForFunction((known) => known.includes(document.querySelector('[data-testid=status-backend]')?.textContent ?? ''), names, { timeout: timeoutMs });
  const name = (await page.getByTestId('status-backend').textContent()) ?? '';
  const reason =
    (await page
      .getByTestId('backend-reason')
      .textContent({ timeout: 2000 })
      .catch(() => null)) ?? '';
  return { name, reason };
}

export async function waitForFirstStep(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(() => ((window as unknown as ProbeWindow).__bench?.firstStepAt ?? null) !== null, null, { timeout: timeoutMs });
}

/**
 * The backend reason of an automatic page once it has decided where to train (the
 * sentences of src/core/backendVerdict.ts and src/train/worker.ts): after a warm-up, from
 * a remembered verdict, or with no WebGPU to move to.
 */
export const VERDICT_PATTERN = /^(remembered from an earlier visit \([^)]*\): )?(stays on|moved to)|there is no WebGPU to move to/;

export interface VerdictSeen {
  /** ms from navigation start (page clock) when the reason first showed the verdict. */
  atMs: number;
  backend: string;
  reason: string;
}

/** Waits until an automatic page's reason shows its verdict; null if it did not within `timeoutMs`. */
export async function waitForVerdict(page: Page, timeoutMs: number): Promise<VerdictSeen | null> {
  const handle = await page
    .waitForFunction(
      (source) => {
        const reason = document.querySelector('[data-testid=backend-reason]')?.textContent ?? '';
        if (!new RegExp(source).test(reason)) return null;
        return { atMs: performance.now(), backend: document.querySelector('[data-testid=status-backend]')?.textContent ?? '', reason };
      },
      VERDICT_PATTERN.source,
      { timeout: timeoutMs },
    )
    .catch(() => null);
  return handle ? ((await handle.jsonValue()) as VerdictSeen) : null;
}

export interface Rate {
  stepsPerSecond: number;
  /** Steps and ms between the first and the last status update in the window. */
  steps: number;
  ms: number;
  /** Status updates seen in the window (drawn snapshots). */
  updates: number;
  /** A step count that went down: the run was reset or moved to another backend. */
  restarted: boolean;
}

/** Steps per second between the first and last status updates inside [from, to]. */
export function rateBetween(samples: readonly StepSample[], from: number, to = Number.POSITIVE_INFINITY): Rate | null {
  const inside = samples.filter((sample) => sample.at >= from && sample.at <= to);
  if (inside.length < 2) return null;
  const first = inside[0];
  const last = inside[inside.length - 1];
  const ms = last.at - first.at;
  if (ms <= 0) return null;
  const restarted = inside.some((sample, index) => index > 0 && sample.step < inside[index - 1].step);
  return { stepsPerSecond: ((last.step - first.step) * 1000) / ms, steps: last.step - first.step, ms, updates: inside.length, restarted };
}

/** Waits until at least `minMs` passed since `from` (page clock) and two updates fell after it, or `maxMs` passed. */
export async function waitForRate(page: Page, from: number, minMs: number, maxMs: number): Promise<Rate | null> {
  for (;;) {
    const [now, current] = await Promise.all([pageNow(page), probe(page)]);
    const rate = rateBetween(current.steps, from);
    if ((now - from >= minMs && rate) || now - from >= maxMs) return rate;
    await sleep(Math.min(250, Math.max(50, minMs / 8)));
  }
}

export interface LoadTimes {
  /** ms from navigation start to the first drawn snapshot (status line written). */
  firstSnapshotMs: number | null;
  /** ms from navigation start until the circle panel showed coloured pixels. */
  firstPanelMs: number | null;
  /** ms from navigation start until the status line showed step ≥ 1. */
  firstStepMs: number | null;
  /** performance.mark entries the app itself set, if any (name → ms from navigation start). */
  marks: Record<string, number>;
}

export async function loadTimes(page: Page): Promise<LoadTimes> {
  const current = await probe(page);
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((mark) => [mark.name, mark.startTime])));
  return { firstSnapshotMs: current.firstSnapshotAt, firstPanelMs: current.firstColouredAt, firstStepMs: current.firstStepAt, marks };
}

export interface ThroughputResult {
  label: string;
  /** URL parameters besides the speed and panels the harness sets. */
  params: Record<string, string>;
  requested: Backend;
  /** The backend the page ended up on (differs from `requested` when it was not available). */
  backend: string;
  available: boolean;
  reason: string;
  rate: Rate | null;
  msPerStep: number | null;
  /** Steps per frame the measurement ran at (see measureThroughput). */
  speed: number;
  load: LoadTimes;
  /** Runs per snapshot frame the worker sent (bench/probe.ts); 1 outside compare mode. */
  runsPerFrame: number | null;
  fetched: string[];
  errors: string[];
}

/**
 * Raises the speed menu from 1 step per frame until snapshots come about once a second
 * (see measureThroughput), lets the last slow snapshot drain, and measures the rate over
 * a fixed wall time. The page must be training at 1 step per frame already.
 */
export async function raiseSpeedAndMeasure(page: Page, timing: Timing): Promise<{ rate: Rate | null; speed: number }> {
  let speed = 1;
  for (let round = 0; round < 6; round++) {
    const since = await pageNow(page);
    const rate = await waitForRate(page, since, 700, 4000);
    if (!rate) break;
    const interval = rate.ms / (rate.updates - 1);
    if (interval >= TARGET_SNAPSHOT_INTERVAL_MS) break;
    // Jump straight to the speed that would fill the interval, but at least double, so
    // a rate held down by the snapshot cost itself still moves up.
    const wanted = Math.max(speed * 2, (speed * TARGET_SNAPSHOT_INTERVAL_MS) / interval);
    const fitting = SPEED_OPTIONS.filter((option) => option <= wanted);
    const next = fitting[fitting.length - 1] ?? 1;
    if (next <= speed) break;
    await page.getByTestId('speed').selectOption(String(next));
    speed = next;
  }
  // Let the snapshot taken at the old speed drain before the window opens.
  await sleep(300);
  const start = await pageNow(page);
  const rate = await waitForRate(page, start, timing.measureMs, timing.maxWindowMs);
  return { rate, speed };
}

/**
 * Training steps per second on one backend and dataset.
 *
 * The worker trains `speed` steps, then takes a snapshot and waits until the page has
 * drawn it, so at a fixed speed the rate can never exceed speed × frame rate, and at a
 * low speed the snapshot's own cost dominates. The run starts at 1 step per frame (so a
 * slow backend, such as WebGPU on SwiftShader at ~100–300 ms per step, still shows
 * updates) and raises the speed while snapshots come more often than once a second;
 * then it measures over a fixed wall time. The rate is taken between two status
 * updates, so it counts whole steps over the exact time they took, with the remaining
 * snapshot cost (one per `speed` steps) included.
 */
export async function measureThroughput(browser: Browser, label: string, requested: Backend, params: Record<string, string>, timing: Timing): Promise<ThroughputResult> {
  const query = new URLSearchParams({ backend: requested, ...params, speed: '1', panels: 'training' });
  const app = await openApp(browser, query);
  try {
    const status = await waitForBackend(app.page, timing.firstStepTimeoutMs);
    const base = { label, params, requested, backend: status.name, reason: status.reason, fetched: app.fetched, errors: app.errors };
    if (status.name !== requested) {
      return { ...base, available: false, rate: null, msPerStep: null, speed: 1, load: await loadTimes(app.page), runsPerFrame: (await probe(app.page)).runsPerFrame };
    }
    await waitForFirstStep(app.page, timing.firstStepTimeoutMs);
    const { rate, speed } = await raiseSpeedAndMeasure(app.page, timing);
    const finalBackend = (await app.page.getByTestId('status-backend').textContent()) ?? status.name;
    return {
      ...base,
      backend: finalBackend,
      available: true,
      rate,
      msPerStep: rate && rate.stepsPerSecond > 0 ? 1000 / rate.stepsPerSecond : null,
      speed,
      load: await loadTimes(app.page),
      runsPerFrame: (await probe(app.page)).runsPerFrame,
    };
  } finally {
    await app.context.close();
  }
}

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean | null;
  /** The same test the app uses: a fallback adapter, or a known software rasteriser's name. */
  software: boolean;
}

export interface AutoResult {
  backend: string;
  reason: string;
  load: LoadTimes;
  mainThread: MainThreadResult | null;
  adapter: AdapterInfo | null;
  /** Why navigator.gpu gave no adapter, when it did not. */
  adapterProblem: string | null;
  userAgent: string;
  hardwareConcurrency: number;
  /** Runs per snapshot frame the worker sent (bench/probe.ts). */
  runsPerFrame: number | null;
  fetched: string[];
  errors: string[];
}

export interface MainThreadResult {
  windowMs: number;
  frames: number;
  frameP50Ms: number;
  frameP95Ms: number;
  frameMaxMs: number;
  longTasksSupported: boolean;
  longTasks: number;
  longTaskTotalMs: number;
  longTaskMaxMs: number;
  longFramesSupported: boolean;
  /** Frames over 50 ms in the window, and the time they spent in script and in rendering. */
  longFrames: number;
  longFrameTotalMs: number;
  longFrameScriptMs: number;
  longFrameRenderMs: number;
  /** Training steps the status line advanced by during the window. */
  stepsDuring: number;
}

function mainThreadFigures(current: BenchProbe, from: number, to: number): MainThreadResult {
  const frames = current.frames.filter((time) => time >= from && time <= to);
  const deltas = frames.slice(1).map((time, index) => time - frames[index]);
  // Only tasks that started inside the window: the page's own start-up is the load figure's business.
  const tasks = current.longTasks.filter((task) => task.start >= from && task.start <= to && task.duration > 50);
  const steps = current.steps.filter((sample) => sample.at >= from && sample.at <= to);
  const longFrames = current.longFrames.filter((frame) => frame.start >= from && frame.start <= to);
  const total = (values: number[]): number => values.reduce((sum, value) => sum + value, 0);
  return {
    windowMs: to - from,
    frames: frames.length,
    frameP50Ms: percentile(deltas, 50),
    frameP95Ms: percentile(deltas, 95),
    frameMaxMs: deltas.length > 0 ? Math.max(...deltas) : Number.NaN,
    longTasksSupported: current.longTasksSupported,
    longTasks: tasks.length,
    longTaskTotalMs: tasks.reduce((sum, task) => sum + task.duration, 0),
    longTaskMaxMs: tasks.reduce((max, task) => Math.max(max, task.duration), 0),
    longFramesSupported: current.longFramesSupported,
    longFrames: longFrames.length,
    longFrameTotalMs: total(longFrames.map((frame) => frame.duration)),
    longFrameScriptMs: total(longFrames.map((frame) => frame.scriptMs)),
    longFrameRenderMs: total(longFrames.map((frame) => frame.renderMs)),
    stepsDuring: steps.length >= 2 ? steps[steps.length - 1].step - steps[0].step : 0,
  };
}

async function adapterInfo(page: Page): Promise<{ adapter: AdapterInfo | null; problem: string | null }> {
  return page.evaluate(async () => {
    const gpu = navigator.gpu;
    if (!gpu) return { adapter: null, problem: 'navigator.gpu is missing' };
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) return { adapter: null, problem: 'requestAdapter() returned null' };
      const info = adapter.info;
      const text = [info.vendor, info.architecture, info.device, info.description].join(' ');
      const fallback = typeof info.isFallbackAdapter === 'boolean' ? info.isFallbackAdapter : null;
      return {
        adapter: {
          vendor: info.vendor,
          architecture: info.architecture,
          device: info.device,
          description: info.description,
          isFallbackAdapter: fallback,
          software: fallback === true || /swiftshader|llvmpipe|software/i.test(text),
        },
        problem: null,
      };
    } catch (error) {
      return { adapter: null, problem: error instanceof Error ? error.message : String(error) };
    }
  });
}

/**
 * The page as a visitor gets it: no parameters, so the app picks the backend itself and
 * shows all panels at 8 × 300 points and its default speed. Gives the load times, the
 * backend choice and, over `mainThreadMs` of training from the first step on (or, on an
 * automatic page, from its backend verdict on), frame times and long tasks on the main
 * thread. `query` adds parameters (compare mode's
 * main-thread run passes `compare` and `backend`).
 */
export async function measureAuto(browser: Browser, mainThreadMs: number, timing: Timing, query: Record<string, string> = {}): Promise<AutoResult> {
  const app = await openApp(browser, new URLSearchParams(query));
  try {
    let status = await waitForBackend(app.page, timing.firstStepTimeoutMs);
    await waitForFirstStep(app.page, timing.firstStepTimeoutMs);
    let from = (await probe(app.page)).firstStepAt ?? (await pageNow(app.page));
    // An automatic page warms WebGPU up in a second worker after its first step; the
    // window opens once that is over, so it shows the page as it stays.
    if (!query.backend) {
      const verdict = await waitForVerdict(app.page, timing.firstStepTimeoutMs);
      if (verdict) {
        status = { name: verdict.backend, reason: verdict.reason };
        from = Math.max(from, verdict.atMs);
      }
    }
    const firstStep = from;
    for (;;) {
      const now = await pageNow(app.page);
      if (now >= firstStep + mainThreadMs) break;
      await sleep(Math.min(500, firstStep + mainThreadMs - now + 20));
    }
    const current = await probe(app.page);
    const { adapter, problem } = await adapterInfo(app.page);
    const runsPerFrame = current.runsPerFrame;
    const environment = await app.page.evaluate(() => ({ userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency }));
    return {
      backend: status.name,
      reason: status.reason,
      load: await loadTimes(app.page),
      mainThread: mainThreadFigures(current, firstStep, firstStep + mainThreadMs),
      adapter,
      adapterProblem: problem,
      runsPerFrame,
      ...environment,
      fetched: app.fetched,
      errors: app.errors,
    };
  } finally {
    await app.context.close();
  }
}

/** What `window.__arcfaceDebug.measure` resolves to (the contract agreed with the app). */
export interface DispatchFigures {
  /** null where the backend has no GPU compute dispatches to count (everything but WebGPU). */
  dispatchesPerStep: number | null;
  kernelsPerStep: number;
  readbacksPerFrame: number;
  backend: string;
}

export type DispatchResult =
  | { status: 'ok'; fused: boolean; figures: DispatchFigures }
  | { status: 'hook-missing'; fused: boolean }
  | { status: 'unavailable'; fused: boolean; backend: string }
  | { status: 'error'; fused: boolean; message: string };

function isDispatchFigures(value: unknown): value is DispatchFigures {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    ['kernelsPerStep', 'readbacksPerFrame'].every((key) => typeof record[key] === 'number')
    && (typeof record.dispatchesPerStep === 'number' || record.dispatchesPerStep === null)
    && typeof record.backend === 'string'
  );
}

/**
 * Dispatches per step and readbacks per frame, counted by the app's debug hook (only
 * present with `debug=1`). `fused` goes both into the URL (`fused=0`) and into the
 * call, so either way the app reads it, the figure is for the intended setting.
 */
export async function measureDispatches(browser: Browser, requested: Backend, fused: boolean, steps: number, timing: Timing): Promise<DispatchResult> {
  const query = new URLSearchParams({ backend: requested, debug: '1', panels: 'training' });
  if (!fused) query.set('fused', '0');
  const app = await openApp(browser, query);
  try {
    const status = await waitForBackend(app.page, timing.firstStepTimeoutMs);
    if (status.name !== requested) return { status: 'unavailable', fused, backend: status.name };
    await waitForFirstStep(app.page, timing.firstStepTimeoutMs);
    const present = await app.page
      .waitForFunction(() => typeof (window as unknown as ProbeWindow).__arcfaceDebug?.measure === 'function', null, { timeout: 3000 })
      .then(
        () => true,
        () => false,
      );
    if (!present) return { status: 'hook-missing', fused };
    const call = app.page.evaluate(
      async (options) => {
        const hook = (window as unknown as ProbeWindow).__arcfaceDebug?.measure as (options: { steps: number; fused?: boolean }) => Promise<unknown>;
        return hook(options);
      },
      { steps, fused },
    );
    const timeout = sleep(timing.firstStepTimeoutMs).then(() => 'timeout' as const);
    const answer = await Promise.race([call, timeout]);
    if (answer === 'timeout') return { status: 'error', fused, message: `measure() did not answer within ${timing.firstStepTimeoutMs / 1000} s` };
    if (!isDispatchFigures(answer)) return { status: 'error', fused, message: `measure() answered with an unexpected shape: ${JSON.stringify(answer).slice(0, 200)}` };
    return { status: 'ok', fused, figures: answer };
  } catch (error) {
    return { status: 'error', fused, message: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  } finally {
    await app.context.close();
  }
}
