/**
 * What the benchmark installs in every page before the app's own scripts run. It only
 * watches: animation frames, long tasks, and the status line's step counter, so every
 * figure is taken from the page's own clock (performance.now(), whose zero is the
 * navigation start) instead of from round trips over the DevTools protocol.
 *
 * `installProbe` is serialised by Playwright and run in the page, so it must not close
 * over anything in this module.
 */

export interface StepSample {
  /** performance.now() when the page wrote this step into the status line. */
  at: number;
  step: number;
}

export interface BenchProbe {
  /** requestAnimationFrame timestamps, one per frame, from the first frame on. */
  frames: number[];
  longTasks: { start: number; duration: number }[];
  /** False when this Chromium does not report 'longtask' entries. */
  longTasksSupported: boolean;
  /**
   * Frames that took over 50 ms ('long-animation-frame' entries), split into the time
   * spent in script and in style, layout and paint. A slow frame with little of either
   * waited on something off the main thread (the GPU process, another process's CPU).
   */
  longFrames: { start: number; duration: number; scriptMs: number; renderMs: number }[];
  longFramesSupported: boolean;
  /** Every step the status line showed, in order. */
  steps: StepSample[];
  /** The first time the status line was written by a drawn snapshot. */
  firstSnapshotAt: number | null;
  /** The first time the circle panel's canvas held coloured (not grey) pixels. */
  firstColouredAt: number | null;
  /** The first time the status line showed a step ≥ 1. */
  firstStepAt: number | null;
  /**
   * The most runs one snapshot frame from the worker held (compare mode trains 2 to 4);
   * null until a frame arrived. Read off the worker's messages, so a page that ignored
   * `compare` is told apart from one that trains slowly.
   */
  runsPerFrame: number | null;
}

/** The page's window as the benchmark sees it; a cast, so the app's own globals stay its business. */
export interface ProbeWindow {
  __bench?: BenchProbe;
  __arcfaceDebug?: { measure?: unknown };
}

/**
 * esbuild (used by tsx) wraps named functions in `__name(fn, "name")` to keep their
 * names; Playwright ships a function's source text to the page, where that helper does
 * not exist. This gives the page a no-op one.
 */
export const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((target) => target);';

export function installProbe(): void {
  const probe: BenchProbe = {
    frames: [],
    longTasks: [],
    longTasksSupported: false,
    longFrames: [],
    longFramesSupported: false,
    steps: [],
    firstSnapshotAt: null,
    firstColouredAt: null,
    firstStepAt: null,
    runsPerFrame: null,
  };
  (window as unknown as ProbeWindow).__bench = probe;

  // Every worker the page makes gets one more 'message' listener, beside the app's own.
  const PageWorker = window.Worker;
  window.Worker = class WatchedWorker extends PageWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (event: MessageEvent<unknown>) => {
        const data = event.data as { frame?: { runs?: unknown[] } } | null;
        const runs = data?.frame?.runs;
        if (Array.isArray(runs)) probe.runsPerFrame = Math.max(probe.runsPerFrame ?? 0, runs.length);
      });
    }
  };

  try {
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longTasks.push({ start: entry.startTime, duration: entry.duration });
    });
    observer.observe({ type: 'longtask', buffered: true });
    probe.longTasksSupported = PerformanceObserver.supportedEntryTypes.includes('longtask');
  } catch {
    // Left unsupported: the report then says so instead of claiming zero long tasks.
  }

  try {
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        // Fields of PerformanceLongAnimationFrameTiming, which the DOM typings do not have yet.
        const frame = entry as PerformanceEntry & { renderStart?: number; scripts?: { duration: number }[] };
        const scriptMs = (frame.scripts ?? []).reduce((sum, script) => sum + script.duration, 0);
        const renderMs = frame.renderStart ? Math.max(0, entry.startTime + entry.duration - frame.renderStart) : 0;
        probe.longFrames.push({ start: entry.startTime, duration: entry.duration, scriptMs, renderMs });
      }
    });
    observer.observe({ type: 'long-animation-frame', buffered: true });
    probe.longFramesSupported = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame');
  } catch {
    // Older Chromium: the report says the split is not available.
  }

  const onFrame = (time: number): void => {
    probe.frames.push(time);
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);

  // Coloured, not grey: the identities are drawn in saturated palette colours, while
  // the empty canvas is transparent and axes and text are grey or black.
  const canvasHasColour = (): boolean => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=panel-circle] canvas');
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
    const context = canvas.getContext('2d');
    if (!context) return false;
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let coloured = 0;
    // Every 3rd pixel is plenty to find a few hundred plotted points and W lines.
    for (let index = 0; index < pixels.length; index += 12) {
      if (pixels[index + 3] < 128) continue;
      const high = Math.max(pixels[index], pixels[index + 1], pixels[index + 2]);
      const low = Math.min(pixels[index], pixels[index + 1], pixels[index + 2]);
      if (high - low > 60 && ++coloured >= 20) return true;
    }
    return false;
  };

  const checkCanvas = (): void => {
    if (probe.firstColouredAt === null && probe.firstSnapshotAt !== null && canvasHasColour()) probe.firstColouredAt = performance.now();
  };

  const onStepText = (text: string | null): void => {
    const step = Number(text);
    if (text === null || text.trim() === '' || !Number.isFinite(step)) return;
    const at = performance.now();
    probe.steps.push({ at, step });
    probe.firstSnapshotAt ??= at;
    if (step >= 1) probe.firstStepAt ??= at;
    // The page paints the panels in the same frame callback that writes the step, so
    // checking here (a microtask later) sees that frame's canvas.
    checkCanvas();
  };

  // The status line appears once React has mounted; until then, look for it.
  const attach = window.setInterval(() => {
    const counter = document.querySelector('[data-testid=status-step]');
    if (!counter) return;
    window.clearInterval(attach);
    new MutationObserver(() => onStepText(counter.textContent)).observe(counter, { childList: true, characterData: true, subtree: true });
  }, 20);

  // The circle panel may get its size after the first snapshot and repaint without a
  // new step; a slow poll catches that without reading pixels every frame.
  const fallback = window.setInterval(() => {
    checkCanvas();
    if (probe.firstColouredAt !== null) window.clearInterval(fallback);
  }, 100);
}
