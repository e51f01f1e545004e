/**
 * Compare mode (issue #10): what training 2 and 4 runs in lockstep costs.
 *
 * In the page, on WASM:
 * - 1 run and `compare=softmax,arcface` (2 runs) back to back, training panel only, at
 *   the speed measureThroughput settles on. The status line shows the session's step,
 *   which every run is at, so combined steps/s = runs × the step rate. The ratio
 *   (combined for 2) ÷ (1 run) is measured in this one bench run; the target is ≥ 0.8.
 * - `compare=norm-softmax,softmax,cosface,arcface` (4 runs) with every panel at the
 *   default speed: frame times and long tasks > 50 ms on the main thread.
 * The probe counts the runs in the worker's frames, so a page that ignored `compare`
 * shows as 1 run rather than as a fast comparison.
 *
 * In Node, without a page (bench/compareNode.ts, bundled and run as a child process):
 * a TrainingSession of 1, 2 and 4 runs on WASM, and the per-frame cost of the Fig. 6
 * pair statistics.
 */
import type { Browser } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import type { CompareNodeResult } from './compareNode';
import { measureAuto, measureThroughput, type AutoResult, type ThroughputResult, type Timing } from './measure';
import type { Outcome } from './report';

export const TWO_RUNS = 'softmax,arcface';
export const FOUR_RUNS = 'norm-softmax,softmax,cosface,arcface';
/** Combined steps/s of 2 runs over a single run's: the target. */
export const TWO_RUN_TARGET = 0.8;

export interface CompareResults {
  single: Outcome<ThroughputResult> | 'skipped';
  two: Outcome<ThroughputResult> | 'skipped';
  /** 2 × (2-run step rate) ÷ (1-run step rate); null when either was not measured. */
  twoRunRatio: number | null;
  four: Outcome<AutoResult> | 'skipped';
  node: Outcome<CompareNodeResult> | 'skipped';
}

export type Guarded = <T>(label: string, run: () => Promise<T>) => Promise<Outcome<T> | 'skipped'>;

function rateOf(outcome: Outcome<ThroughputResult> | 'skipped'): number | null {
  if (outcome === 'skipped' || 'error' in outcome || !outcome.available || !outcome.rate) return null;
  return outcome.rate.stepsPerSecond;
}

/** Bundles bench/compareNode.ts (tfjs needs bundling in Node) and runs it; its stdout is the JSON. */
function runNodeEngine(): CompareNodeResult {
  execFileSync(process.execPath, ['scripts/bundle-node.mjs', 'bench/compareNode.ts', '.cache/bench'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const output = execFileSync(process.execPath, ['.cache/bench/compareNode.mjs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 });
  return JSON.parse(output.trim().split('\n').at(-1) ?? '') as CompareNodeResult;
}

export async function measureCompare(browser: Browser, timing: Timing & { mainThreadMs: number }, data: Record<string, string>, guarded: Guarded): Promise<CompareResults> {
  const single = await guarded('compare: 1 run, wasm', () => measureThroughput(browser, 'compare: 1 run', 'wasm', data, timing));
  const two = await guarded(`compare: 2 runs (${TWO_RUNS}), wasm`, () => measureThroughput(browser, 'compare: 2 runs', 'wasm', { ...data, compare: TWO_RUNS }, timing));
  const singleRate = rateOf(single);
  const twoRate = rateOf(two);
  const four = await guarded(`compare: 4 runs (${FOUR_RUNS}), wasm, all panels, main thread`, () => measureAuto(browser, timing.mainThreadMs, timing, { backend: 'wasm', compare: FOUR_RUNS }));
  const node = await guarded('compare: engine in Node, 1/2/4 runs on wasm', async () => runNodeEngine());
  return { single, two, twoRunRatio: singleRate && twoRate ? (2 * twoRate) / singleRate : null, four, node };
}

const num = (value: number | null | undefined, digits = 1): string => (value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));

function problem<T>(outcome: Outcome<T> | 'skipped'): string | null {
  if (outcome === 'skipped') return 'skipped (time budget)';
  if (typeof outcome === 'object' && outcome !== null && 'error' in outcome) return `failed: ${outcome.error}`;
  return null;
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

/** The runs a page actually trained, and a warning when it was not what the link asked. */
function runsCell(seen: number | null, asked: number): string {
  if (seen === null) return 'no frame seen';
  return seen === asked ? String(seen) : `${seen} (asked ${asked}: the page ignored compare!)`;
}

export function renderCompare(results: CompareResults): string[] {
  const lines: string[] = ['## Compare mode (wasm)', ''];
  const rateRow = (label: string, outcome: Outcome<ThroughputResult> | 'skipped', runs: number): string[] => {
    const why = problem(outcome);
    if (why !== null || outcome === 'skipped' || 'error' in outcome) return [label, why ?? '–', '', '', '', ''];
    if (!outcome.available) return [label, `not offered (fell back to ${outcome.backend})`, '', '', '', ''];
    const perRun = outcome.rate?.stepsPerSecond ?? null;
    return [label, runsCell(outcome.runsPerFrame, runs), num(perRun), num(perRun === null ? null : perRun * runs), String(outcome.speed), outcome.rate?.restarted ? 'yes!' : 'no'];
  };
  lines.push(
    ...table(
      ['page, training panel only', 'runs per frame', 'steps/s per run', 'combined steps/s', 'steps/frame', 'restarted'],
      [rateRow('1 run (arcface)', results.single, 1), rateRow(`2 runs (${TWO_RUNS})`, results.two, 2)],
    ),
  );
  lines.push('');
  const ratio = results.twoRunRatio;
  lines.push(
    ratio === null
      ? '2 runs ÷ 1 run, combined steps/s: n/a (one of the two was not measured).'
      : `2 runs ÷ 1 run, combined steps/s: **${ratio.toFixed(2)}** (target ≥ ${TWO_RUN_TARGET}: ${ratio >= TWO_RUN_TARGET ? 'met' : 'MISSED'}).`,
    '',
  );

  const four = results.four;
  const fourProblem = problem(four);
  if (fourProblem !== null || four === 'skipped' || 'error' in four || !four.mainThread) {
    lines.push(`4 runs (${FOUR_RUNS}), all panels: ${fourProblem ?? 'n/a'}`, '');
  } else {
    const main = four.mainThread;
    lines.push(
      ...table(
        ['page, all panels, default speed', 'backend', 'runs per frame', 'frames', 'frame p50', 'frame p95', 'long tasks > 50 ms', 'long-task time', 'longest task', 'steps trained'],
        [
          [
            `4 runs (${FOUR_RUNS})`,
            four.backend,
            runsCell(four.runsPerFrame, 4),
            String(main.frames),
            `${num(main.frameP50Ms)} ms`,
            `${num(main.frameP95Ms)} ms`,
            main.longTasksSupported ? String(main.longTasks) : 'n/a',
            `${num(main.longTaskTotalMs, 0)} ms`,
            `${num(main.longTaskMaxMs, 0)} ms`,
            String(main.stepsDuring),
          ],
        ],
      ),
    );
    lines.push('');
  }

  const node = results.node;
  const nodeProblem = problem(node);
  if (nodeProblem !== null || node === 'skipped' || 'error' in node) {
    lines.push(`Engine in Node: ${nodeProblem ?? 'n/a'}`, '');
    return lines;
  }
  lines.push(`### Engine in Node (TrainingSession on ${node.backend}, frames taken at once, the fastest of ${node.sessions[0]?.rounds.length ?? 0} interleaved ${node.windowMs / 1000} s windows)`, '');
  lines.push(
    ...table(
      ['runs', 'steps/frame', 'steps/s per run', 'combined steps/s', 'frames', 'combined ÷ 1 run', 'every round: steps/s per run'],
      node.sessions.map((session) => {
        const single = node.sessions.find((entry) => entry.runs === 1 && entry.stepsPerFrame === session.stepsPerFrame);
        return [
          `${session.runs} (${session.presets.join(', ')})`,
          String(session.stepsPerFrame),
          num(session.stepsPerSecondPerRun),
          num(session.combinedStepsPerSecond),
          String(session.frames),
          single ? num(session.combinedStepsPerSecond / single.combinedStepsPerSecond, 2) : '–',
          session.rounds.map((rate) => num(rate)).join(', '),
        ];
      }),
    ),
  );
  lines.push('');
  const { pairMs } = node;
  lines.push(
    `Fig. 6 pairs per run and frame (test split and unseen identities together): ${num(pairMs.live.p50, 2)} ms median, ${num(pairMs.live.p90, 2)} ms p90 at the live cap of ${pairMs.liveCap.toLocaleString('en')} pairs of each kind; ${num(pairMs.report.p50, 1)} ms median at the report cap of ${pairMs.reportCap.toLocaleString('en')}. A whole unpack of one run's frame, these pairs included: ${num(node.unpackMs.p50, 2)} ms median, ${num(node.unpackMs.p90, 2)} ms p90.`,
    '',
  );
  return lines;
}
