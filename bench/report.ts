/**
 * The shape of bench/results/latest.json and its rendering as markdown. Every figure is
 * printed as measured; a figure that could not be taken says why instead.
 */
import type { BundleReport, LazyLoad } from './bundle';
import { renderCompare, type CompareResults } from './compare';
import type { AdapterInfo, AutoResult, Backend, DispatchResult, ThroughputResult, Timing } from './measure';
import { renderRecord, type RecordResults } from './record';
import { renderStartup, type StartupResults } from './startup';

export interface Failure {
  error: string;
}

export type Outcome<T> = T | Failure;

export function failed<T>(outcome: Outcome<T> | undefined): outcome is Failure {
  return typeof outcome === 'object' && outcome !== null && 'error' in outcome;
}

export interface ScalePoint {
  samplesPerIdentity: number;
  identities: number;
  result: Outcome<ThroughputResult> | 'skipped';
}

export interface BenchResults {
  generatedAt: string;
  durationMs: number;
  machine: {
    os: string;
    arch: string;
    cpuModel: string;
    cpuCount: number;
    memoryGiB: number;
    /** 1-minute load average before and after: the machine may be shared with other work. */
    loadAverage: { start: number; end: number };
    node: string;
    chromium: string;
    userAgent: string | null;
    webgpuAdapter: AdapterInfo | null;
    webgpuProblem: string | null;
  };
  timing: Timing & { mainThreadMs: number; dispatchSteps: number; budgetMs: number };
  auto: Outcome<AutoResult> | 'skipped';
  throughput: Partial<Record<Backend, Outcome<ThroughputResult> | 'skipped'>>;
  fullBatch: Partial<Record<Backend, Outcome<ThroughputResult> | 'skipped'>>;
  choice: {
    picked: string | null;
    webgpuStepsPerSecond: number | null;
    wasmStepsPerSecond: number | null;
    faster: 'webgpu' | 'wasm' | null;
    /** null when there was nothing to compare (a backend missing or the pick not among the two). */
    pickedFaster: boolean | null;
    note: string;
  };
  scale: {
    backend: string | null;
    batch: number;
    points: ScalePoint[];
    /** step time ≈ C · samples^samples · identities^identities, least squares on logs. */
    exponents: { samples: number; identities: number; rSquared: number; points: number } | null;
  };
  dispatches: Partial<Record<Backend, { unfused: DispatchResult | 'skipped'; fused: DispatchResult | 'skipped' }>>;
  /** Compare mode: 1 vs 2 runs' steps/s, 4 runs on the main thread, and the engine in Node (bench/compare.ts). */
  compare: CompareResults;
  /** Recording: encoding frames/s at 720p and 1080p, and the timeline's memory at 10,000 steps (bench/record.ts). */
  record: RecordResults;
  /** The default link against ?backend=wasm: load times, the warm-up verdict and steps/s after it (bench/startup.ts). */
  startup: StartupResults | 'skipped';
  bundle: BundleReport & { dynamicImports: number; lazyByRun: Record<string, LazyLoad> };
  skipped: string[];
}

const ms = (value: number | null | undefined, digits = 0): string => (value === null || value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(digits)} ms`);
const num = (value: number | null | undefined, digits = 1): string => (value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

function why(outcome: Outcome<ThroughputResult> | 'skipped' | undefined): string | null {
  if (outcome === undefined) return 'not run';
  if (outcome === 'skipped') return 'skipped (time budget)';
  if (failed(outcome)) return `failed: ${outcome.error}`;
  if (!outcome.available) return `not offered (page fell back to ${outcome.backend})`;
  if (!outcome.rate) return 'no two snapshots in the window';
  return null;
}

function rateCells(outcome: Outcome<ThroughputResult> | 'skipped' | undefined): [string, string, string] {
  const problem = why(outcome);
  if (problem !== null || outcome === undefined || outcome === 'skipped' || failed(outcome)) return [problem ?? '–', '', ''];
  const restarted = outcome.rate?.restarted ? ' (restarted!)' : '';
  return [`${num(outcome.rate?.stepsPerSecond)}${restarted}`, ms(outcome.msPerStep, 1), String(outcome.speed)];
}

function dispatchCells(backend: Backend, result: DispatchResult | 'skipped' | undefined): [string, string, string] {
  if (result === undefined) return ['not run', '', ''];
  if (result === 'skipped') return ['skipped (time budget)', '', ''];
  switch (result.status) {
    case 'ok':
      return [
        (result.figures.dispatchesPerStep === null ? 'n/a (not WebGPU)' : num(result.figures.dispatchesPerStep))
          // The hook names the backend it counted on; a fallback mid-run would make the row someone else's.
          + (result.figures.backend === backend ? '' : ` (counted on ${result.figures.backend}!)`),
        num(result.figures.kernelsPerStep),
        num(result.figures.readbacksPerFrame, 2),
      ];
    case 'hook-missing':
      return ['n/a (hook missing)', '', ''];
    case 'unavailable':
      return [`not offered (fell back to ${result.backend})`, '', ''];
    case 'error':
      return [`error: ${result.message}`, '', ''];
  }
}

function table(header: string[], rows: string[][]): string[] {
  const escapeCell = (cell: string): string => cell.replace(/\|/g, '\\|');
  return [`| ${header.map(escapeCell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`)];
}

export function renderMarkdown(results: BenchResults, backends: readonly Backend[]): string {
  const { machine } = results;
  const lines: string[] = [];
  const adapter = machine.webgpuAdapter;
  const adapterText = adapter
    ? `${[adapter.vendor, adapter.architecture, adapter.device, adapter.description].filter(Boolean).join(' ') || 'unnamed'} (software adapter: ${adapter.software ? 'yes' : 'no'}, isFallbackAdapter: ${adapter.isFallbackAdapter ?? 'not reported'})`
    : `none (${machine.webgpuProblem ?? 'unknown'})`;
  lines.push('# ArcFace Playground benchmark', '');
  lines.push(
    `${results.generatedAt} · ${(results.durationMs / 1000).toFixed(0)} s · ${machine.os} ${machine.arch} · ${machine.cpuCount} × ${machine.cpuModel} · ${machine.memoryGiB.toFixed(1)} GiB · Node ${machine.node} · Chromium ${machine.chromium}`,
  );
  lines.push(`WebGPU adapter: ${adapterText} · load average ${machine.loadAverage.start.toFixed(2)} → ${machine.loadAverage.end.toFixed(2)}`, '');
  lines.push(
    '> Caveat: SwiftShader is not a GPU. It runs WebGPU (and WebGL through ANGLE) on the CPU; its timings say nothing about how the app runs on a GPU.'
      + (adapter?.software ? ' This run had only a software adapter.' : ''),
    '',
  );

  lines.push('## Throughput, 8 identities × 300 samples', '');
  lines.push(
    ...table(
      ['backend', 'batch 256: steps/s', 'ms/step', 'steps/frame', 'full batch (4096 ≥ 2400): steps/s', 'ms/step', 'steps/frame'],
      backends.map((backend) => [backend, ...rateCells(results.throughput[backend]), ...rateCells(results.fullBatch[backend])]),
    ),
  );
  lines.push('');

  const { choice } = results;
  const verdict = choice.pickedFaster === null ? 'n/a' : choice.pickedFaster ? 'yes' : 'NO';
  const auto = results.auto;
  const reason = auto === 'skipped' ? 'skipped' : failed(auto) ? `failed: ${auto.error}` : auto.reason;
  lines.push(
    `**Backend the app picks on its own:** ${choice.picked ?? '–'} (${reason}). Faster of webgpu and wasm here: ${choice.faster ?? '–'} (webgpu ${num(choice.webgpuStepsPerSecond)} vs wasm ${num(choice.wasmStepsPerSecond)} steps/s). Picked the faster: **${verdict}**. ${choice.note}`.trim(),
    '',
  );

  const { scale } = results;
  lines.push(`## Scale, ${scale.backend ?? '–'}, batch ${scale.batch} (ms per step)`, '');
  const sizes = [...new Set(scale.points.map((point) => point.samplesPerIdentity))];
  const counts = [...new Set(scale.points.map((point) => point.identities))];
  lines.push(
    ...table(
      ['samples per identity \\ identities', ...counts.map(String)],
      sizes.map((size) => [
        String(size),
        ...counts.map((count) => {
          const point = scale.points.find((candidate) => candidate.samplesPerIdentity === size && candidate.identities === count);
          const problem = why(point?.result);
          if (problem !== null || !point || point.result === 'skipped' || failed(point.result)) return problem ?? '–';
          return ms(point.result.msPerStep, 1);
        }),
      ]),
    ),
  );
  lines.push('');
  lines.push(
    scale.exponents
      ? `Fitted step time ∝ samples^${scale.exponents.samples.toFixed(2)} · identities^${scale.exponents.identities.toFixed(2)} (least squares on logs, ${scale.exponents.points} points, R² = ${scale.exponents.rSquared.toFixed(2)}).`
      : 'Scale exponents: n/a (too few measured points).',
    '',
  );

  lines.push("## Dispatches (counted by the app's debug hook)", '');
  lines.push(
    ...table(
      ['backend', 'fused=0: dispatches/step', 'kernels/step', 'readbacks/frame', 'fused=1: dispatches/step', 'kernels/step', 'readbacks/frame'],
      backends.map((backend) => [backend, ...dispatchCells(backend, results.dispatches[backend]?.unfused), ...dispatchCells(backend, results.dispatches[backend]?.fused)]),
    ),
  );
  lines.push('');
  // Identical counts with and without fusion are worth a line: the table alone reads as if fusion were measured.
  const unchanged = backends.filter((backend) => {
    const pair = results.dispatches[backend];
    if (!pair || pair.unfused === 'skipped' || pair.fused === 'skipped' || pair.unfused.status !== 'ok' || pair.fused.status !== 'ok') return false;
    return pair.unfused.figures.kernelsPerStep === pair.fused.figures.kernelsPerStep && pair.unfused.figures.dispatchesPerStep === pair.fused.figures.dispatchesPerStep;
  });
  if (unchanged.length > 0) {
    lines.push(`fused=0 and fused=1 counted the same kernels and dispatches on ${unchanged.join(', ')}: either there is no fused path there, or the page did not pass fused=0 on to the trainer.`, '');
  }

  lines.push(`## Main thread, ${results.timing.mainThreadMs / 1000} s of training, all panels, 8 × 300, default speed`, '');
  if (auto === 'skipped' || failed(auto) || !auto.mainThread) {
    lines.push(auto === 'skipped' ? 'skipped (time budget)' : failed(auto) ? `failed: ${auto.error}` : 'n/a', '');
  } else {
    const main = auto.mainThread;
    lines.push(
      ...table(
        ['backend', 'frames', 'frame p50', 'frame p95', 'frame max', 'long tasks > 50 ms', 'long-task time', 'longest task', 'steps trained'],
        [
          [
            auto.backend,
            String(main.frames),
            ms(main.frameP50Ms, 1),
            ms(main.frameP95Ms, 1),
            ms(main.frameMaxMs, 1),
            main.longTasksSupported ? String(main.longTasks) : 'n/a (no longtask support)',
            ms(main.longTaskTotalMs),
            ms(main.longTaskMaxMs),
            String(main.stepsDuring),
          ],
        ],
      ),
    );
    lines.push('');
    lines.push(
      main.longFramesSupported
        ? `Frames over 50 ms: ${main.longFrames}, ${ms(main.longFrameTotalMs)} in all, of which ${ms(main.longFrameScriptMs)} in script and ${ms(main.longFrameRenderMs)} in style, layout and paint.`
        : 'Frames over 50 ms: n/a (no long-animation-frame support).',
      '',
    );
  }

  lines.push(...renderCompare(results.compare));
  lines.push(...renderRecord(results.record));

  if (results.startup === 'skipped') lines.push('## Start-up', '', 'skipped (time budget)', '');
  else lines.push(...renderStartup(results.startup));

  lines.push('## Load (ms from navigation start)', '');
  const loadRows: string[][] = [];
  if (auto !== 'skipped' && !failed(auto)) {
    loadRows.push([`auto (${auto.backend} after its verdict), all panels`, ms(auto.load.firstSnapshotMs), ms(auto.load.firstPanelMs), ms(auto.load.firstStepMs)]);
  }
  for (const backend of backends) {
    const outcome = results.throughput[backend];
    if (!outcome || outcome === 'skipped' || failed(outcome) || !outcome.available) continue;
    loadRows.push([`backend=${backend}, training panel only`, ms(outcome.load.firstSnapshotMs), '(no circle panel)', ms(outcome.load.firstStepMs)]);
  }
  lines.push(...table(['page', 'first snapshot drawn', 'circle panel coloured', 'first training step'], loadRows));
  const marks = auto !== 'skipped' && !failed(auto) ? Object.entries(auto.load.marks) : [];
  lines.push(
    '',
    marks.length > 0
      ? `performance marks set by the app: ${marks.map(([name, time]) => `${name} ${ms(time)}`).join(', ')}`
      : "The app sets no performance marks; the times come from the benchmark's own observers.",
    '',
  );

  const { bundle } = results;
  lines.push(`## Bundle (gzip level 6; ${bundle.dynamicImports} chunks are loaded with import())`, '');
  lines.push(
    ...table(
      ['what', 'files', 'raw', 'gzip'],
      [
        ['initial JS (index.html entry + modulepreload + static imports)', String(bundle.totals.initial.files), kib(bundle.totals.initial.raw), kib(bundle.totals.initial.gzip)],
        ['worker start JS (worker entry + static imports)', String(bundle.totals.worker.files), kib(bundle.totals.worker.raw), kib(bundle.totals.worker.gzip)],
        ['lazy JS, all backends', String(bundle.totals.lazy.files), kib(bundle.totals.lazy.raw), kib(bundle.totals.lazy.gzip)],
        ['.wasm binaries, all three builds', String(bundle.wasm.files), kib(bundle.wasm.raw), kib(bundle.wasm.gzip)],
      ],
    ),
  );
  lines.push('');
  lines.push(
    ...table(
      ['run', 'lazy JS fetched (raw / gzip)', '.wasm fetched (raw / gzip)', 'lazy files'],
      Object.entries(bundle.lazyByRun).map(([run, load]) => [run, `${kib(load.js.raw)} / ${kib(load.js.gzip)}`, `${kib(load.wasm.raw)} / ${kib(load.wasm.gzip)}`, String(load.files.length)]),
    ),
  );
  lines.push('');
  lines.push(
    ...table(
      ['chunk', 'loaded', 'raw', 'gzip'],
      bundle.chunks.map((chunk) => [chunk.file, chunk.group, kib(chunk.raw), kib(chunk.gzip)]),
    ),
  );
  if (results.skipped.length > 0) lines.push('', `Skipped to stay within the time budget: ${results.skipped.join(', ')}.`);
  lines.push('');
  return lines.join('\n');
}
