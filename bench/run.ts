/**
 * `npm run bench`: builds the app, serves the build on 127.0.0.1:4174, drives headless
 * Chromium through it and writes bench/results/latest.json and latest.md, then prints
 * the markdown. See bench/README.md for what each figure means.
 *
 * A slow machine gives small numbers, never a failure: the exit code is non-zero only
 * when the harness itself breaks (the build, the server or the browser). A single
 * measurement that fails is recorded with its error and the run goes on.
 */
import { chromium, type Browser } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, release, totalmem, type } from 'node:os';
import { QUIET_FLAGS, WEBGPU_FLAGS, chromiumPath } from '../e2e/browser';
import { analyseBundle, dynamicImportCount, lazyLoaded, type LazyLoad } from './bundle';
import { measureCompare, renderCompare } from './compare';
import { measureDigits, renderDigits } from './digits';
import { BACKENDS, measureAuto, measureDispatches, measureThroughput, type Backend, type DispatchResult, type ThroughputResult } from './measure';
import { failed, renderMarkdown, type BenchResults, type Outcome, type ScalePoint } from './report';
import { measureRecord, renderRecord } from './record';
import { measureStartup, renderStartup } from './startup';
import { BENCH_DIST, buildApp, startPreview, type PreviewServer } from './serve';
import { scaleExponents } from './stats';

const RESULTS_DIR = 'bench/results';

const TIMING: BenchResults['timing'] = {
  measureMs: 3000,
  maxWindowMs: 10_000,
  // WebGPU on SwiftShader takes ~10 s to its first step on a busy 2-core machine.
  firstStepTimeoutMs: 60_000,
  mainThreadMs: 10_000,
  dispatchSteps: 10,
  // No new measurement starts after this (from process start); one in flight may add
  // about a minute at worst, which keeps the whole run near 7 minutes. Compare mode's
  // four measurements (bench/compare.ts) take about 90 s of it.
  budgetMs: 360_000,
};
/** One measurement may not take longer than this, whatever the page does. */
const RUN_LIMIT_MS = 120_000;

const SCALE_SAMPLES = [100, 300, 1000] as const;
const SCALE_IDENTITIES = [8, 32, 128] as const;
const DEFAULT_DATA = { n: '300', ids: '8', batch: '256' } as const;
const FULL_BATCH = '4096';

const started = Date.now();
const skipped: string[] = [];

function log(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
}

function describe(error: unknown): string {
  // Playwright errors carry a call log after the first line; the first line says what failed.
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

/** Runs one measurement within the time budget; a failure becomes a recorded error, not an exit. */
async function guarded<T>(label: string, run: () => Promise<T>): Promise<Outcome<T> | 'skipped'> {
  if (Date.now() - started > TIMING.budgetMs) {
    skipped.push(label);
    log(`${label}: skipped (time budget)`);
    return 'skipped';
  }
  log(`${label} …`);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${RUN_LIMIT_MS / 1000} s`)), RUN_LIMIT_MS);
  });
  try {
    return await Promise.race([run(), limit]);
  } catch (error) {
    log(`${label}: ${describe(error)}`);
    return { error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

function stepsPerSecond(outcome: Outcome<ThroughputResult> | 'skipped' | undefined): number | null {
  if (!outcome || outcome === 'skipped' || failed(outcome) || !outcome.available || !outcome.rate) return null;
  return outcome.rate.stepsPerSecond;
}

function compareChoice(picked: string | null, throughput: BenchResults['throughput']): BenchResults['choice'] {
  const webgpu = stepsPerSecond(throughput.webgpu);
  const wasm = stepsPerSecond(throughput.wasm);
  const faster = webgpu !== null && wasm !== null ? (webgpu > wasm ? 'webgpu' : 'wasm') : null;
  let note = '';
  let pickedFaster: boolean | null = null;
  if (faster === null) note = 'Could not compare: webgpu or wasm was not measured.';
  else if (picked !== 'webgpu' && picked !== 'wasm') note = `The app picked ${picked ?? 'nothing'}, neither of the two.`;
  else {
    pickedFaster = picked === faster;
    // Two rates within 10 % are a tie on a shared machine; say so rather than call it wrong.
    const ratio = Math.max(webgpu ?? 0, wasm ?? 0) / Math.max(1e-9, Math.min(webgpu ?? 0, wasm ?? 0));
    if (!pickedFaster && ratio < 1.1) note = 'The two are within 10 %, which is noise on a shared machine.';
  }
  return { picked, webgpuStepsPerSecond: webgpu, wasmStepsPerSecond: wasm, faster, pickedFaster, note };
}

type Measured = Omit<BenchResults, 'generatedAt' | 'durationMs' | 'machine' | 'bundle' | 'skipped' | 'timing'>;

async function measureAll(browser: Browser): Promise<Measured> {
  // First, while the machine is as fresh as it gets: start-up is what the issue measures in ratios.
  const startup = Date.now() - started > TIMING.budgetMs ? 'skipped' : await measureStartup(browser, TIMING, guarded);
  const auto = await guarded('auto backend: load and main thread', () => measureAuto(browser, TIMING.mainThreadMs, TIMING));
  // The backend the automatic page trains on once its warm-up has decided.
  const picked = auto !== 'skipped' && !failed(auto) ? auto.backend : null;

  const throughput: BenchResults['throughput'] = {};
  for (const backend of BACKENDS) {
    throughput[backend] = await guarded(`throughput ${backend} 8×300 batch 256`, () => measureThroughput(browser, 'default', backend, DEFAULT_DATA, TIMING));
  }
  const compare = await measureCompare(browser, TIMING, DEFAULT_DATA, guarded);
  const record = await measureRecord(guarded);

  const offered = BACKENDS.filter((backend) => {
    const outcome = throughput[backend];
    // A backend that failed for another reason is still tried below: the failure may have been the run's, not the backend's.
    return !(outcome && outcome !== 'skipped' && !failed(outcome) && !outcome.available);
  });

  const dispatches: BenchResults['dispatches'] = {};
  let hookMissing = false;
  for (const backend of offered) {
    const entry: { unfused: DispatchResult | 'skipped'; fused: DispatchResult | 'skipped' } = { unfused: 'skipped', fused: 'skipped' };
    for (const fused of [false, true]) {
      // Without the hook every further page load would only say so again.
      const result: Outcome<DispatchResult> | 'skipped' = hookMissing
        ? { status: 'hook-missing', fused }
        : await guarded(`dispatches ${backend} fused=${fused ? 1 : 0}`, () => measureDispatches(browser, backend, fused, TIMING.dispatchSteps, TIMING));
      const settled: DispatchResult | 'skipped' = result === 'skipped' ? 'skipped' : failed(result) ? { status: 'error', fused, message: result.error } : result;
      if (settled !== 'skipped' && settled.status === 'hook-missing') hookMissing = true;
      if (fused) entry.fused = settled;
      else entry.unfused = settled;
    }
    dispatches[backend] = entry;
  }

  const fullBatch: BenchResults['fullBatch'] = {};
  for (const backend of offered) {
    fullBatch[backend] = await guarded(`throughput ${backend} full batch`, () => measureThroughput(browser, 'full batch', backend, { ...DEFAULT_DATA, batch: FULL_BATCH }, TIMING));
  }

  // The scale runs use the backend a visitor would get; WASM if the automatic pick failed.
  const scaleBackend: Backend = picked !== null && (BACKENDS as readonly string[]).includes(picked) ? (picked as Backend) : 'wasm';
  const points: ScalePoint[] = [];
  for (const samplesPerIdentity of SCALE_SAMPLES) {
    for (const identities of SCALE_IDENTITIES) {
      const isDefault = String(samplesPerIdentity) === DEFAULT_DATA.n && String(identities) === DEFAULT_DATA.ids;
      const reused = isDefault ? throughput[scaleBackend] : undefined;
      const result =
        reused
        ?? (await guarded(`scale ${scaleBackend} n=${samplesPerIdentity} ids=${identities}`, () =>
          measureThroughput(browser, 'scale', scaleBackend, { n: String(samplesPerIdentity), ids: String(identities), batch: DEFAULT_DATA.batch }, TIMING),
        ));
      points.push({ samplesPerIdentity, identities, result });
    }
  }
  const exponents = scaleExponents(
    points.flatMap((point) => {
      const result = point.result;
      if (result === 'skipped' || failed(result) || !result.available || result.msPerStep === null) return [];
      return [{ samplesPerIdentity: point.samplesPerIdentity, identities: point.identities, msPerStep: result.msPerStep }];
    }),
  );

  return {
    auto,
    throughput,
    fullBatch,
    dispatches,
    compare,
    record,
    startup,
    choice: compareChoice(picked, throughput),
    scale: { backend: scaleBackend, batch: Number(DEFAULT_DATA.batch), points, exponents },
  };
}

/**
 * One part of the benchmark alone (`--compare-only`, `--startup-only`, `--record-only`, `--digits-only`): build, serve,
 * measure, and write bench/results/NAME.json and NAME.md; latest.* are left alone.
 */
async function partOnly<T>(name: string, measure: (browser: Browser) => Promise<T>, render: (result: T) => string[]): Promise<number> {
  const loadStart = loadavg()[0];
  log(`building the app into ${BENCH_DIST}`);
  buildApp();
  let server: PreviewServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startPreview();
    browser = await chromium.launch({ executablePath: chromiumPath(), args: [...WEBGPU_FLAGS, ...QUIET_FLAGS] });
    const result = await measure(browser);
    const header = `${new Date().toISOString()} · ${((Date.now() - started) / 1000).toFixed(0)} s · ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown'} · Chromium ${browser.version()} · load average ${loadStart.toFixed(2)} → ${loadavg()[0].toFixed(2)}`;
    const markdown = `${[header, '', ...render(result)].join('\n')}\n`;
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(`${RESULTS_DIR}/${name}.json`, `${JSON.stringify({ generatedAt: new Date().toISOString(), loadAverage: { start: loadStart, end: loadavg()[0] }, [name]: result }, null, 2)}\n`);
    writeFileSync(`${RESULTS_DIR}/${name}.md`, markdown);
    process.stdout.write(markdown);
    return 0;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  }
}

/** `npm run bench -- --compare-only`: only compare mode's measurements. */
const compareOnly = (): Promise<number> => partOnly('compare', (browser) => measureCompare(browser, TIMING, DEFAULT_DATA, guarded), renderCompare);

/** `npm run bench -- --startup-only`: only the start-up figures (bench/startup.ts). */
const startupOnly = (): Promise<number> => partOnly('startup', (browser) => measureStartup(browser, TIMING, guarded), renderStartup);

/** `npm run bench -- --record-only`: only the recording figures (bench/record.ts). */
const recordOnly = (): Promise<number> => partOnly('record', () => measureRecord(guarded), renderRecord);

/** `npm run bench -- --digits-only`: training steps/s on the handwritten digits, per backend (bench/digits.ts). */
const digitsOnly = (): Promise<number> => partOnly('digits', (browser) => measureDigits(browser, TIMING, guarded), renderDigits);

async function main(): Promise<number> {
  if (process.argv.includes('--compare-only')) return compareOnly();
  if (process.argv.includes('--digits-only')) return digitsOnly();
  if (process.argv.includes('--startup-only')) return startupOnly();
  if (process.argv.includes('--record-only')) return recordOnly();
  const loadStart = loadavg()[0];
  log(`building the app into ${BENCH_DIST}`);
  buildApp();
  const bundle = analyseBundle(BENCH_DIST);

  let server: PreviewServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startPreview();
    browser = await chromium.launch({ executablePath: chromiumPath(), args: [...WEBGPU_FLAGS, ...QUIET_FLAGS] });
    const chromiumVersion = browser.version();
    const measured = await measureAll(browser);

    const lazyByRun: Record<string, LazyLoad> = {};
    const auto = measured.auto;
    if (auto !== 'skipped' && !failed(auto)) lazyByRun[`auto (${auto.backend})`] = lazyLoaded(bundle, auto.fetched);
    for (const backend of BACKENDS) {
      const outcome = measured.throughput[backend];
      if (outcome && outcome !== 'skipped' && !failed(outcome) && outcome.available) lazyByRun[`backend=${backend}`] = lazyLoaded(bundle, outcome.fetched);
    }

    const cpuList = cpus();
    const results: BenchResults = {
      generatedAt: new Date().toISOString(),
      durationMs: Date.now() - started,
      machine: {
        os: `${type()} ${release()}`,
        arch: arch(),
        cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
        cpuCount: cpuList.length,
        memoryGiB: totalmem() / 1024 ** 3,
        loadAverage: { start: loadStart, end: loadavg()[0] },
        node: process.version,
        chromium: chromiumVersion,
        userAgent: auto !== 'skipped' && !failed(auto) ? auto.userAgent : null,
        webgpuAdapter: auto !== 'skipped' && !failed(auto) ? auto.adapter : null,
        webgpuProblem: auto === 'skipped' ? 'not measured (skipped)' : failed(auto) ? `not measured (${auto.error})` : auto.adapterProblem,
      },
      timing: TIMING,
      ...measured,
      bundle: { ...bundle, dynamicImports: dynamicImportCount(BENCH_DIST, bundle), lazyByRun },
      skipped,
    };
    const markdown = renderMarkdown(results, BACKENDS);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(`${RESULTS_DIR}/latest.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(`${RESULTS_DIR}/latest.md`, markdown);
    process.stdout.write(markdown);
    log(`wrote ${RESULTS_DIR}/latest.json and latest.md`);
    return 0;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only the harness gets here (build, server, browser, writing the results).
    process.stderr.write(`bench: the harness failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
