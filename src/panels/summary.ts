/**
 * What each panel shows, in a sentence a screen reader can read: the one or two things a
 * sighted student takes from the picture, from the latest snapshot of every run. The
 * functions are pure (snapshots in, text out); the slot around each panel writes the
 * text into a visually hidden element outside React, at most every few seconds.
 */
import { arcGaps } from '../core/angles';
import { constantAngularMargin } from '../core/boundaries';
import { targetLogit, thetaStar, toDegrees, toRadians, warmedMargin, warmupProgress, type Margin } from '../core/margin';
import type { Params } from '../core/schema';
import type { PanelName } from '../core/urlState';
import { accuracyText, overlapText } from './pairsGeometry';
import { runFigureName } from './runStyle';
import type { MetricsHistory } from './snapshotBus';
import type { PanelRun, PanelSnapshot } from './types';

/** A run as a summary reads it: its name, settings, latest snapshot and what its bus kept. */
export interface SummaryRun {
  letter: string;
  label: string;
  params: Params;
  snapshot: PanelSnapshot;
  /** θ_y of every training sample at step 0 of this run, degrees (Fig. 4's ghost). */
  initialThetas: Float32Array | null;
  history: MetricsHistory;
}

/** Each panel's accessible name: its title, so a screen reader's list of figures matches the page. */
export const PANEL_ACCESSIBLE_NAMES: Record<PanelName, string> = {
  circle: 'Features on the circle (Fig. 3)',
  logit: 'Target logit (Fig. 4)',
  margin: 'Decision margins (Fig. 5)',
  training: 'Training curves',
  stats: 'Angle statistics (Table 3)',
  pairs: 'Positive and negative pairs (Fig. 6)',
};

export const WAITING_SUMMARY = 'Waiting for the first training step.';

/** Every run's bus state, or null while any run has no snapshot yet. */
export function summaryRuns(runs: readonly PanelRun[]): SummaryRun[] | null {
  const views: SummaryRun[] = [];
  for (const run of runs) {
    const snapshot = run.bus.latest;
    if (!snapshot) return null;
    views.push({ letter: run.letter, label: run.label, params: run.params, snapshot, initialThetas: run.bus.initialThetaTarget, history: run.bus.history });
  }
  return views;
}

/** '38°', '−5°' (a real minus sign, as the panels print it), or '–' when unknown. */
export function spokenDegrees(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${Math.round(value)}°`.replace('-', '−');
}

/** '98%'; a share just short of 1 keeps a decimal, so 99.8% is never read as 100%. */
export function spokenPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  const percent = share * 100;
  if (percent >= 99.5 && percent < 100) return `${Math.min(99.9, Math.floor(percent * 10) / 10)}%`;
  return `${Math.round(percent)}%`;
}

function spokenLoss(loss: number): string {
  if (!Number.isFinite(loss)) return '–';
  return loss >= 10 ? loss.toFixed(1) : loss.toPrecision(2);
}

/** The middle value, or NaN for none. Sorts a copy. */
function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

function quantile(values: ArrayLike<number>, q: number): number {
  const finite = Array.from(values).filter(Number.isFinite);
  if (finite.length === 0) return Number.NaN;
  finite.sort((a, b) => a - b);
  return finite[Math.min(finite.length - 1, Math.floor(q * finite.length))];
}

/** The margin the run's loss applies at full strength; plain Softmax has none. */
function marginOf(params: Params): Margin {
  if (params.head === 'softmax') return { m1: 1, m2: 0, m3: 0, fallback: params.fallback };
  return { m1: params.m1, m2: params.m2, m3: params.m3, fallback: params.fallback };
}

/** Smallest empty angle between neighbouring identities' arcs, degrees; negative when two overlap. */
function smallestGap(snapshot: PanelSnapshot): number | null {
  if (Number.isFinite(snapshot.angles.gapTrain)) return snapshot.angles.gapTrain;
  const gaps = arcGaps(snapshot.arcs);
  return gaps.length === 0 ? null : Math.min(...gaps.map((gap) => gap.gap));
}

/** '; warming up, the margin at 67% (m = (1, 0.33, 0))' while the margin ramps up, else ''. */
function warmupFacts(run: SummaryRun): string {
  const progress = warmupProgress(run.snapshot.step, run.params.warmupSteps);
  if (!progress || run.params.head === 'softmax') return '';
  const applied = warmedMargin(marginOf(run.params), progress.step, progress.steps);
  const short = (value: number): string => String(Number(value.toFixed(2)));
  return `; warming up, the margin at ${Math.round(progress.ramp * 100)}% (m = (${short(applied.m1)}, ${short(applied.m2)}, ${short(applied.m3)}))`;
}

function circleFacts(run: SummaryRun): string {
  const gap = smallestGap(run.snapshot);
  const gapText = gap === null ? 'no gaps measured' : gap >= 0 ? `smallest gap ${spokenDegrees(gap)}` : `arcs still overlap, smallest gap ${spokenDegrees(gap)}`;
  return `${gapText}, accuracy ${spokenPercent(run.snapshot.trainAccuracy)}`;
}

function logitFacts(run: SummaryRun): string {
  const { thetaTarget } = run.snapshot;
  const now = `median θ_y ${spokenDegrees(median(thetaTarget))}, 90% of samples within ${spokenDegrees(quantile(thetaTarget, 0.9))}`;
  const start = run.initialThetas ? ` (median ${spokenDegrees(median(run.initialThetas))} at step 0)` : '';
  const margin = marginOf(run.params);
  // Past θ* an unguarded ψ rises again: the panel shades that region, so say it too.
  const limit = thetaStar(margin.m1, margin.m2);
  const turn = limit < Math.PI && !margin.fallback ? `; ψ turns back up past ${spokenDegrees(toDegrees(limit))}` : '';
  return `${now}${start}${turn}${warmupFacts(run)}`;
}

/**
 * Share of training samples whose target logit, with the margin at full strength, beats
 * every rival's cosine: those that sit past their own boundary in Fig. 5, not just on
 * the right side of the plain decision line.
 */
export function shareClearingMargin(snapshot: PanelSnapshot, params: Params): number {
  const { unitEmbeddings, labels, weights, classes, thetaTarget } = snapshot;
  const margin = marginOf(params);
  const unitWeights = new Float32Array(weights.length);
  for (let c = 0; c < classes; c++) {
    const norm = Math.hypot(weights[c * 2], weights[c * 2 + 1]) || 1;
    unitWeights[c * 2] = weights[c * 2] / norm;
    unitWeights[c * 2 + 1] = weights[c * 2 + 1] / norm;
  }
  let clearing = 0;
  for (let i = 0; i < labels.length; i++) {
    const own = targetLogit(toRadians(thetaTarget[i]), margin);
    let rival = -Infinity;
    for (let c = 0; c < classes; c++) {
      if (c === labels[i]) continue;
      rival = Math.max(rival, unitEmbeddings[i * 2] * unitWeights[c * 2] + unitEmbeddings[i * 2 + 1] * unitWeights[c * 2 + 1]);
    }
    if (own > rival) clearing++;
  }
  return labels.length === 0 ? Number.NaN : clearing / labels.length;
}

function marginFacts(run: SummaryRun): string {
  const margin = marginOf(run.params);
  const constant = constantAngularMargin(margin);
  const boundaries =
    constant === null
      ? 'the boundaries bend, so the margin changes with the angle'
      : constant === 0
        ? 'no margin: the two boundaries coincide'
        : `the boundaries are ${spokenDegrees(toDegrees(constant))} apart everywhere`;
  return `${boundaries}; ${spokenPercent(shareClearingMargin(run.snapshot, run.params))} of training samples clear their margin${warmupFacts(run)}`;
}

function trainingFacts(run: SummaryRun): string {
  const { history, snapshot } = run;
  const firstLoss = history.losses.find(Number.isFinite);
  const firstStep = history.steps[history.losses.findIndex(Number.isFinite)];
  const from = firstLoss !== undefined && firstStep !== undefined && firstStep !== snapshot.step ? ` (${spokenLoss(firstLoss)} at step ${firstStep})` : '';
  return `loss ${spokenLoss(snapshot.loss)}${from}, train accuracy ${spokenPercent(snapshot.trainAccuracy)}`;
}

function statsFacts(run: SummaryRun): string {
  const { angles, pairs } = run.snapshot;
  return `within identities ${spokenDegrees(angles.intraTrain)}, between identities ${spokenDegrees(angles.interTrain)}, verification accuracy ${spokenPercent(pairs.test.verification?.accuracy)}`;
}

function pairsFacts(run: SummaryRun): string {
  const { test, unseen } = run.snapshot.pairs;
  return `held-out samples: ${accuracyText(test.verification, 'long')}, ${overlapText(test, 'long')}; unseen identities: ${accuracyText(unseen.verification, 'long')}, ${overlapText(unseen, 'long')}`;
}

const FACTS: Record<PanelName, (run: SummaryRun) => string> = {
  circle: circleFacts,
  logit: logitFacts,
  margin: marginFacts,
  training: trainingFacts,
  stats: statsFacts,
  pairs: pairsFacts,
};

/**
 * "ArcFace, step 300: smallest gap 38°, accuracy 98%." In compare mode the runs share
 * the step, so it is said once and each run follows by letter:
 * "Step 300. Run A, Softmax: …. Run B, ArcFace: …."
 */
export function panelSummary(panel: PanelName, runs: readonly SummaryRun[] | null): string {
  if (!runs || runs.length === 0) return WAITING_SUMMARY;
  const facts = FACTS[panel];
  const name = (run: SummaryRun): string => runFigureName(run.label, run.params);
  const rate = panel === 'training' ? trainingRate(runs[0].snapshot) : '';
  if (runs.length === 1) return `${name(runs[0])}, step ${runs[0].snapshot.step}: ${facts(runs[0])}.${rate}`;
  const each = runs.map((run) => `Run ${run.letter}, ${name(run)}: ${facts(run)}.`);
  return [`Step ${runs[0].snapshot.step}.`, ...each].join(' ') + rate;
}

/** The session's speed, said only while it trains: a paused run's last rate would mislead. */
function trainingRate(snapshot: PanelSnapshot): string {
  const rate = snapshot.stepsPerSecond;
  return framePlaying(snapshot) && rate !== undefined && Number.isFinite(rate) && rate > 0 ? ` Training at ${Math.round(rate)} steps per second.` : '';
}

/** Whether the frame says training is running (a paused or stepped frame says false). */
export function framePlaying(snapshot: PanelSnapshot): boolean {
  return 'playing' in snapshot && snapshot.playing === true;
}

/** While training, a summary is rewritten at most this often: a screen reader reading it gets recent numbers without a stream of changes. */
export const SUMMARY_TRAINING_INTERVAL_MS = 2000;
/** While paused, held → keys step many times a second; a short wait keeps that to a few rewrites. */
export const SUMMARY_PAUSED_INTERVAL_MS = 500;

/** How long to hold a new frame's summary back, given how long ago the last one was written. */
export function summaryDelay(playing: boolean, sinceLastWrite: number): number {
  const interval = playing ? SUMMARY_TRAINING_INTERVAL_MS : SUMMARY_PAUSED_INTERVAL_MS;
  return Math.max(0, interval - sinceLastWrite);
}
