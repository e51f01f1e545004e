/**
 * Start-up (issue 11): the default link against `?backend=wasm`, measured in one run.
 * - Load: time to the first drawn frame and to the first training step, in alternating
 *   fresh contexts (empty cache and storage, so no remembered verdict), with the medians'
 *   ratios. Target: the default link within 1.2× of the forced WASM page.
 * - After the verdict: the default link's steps/s once its WebGPU warm-up has decided,
 *   against a page forced to the backend the verdict chose, in alternating windows.
 *   Target: within 10 %.
 * - A second visit in the same context: the remembered verdict, with no warm-up.
 */
import type { Browser, Page } from '@playwright/test';
import {
  loadTimes,
  openAnother,
  openApp,
  pageNow,
  raiseSpeedAndMeasure,
  sleep,
  waitForBackend,
  waitForFirstStep,
  waitForRate,
  waitForVerdict,
  type LoadTimes,
  type Timing,
  type VerdictSeen,
} from './measure';
import type { Outcome } from './report';
import { percentile } from './stats';

/** Pairs of page loads (default link, forced WASM) whose medians are compared. */
export const STARTUP_ROUNDS = 5;
/** How long the warm-up may take to reach a verdict (SwiftShader on a busy machine: up to ~30 s). */
const VERDICT_TIMEOUT_MS = 90_000;

export interface StartupLoad {
  /** 'auto' is the default link, with no parameters at all. */
  page: 'auto' | 'wasm';
  round: number;
  backend: string;
  load: LoadTimes;
}

export interface RateAfterVerdict {
  verdict: VerdictSeen | null;
  /** Workers the default link started (the training worker, and one for the warm-up). */
  workers: number;
  /** The page forced to the verdict's backend. */
  forcedBackend: string;
  /** steps/s in alternating windows: the default link, then the forced page, each paused while the other trains. */
  autoRates: (number | null)[];
  forcedRates: (number | null)[];
  speeds: { auto: number; forced: number };
  /** The second visit, in the same context: the reason it starts with, and its load times (warm cache). */
  secondVisit: { backend: string; reason: string; load: LoadTimes; workers: number } | null;
}

export interface StartupResults {
  loads: Outcome<StartupLoad>[];
  medians: { auto: { firstSnapshotMs: number | null; firstStepMs: number | null }; wasm: { firstSnapshotMs: number | null; firstStepMs: number | null } };
  /** auto ÷ wasm of the medians; the target is ≤ 1.2. */
  ratios: { firstSnapshot: number | null; firstStep: number | null };
  afterVerdict: Outcome<RateAfterVerdict> | 'skipped';
  /** Median steps/s of the default link after its verdict ÷ the forced page's; the target is ≥ 0.9. */
  rateRatio: number | null;
}

type Guarded = <T>(label: string, run: () => Promise<T>) => Promise<Outcome<T> | 'skipped'>;

async function loadOnce(browser: Browser, page: 'auto' | 'wasm', round: number, timing: Timing): Promise<StartupLoad> {
  const app = await openApp(browser, new URLSearchParams(page === 'wasm' ? { backend: 'wasm' } : {}));
  try {
    await waitForFirstStep(app.page, timing.firstStepTimeoutMs);
    const backend = (await app.page.getByTestId('status-backend').textContent()) ?? '';
    return { page, round, backend, load: await loadTimes(app.page) };
  } finally {
    await app.context.close();
  }
}

/** Workers the page has started so far (the training worker; a second one is the warm-up). */
function countWorkers(page: Page): { count: () => number } {
  let count = 0;
  page.on('worker', () => {
    count++;
  });
  return { count: () => count };
}

/** Rounds of alternating rate windows (default link, forced page) after the verdict. */
const RATE_ROUNDS = 5;

async function setPlaying(page: Page, on: boolean): Promise<void> {
  const play = page.getByTestId('play');
  if (((await play.textContent()) === 'Pause') !== on) await play.click();
}

/**
 * The default link's steps/s once its warm-up has decided, against a page forced to the
 * backend it chose. The two pages take turns, each paused while the other is measured,
 * so both see the same machine; then a second visit in the default link's context.
 */
async function rateAfterVerdict(browser: Browser, timing: Timing): Promise<RateAfterVerdict> {
  const auto = await openApp(browser, new URLSearchParams({ speed: '1', panels: 'training' }));
  let forced: Awaited<ReturnType<typeof openApp>> | null = null;
  try {
    const workers = countWorkers(auto.page);
    await waitForFirstStep(auto.page, timing.firstStepTimeoutMs);
    const verdict = await waitForVerdict(auto.page, VERDICT_TIMEOUT_MS);
    const autoRates: (number | null)[] = [];
    const forcedRates: (number | null)[] = [];
    const first = await raiseSpeedAndMeasure(auto.page, timing);
    autoRates.push(first.rate?.stepsPerSecond ?? null);
    await setPlaying(auto.page, false);

    const forcedBackend = verdict?.backend || 'wasm';
    forced = await openApp(browser, new URLSearchParams({ backend: forcedBackend, speed: '1', panels: 'training' }));
    await waitForFirstStep(forced.page, timing.firstStepTimeoutMs);
    const forcedFirst = await raiseSpeedAndMeasure(forced.page, timing);
    forcedRates.push(forcedFirst.rate?.stepsPerSecond ?? null);
    for (let round = 1; round < RATE_ROUNDS; round++) {
      for (const [on, off, rates] of [
        [auto.page, forced.page, autoRates],
        [forced.page, auto.page, forcedRates],
      ] as const) {
        await setPlaying(off, false);
        await setPlaying(on, true);
        await sleep(500);
        const rate = await waitForRate(on, await pageNow(on), timing.measureMs, timing.maxWindowMs);
        rates.push(rate?.stepsPerSecond ?? null);
      }
    }
    const firstWorkers = workers.count();
    await forced.context.close();
    forced = null;
    await auto.page.close();

    const again = await openAnother(auto.context, new URLSearchParams());
    const againWorkers = countWorkers(again.page);
    const status = await waitForBackend(again.page, timing.firstStepTimeoutMs);
    await waitForFirstStep(again.page, timing.firstStepTimeoutMs);
    const remembered = await waitForVerdict(again.page, 10_000);
    const secondVisit = { backend: remembered?.backend ?? status.name, reason: remembered?.reason ?? status.reason, load: await loadTimes(again.page), workers: againWorkers.count() };
    return { verdict, workers: firstWorkers, forcedBackend, autoRates, forcedRates, speeds: { auto: first.speed, forced: forcedFirst.speed }, secondVisit };
  } finally {
    await forced?.context.close();
    await auto.context.close();
  }
}

function medianOf(values: (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value));
  return known.length > 0 ? percentile(known, 50) : null;
}

const ratio = (a: number | null, b: number | null): number | null => (a !== null && b !== null && b > 0 ? a / b : null);

export async function measureStartup(browser: Browser, timing: Timing, guarded: Guarded): Promise<StartupResults> {
  const loads: Outcome<StartupLoad>[] = [];
  for (let round = 1; round <= STARTUP_ROUNDS; round++) {
    // Alternating, and the forced page first in odd rounds, so neither side always gets the warmer machine.
    const order: ('auto' | 'wasm')[] = round % 2 === 1 ? ['wasm', 'auto'] : ['auto', 'wasm'];
    for (const page of order) {
      const outcome = await guarded(`startup ${page === 'auto' ? 'default link' : 'backend=wasm'}, round ${round}`, () => loadOnce(browser, page, round, timing));
      if (outcome !== 'skipped') loads.push(outcome);
    }
  }
  const measured = (page: 'auto' | 'wasm'): StartupLoad[] => loads.filter((load): load is StartupLoad => !('error' in load) && load.page === page);
  const mediansOf = (page: 'auto' | 'wasm') => ({
    firstSnapshotMs: medianOf(measured(page).map((load) => load.load.firstSnapshotMs)),
    firstStepMs: medianOf(measured(page).map((load) => load.load.firstStepMs)),
  });
  const medians = { auto: mediansOf('auto'), wasm: mediansOf('wasm') };

  const afterVerdict = await guarded("startup: default link after its verdict against a page forced to the verdict's backend, and a second visit", () => rateAfterVerdict(browser, timing));
  const measuredRates = afterVerdict !== 'skipped' && !('error' in afterVerdict) ? afterVerdict : null;
  return {
    loads,
    medians,
    ratios: { firstSnapshot: ratio(medians.auto.firstSnapshotMs, medians.wasm.firstSnapshotMs), firstStep: ratio(medians.auto.firstStepMs, medians.wasm.firstStepMs) },
    afterVerdict,
    rateRatio: measuredRates ? ratio(medianOf(measuredRates.autoRates), medianOf(measuredRates.forcedRates)) : null,
  };
}

const ms = (value: number | null | undefined): string => (value === null || value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(0)} ms`);
const times = (value: number | null): string => (value === null ? '–' : `${value.toFixed(2)}×`);

/** The start-up section of the report. */
export function renderStartup(results: StartupResults): string[] {
  const lines: string[] = ['## Start-up: the default link against `?backend=wasm` (ms from navigation start)', ''];
  const rows = results.loads.map((outcome) =>
    'error' in outcome
      ? ['–', 'failed', outcome.error, '', '']
      : [String(outcome.round), outcome.page === 'auto' ? 'default link' : 'backend=wasm', outcome.backend, ms(outcome.load.firstSnapshotMs), ms(outcome.load.firstStepMs)],
  );
  lines.push('| round | page | backend at first step | first frame drawn | first training step |', '|---|---|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`), '');
  const { medians, ratios } = results;
  lines.push(
    '| median of the rounds | first frame drawn | first training step |',
    '|---|---|---|',
    `| default link | ${ms(medians.auto.firstSnapshotMs)} | ${ms(medians.auto.firstStepMs)} |`,
    `| backend=wasm | ${ms(medians.wasm.firstSnapshotMs)} | ${ms(medians.wasm.firstStepMs)} |`,
    `| **ratio** (target ≤ 1.2×) | **${times(ratios.firstSnapshot)}** | **${times(ratios.firstStep)}** |`,
    '',
  );
  const after = results.afterVerdict;
  if (after === 'skipped' || 'error' in after) {
    lines.push(`After the verdict: ${after === 'skipped' ? 'skipped (time budget)' : `failed: ${after.error}`}.`, '');
    return lines;
  }
  const verdict = after.verdict;
  lines.push(
    verdict
      ? `**Warm-up verdict** at ${ms(verdict.atMs)} (training panel only, ${after.workers} workers started): ${verdict.backend}, "${verdict.reason}".`
      : `**Warm-up verdict:** none within ${VERDICT_TIMEOUT_MS / 1000} s.`,
    '',
  );
  const rates = (values: (number | null)[]): string => values.map((value) => (value === null ? '–' : value.toFixed(1))).join(', ');
  lines.push(
    `| after the verdict (${RATE_ROUNDS} alternating windows) | steps/s, each window | median |`,
    '|---|---|---|',
    `| default link (${after.speeds.auto} steps/frame) | ${rates(after.autoRates)} | ${medianOf(after.autoRates)?.toFixed(1) ?? '–'} |`,
    `| backend=${after.forcedBackend}, the verdict's backend (${after.speeds.forced} steps/frame) | ${rates(after.forcedRates)} | ${medianOf(after.forcedRates)?.toFixed(1) ?? '–'} |`,
    `| **ratio** (target ≥ 0.9×) | | **${times(results.rateRatio)}** |`,
    '',
  );
  const second = after.secondVisit;
  if (second) {
    lines.push(
      `**Second visit** (same context, so a warm cache): ${second.backend}, first frame ${ms(second.load.firstSnapshotMs)}, first step ${ms(second.load.firstStepMs)}, ${second.workers} worker(s) started; "${second.reason}".`,
      '',
    );
  }
  return lines;
}
