/**
 * Geometry of the "Target logit (Fig. 4)" panel, as pure functions of numbers: the
 * ψ(θ) curves of Fig. 4b with their scales and SVG paths, the θ_y histogram of Fig. 4a,
 * the hover lookup and the panel's layout. No DOM here, so tests call all of it directly.
 *
 * Every curve value comes from core's `targetLogit`; nothing in this file re-derives ψ.
 */
import { line, scaleLinear, type ScaleLinear } from 'd3';
import { ADAFACE, CURRICULARFACE, ELASTICFACE, MAGFACE, adaFaceTarget, curricularHardNegative, curricularTarget, elasticBand, elasticTarget, magFaceMargin, magFaceTarget } from '../core/laterMargins';
import { sampleTargetLogit, targetLogit, thetaStar, toDegrees, toRadians, warmedMargin, type Margin } from '../core/margin';
import { findPreset, matchPreset } from '../core/presets';
import { SCHEMA, type Params } from '../core/schema';
import { SPHEREFACE_REIMPLEMENTATION_LABEL, sphereFaceLabel, sphereFaceTarget } from '../core/sphereface';
import type { PanelSize } from './types';

/** The whole range a target angle can take. */
export const THETA_MAX_DEGREES = 180;

// ---------------------------------------------------------------------------------------
// Fig. 4a: the θ_y histogram

export interface ThetaBin {
  /** Lower edge, degrees (inclusive). */
  x0: number;
  /** Upper edge, degrees (exclusive, except the last bin, which also holds 180°). */
  x1: number;
  count: number;
}

export interface ThetaHistogram {
  bins: ThetaBin[];
  /**
   * Values that are not finite numbers. An angle of NaN or ±∞ means a broken embedding
   * (a zero vector, a diverged run), not a sample near 0° or 180°, so clamping it into an
   * edge bin would fake data; it is counted here instead. counts + skipped = input length.
   */
  skipped: number;
  maxCount: number;
}

/**
 * Bins θ_y over [0°, 180°]. Values outside the range are clamped into the edge bins
 * (rounding in acos can land a hair outside), and exactly 180° goes into the last bin so
 * no finite sample is lost. When `binDegrees` does not divide 180 the last bin is narrower.
 */
export function thetaHistogram(thetaDegrees: ArrayLike<number>, binDegrees: number): ThetaHistogram {
  if (!Number.isFinite(binDegrees) || binDegrees <= 0) {
    throw new RangeError(`binDegrees must be a positive finite number, got ${binDegrees}`);
  }
  // The epsilon keeps 180 / 0.1-style quotients that land a hair above an integer from adding an empty sliver bin.
  const binCount = Math.max(1, Math.ceil(THETA_MAX_DEGREES / binDegrees - 1e-9));
  const counts = new Uint32Array(binCount);
  let skipped = 0;
  for (let i = 0; i < thetaDegrees.length; i++) {
    const value = thetaDegrees[i];
    if (!Number.isFinite(value)) {
      skipped++;
      continue;
    }
    const index = Math.min(binCount - 1, Math.max(0, Math.floor(value / binDegrees)));
    counts[index]++;
  }
  let maxCount = 0;
  const bins: ThetaBin[] = [];
  for (let i = 0; i < binCount; i++) {
    maxCount = Math.max(maxCount, counts[i]);
    bins.push({ x0: i * binDegrees, x1: Math.min(THETA_MAX_DEGREES, (i + 1) * binDegrees), count: counts[i] });
  }
  return { bins, skipped, maxCount };
}

/** Bin widths that divide 180°, so no bin is a sliver. */
const BIN_CHOICES_DEGREES = [2, 3, 4, 5, 6, 9, 10, 12, 15] as const;
const MIN_BAR_PIXELS = 4;

/** The finest bin width whose bars are still at least a few pixels wide. */
export function histogramBinDegrees(plotWidth: number): number {
  for (const degrees of BIN_CHOICES_DEGREES) {
    if ((THETA_MAX_DEGREES / degrees) * MIN_BAR_PIXELS <= plotWidth) return degrees;
  }
  return BIN_CHOICES_DEGREES[BIN_CHOICES_DEGREES.length - 1];
}

// ---------------------------------------------------------------------------------------
// Fig. 4b: the target-logit curves

export interface CurvePoint {
  thetaDegrees: number;
  value: number;
}

/** A band around a curve (ElasticFace's spread of drawn margins), sampled on the curve's grid. */
export interface CurveBand {
  lower: CurvePoint[];
  upper: CurvePoint[];
  /** SVG path of the closed band in the coordinates of the returned scales. */
  path: string;
}

export interface LogitCurve {
  /** 'current' for the curve of the params; otherwise the reference's id. */
  id: string;
  /** The full name, with its paper: tooltips, the screen reader, and the legend when it has room. */
  label: string;
  /** The name a crowded legend draws ("SF 1.35"); the full one stays in its tooltip. */
  short: string;
  current: boolean;
  /** Compare mode: the run this curve belongs to (its position in the runs). */
  runIndex?: number;
  /** The combined margin this curve draws; absent for curves of other forms (original SphereFace, later margins). */
  margin?: Margin;
  /** ψ(θ), θ in radians: what is drawn and what the hover reads. */
  psi: (theta: number) => number;
  points: CurvePoint[];
  /** SVG path in the coordinates of the returned scales. */
  path: string;
  band?: CurveBand;
}

export interface NonMonotonicRegion {
  fromDegrees: number;
  toDegrees: number;
}

export interface LogitCurves {
  /** θ in degrees → px, [0, 180] → [0, plot width]. */
  x: ScaleLinear<number, number>;
  /** Target logit → px, top = largest. */
  y: ScaleLinear<number, number>;
  current: LogitCurve;
  /** During the warm-up, the margin that applies at this step (id 'warmup'); null otherwise. */
  warming: LogitCurve | null;
  references: LogitCurve[];
  /** [θ*, 180°] for the current margin, where the raw ψ would rise; null when θ* ≥ 180°. */
  region: NonMonotonicRegion | null;
  fallbackLabel: string;
}

/** Which references sit behind the current curve: the paper's Fig. 4b, or the margins that came after it. */
export type ReferenceSet = 'paper' | 'later';

/** The parameters of the curves that are not combined margins (rows of the schema). */
export type CurveExtras = Pick<Params, 'sphereLambda' | 'curricularT' | 'adaNorm' | 'elasticSigma' | 'magMagnitude'>;

/** What the curves depend on: the margin, its fallback, whether the head has a margin at all, and the extras (schema defaults when absent). */
export type CurveParams = Pick<Params, 'head' | 'm1' | 'm2' | 'm3' | 'fallback'> & Partial<CurveExtras>;

export function curveExtras(params: Partial<CurveExtras>): CurveExtras {
  return {
    sphereLambda: params.sphereLambda ?? SCHEMA.sphereLambda.default,
    curricularT: params.curricularT ?? SCHEMA.curricularT.default,
    adaNorm: params.adaNorm ?? SCHEMA.adaNorm.default,
    elasticSigma: params.elasticSigma ?? SCHEMA.elasticSigma.default,
    magMagnitude: params.magMagnitude ?? SCHEMA.magMagnitude.default,
  };
}

/** The re-implemented SphereFace in a crowded legend: its real-valued m is what sets it apart. */
const SPHEREFACE_REIMPLEMENTATION_SHORT = 'SF 1.35';

/**
 * The paper's Fig. 4b references, with legend names; the combined margins' numbers come
 * from the presets so a setting is written down once. Softmax is cos θ, the norm-softmax
 * margin (1, 0, 0). The original SphereFace (m = 4, annealed with λ) is drawn beside the
 * ArcFace authors' real-valued re-implementation (m1 = 1.35).
 */
export const REFERENCE_CURVES: readonly { id: string; presetId: string; label: string; short: string }[] = [
  { id: 'softmax', presetId: 'norm-softmax', label: 'Softmax', short: 'Softmax' },
  { id: 'sphereface', presetId: 'sphereface', label: SPHEREFACE_REIMPLEMENTATION_LABEL, short: SPHEREFACE_REIMPLEMENTATION_SHORT },
  { id: 'cosface', presetId: 'cosface', label: 'CosFace', short: 'CosFace' },
  { id: 'arcface', presetId: 'arcface', label: 'ArcFace', short: 'ArcFace' },
  { id: 'cm1', presetId: 'cm1', label: 'CM1', short: 'CM1' },
  { id: 'cm2', presetId: 'cm2', label: 'CM2', short: 'CM2' },
];

/** A reference before it is sampled: its name and its ψ. */
export interface ReferenceDefinition {
  id: string;
  label: string;
  short: string;
  psi: (theta: number) => number;
  margin?: Margin;
  /** ψ's spread at θ, for a curve drawn with a band. */
  band?: (theta: number) => { lower: number; upper: number };
}

function presetReference(id: string, presetId: string, label: string, short: string, fallback: boolean): ReferenceDefinition {
  const preset = findPreset(presetId);
  if (!preset) throw new Error(`missing preset ${presetId}`);
  const margin: Margin = { m1: preset.m1, m2: preset.m2, m3: preset.m3, fallback };
  return { id, label, short, margin, psi: (theta) => targetLogit(theta, margin) };
}

const shortNumber = (value: number): string => String(Number(value.toFixed(2)));

/**
 * The references of one set, unsampled. The paper's set follows Fig. 4b; the later set
 * names each margin's paper in its label and draws it at the schema's value of its extra
 * parameter (t, ẑ, σ, a).
 */
export function referenceDefinitions(set: ReferenceSet, fallback: boolean, extras: CurveExtras): ReferenceDefinition[] {
  const [softmax, sphereReimplementation, ...paperRest] = REFERENCE_CURVES.map((reference) => presetReference(reference.id, reference.presetId, reference.label, reference.short, fallback));
  if (set === 'paper') {
    const lambda = extras.sphereLambda;
    const original: ReferenceDefinition = {
      id: 'sphereface-m4',
      label: sphereFaceLabel(lambda),
      short: `SF m=4, λ=${shortNumber(lambda)}`,
      psi: (theta) => sphereFaceTarget(theta, lambda),
    };
    return [softmax, original, sphereReimplementation, ...paperRest];
  }
  const { curricularT: t, adaNorm: zHat, elasticSigma: sigma, magMagnitude: magnitude } = extras;
  return [
    softmax,
    {
      id: 'curricularface',
      label: `${CURRICULARFACE.name} (${CURRICULARFACE.source}), target as ArcFace`,
      short: CURRICULARFACE.name,
      psi: (theta) => curricularTarget(theta, fallback),
    },
    {
      id: 'curricularface-negative',
      label: `its hard negative cos θ·(t + cos θ), t = ${shortNumber(t)}`,
      short: `its negative, t=${shortNumber(t)}`,
      psi: (theta) => curricularHardNegative(theta, t),
    },
    {
      id: 'adaface',
      label: `${ADAFACE.name} (${ADAFACE.source}), ẑ = ${shortNumber(zHat)}`,
      short: `${ADAFACE.name} ẑ=${shortNumber(zHat)}`,
      psi: (theta) => adaFaceTarget(theta, zHat),
    },
    {
      id: 'elasticface',
      label: `${ELASTICFACE.name} (${ELASTICFACE.source}), σ = ${shortNumber(sigma)}, band ±2σ`,
      short: `${ELASTICFACE.name} σ=${shortNumber(sigma)}`,
      psi: (theta) => elasticTarget(theta, ELASTICFACE.m, fallback),
      band: (theta) => elasticBand(theta, sigma, fallback),
    },
    {
      id: 'magface',
      label: `${MAGFACE.name} (${MAGFACE.source}), a = ${shortNumber(magnitude)}, m = ${shortNumber(magFaceMargin(magnitude))}`,
      short: `${MAGFACE.name} a=${shortNumber(magnitude)}`,
      psi: (theta) => magFaceTarget(theta, magnitude, fallback),
    },
  ];
}

/** How a later-margins view says what the curves cannot show: CurricularFace's rule for negatives. */
export const CURRICULAR_NEGATIVES_NOTE = `${CURRICULARFACE.name}: a hard negative, cos θj > cos(θy + m), counts cos θj·(t + cos θj); t grows from 0.`;

/** The margin the current curve shows. Plain softmax has no ψ; Fig. 4b draws it as cos θ. */
export function currentMargin(params: CurveParams): Margin {
  if (params.head === 'softmax') return { m1: 1, m2: 0, m3: 0, fallback: params.fallback };
  return { m1: params.m1, m2: params.m2, m3: params.m3, fallback: params.fallback };
}

/** A run in its margin warm-up: the step and the warm-up's length. */
export interface CurveWarmup {
  step: number;
  steps: number;
}

export function currentCurveLabel(params: CurveParams): string {
  if (params.head === 'softmax') return 'Softmax (cos θ)';
  const preset = matchPreset(params);
  if (preset?.id === 'sphereface') return SPHEREFACE_REIMPLEMENTATION_LABEL;
  return preset?.label ?? `m = (${shortNumber(params.m1)}, ${shortNumber(params.m2)}, ${shortNumber(params.m3)})`;
}

/** `currentCurveLabel` for a crowded legend: the same words without the re-implementation's story or spaces. */
export function currentCurveShortLabel(params: CurveParams): string {
  if (params.head === 'softmax') return 'Softmax';
  const preset = matchPreset(params);
  if (preset?.id === 'sphereface') return SPHEREFACE_REIMPLEMENTATION_SHORT;
  return preset?.label ?? `m=(${shortNumber(params.m1)},${shortNumber(params.m2)},${shortNumber(params.m3)})`;
}

/**
 * The label of the warm-up's curve: the margin the trainer applies at this step
 * ("warming up 200/300: m = (1, 0.33, 0)"), beside the target's own curve.
 */
export function warmingCurveLabel(effective: Margin, warmup: CurveWarmup): string {
  // No-break spaces keep "m = (1, 0.33, 0)" whole when a narrow legend wraps the label.
  const tuple = `m = (${shortNumber(effective.m1)}, ${shortNumber(effective.m2)}, ${shortNumber(effective.m3)})`.replaceAll(' ', '\u00a0');
  return `warming up ${warmup.step}/${warmup.steps}: ${tuple}`;
}

/** The fallback note in a crowded legend: the verdict and θ*, without the sentence about ψ (its tooltip keeps that). */
export function shortFallbackLabel(label: string): string {
  if (label.startsWith('no fallback needed')) return 'no fallback needed';
  return label.replace(/: ψ (keeps falling|rises) past /, ': ');
}

/** Compare mode's note during the warm-up: every run is at the same step, so one share speaks for all. */
export function warmupNote(warmup: CurveWarmup): string {
  return `warming up ${warmup.step}/${warmup.steps}: each margin applies at ${Math.round((100 * warmup.step) / warmup.steps)}%`;
}

// A rounding-sized tolerance: m2 = 1e-12 should not produce a zero-width "region".
const REGION_TOLERANCE_RADIANS = 1e-9;

/** Where the raw ψ of this margin stops decreasing, in degrees, or null when it never does on [0°, 180°]. */
export function thetaStarDegrees(margin: Margin): number | null {
  const limit = thetaStar(margin.m1, margin.m2);
  return limit < Math.PI - REGION_TOLERANCE_RADIANS ? toDegrees(limit) : null;
}

/** The note on the fallback for the margin drawn (during the warm-up, the one that applies at this step). */
export function marginFallbackLabel(margin: Margin): string {
  const star = thetaStarDegrees(margin);
  if (star === null) return 'no fallback needed: ψ decreases all the way to 180°';
  const at = `θ* = ${star.toFixed(1)}°`;
  return margin.fallback ? `fallback on: ψ keeps falling past ${at}` : `fallback off: ψ rises past ${at}`;
}

export function fallbackLabel(params: CurveParams): string {
  return marginFallbackLabel(currentMargin(params));
}

/**
 * The grid of `sampleTargetLogit` plus θ* itself, so the kink (or the minimum, without
 * the fallback) is drawn exactly where the shaded region starts rather than up to a
 * grid step away.
 */
function sampleCurve(margin: Margin, sampleCount: number): CurvePoint[] {
  const points = sampleTargetLogit(margin, sampleCount).map(({ theta, value }) => ({ thetaDegrees: toDegrees(theta), value }));
  const star = thetaStarDegrees(margin);
  if (star !== null && star > 0) {
    const index = points.findIndex((point) => point.thetaDegrees >= star);
    if (index >= 0 && points[index].thetaDegrees !== star) {
      points.splice(index, 0, { thetaDegrees: star, value: targetLogit(toRadians(star), margin) });
    }
  }
  return points;
}

/** Any ψ on an even grid of θ over [0°, 180°]. */
function sampleFunction(psi: (theta: number) => number, sampleCount: number): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (let i = 0; i < sampleCount; i++) {
    const theta = (Math.PI * i) / (sampleCount - 1);
    points.push({ thetaDegrees: toDegrees(theta), value: psi(theta) });
  }
  return points;
}

/** θ from 0° to 180° across the plot width; the curves and the histogram share it. */
export function thetaScale(plotWidth: number): ScaleLinear<number, number> {
  return scaleLinear().domain([0, THETA_MAX_DEGREES]).range([0, plotWidth]);
}

/**
 * The y domain holds every curve with a little air, its lower end rounded down to a
 * quarter so dragging a slider does not make the axis twitch. The paper's references
 * alone need [−2.25, 1.05] (the original SphereFace ends at −2 with λ = 5); a strong
 * current margin with the fallback, or a small λ, reaches lower.
 */
export function logitDomain(curves: readonly { points: readonly CurvePoint[] }[]): [number, number] {
  let lowest = -1;
  let highest = 1;
  for (const curve of curves) {
    for (const point of curve.points) {
      lowest = Math.min(lowest, point.value);
      highest = Math.max(highest, point.value);
    }
  }
  return [Math.floor((lowest - 0.05) / 0.25) * 0.25, highest + 0.05];
}

function referenceCurves(set: ReferenceSet, fallback: boolean, extras: CurveExtras, sampleCount: number): LogitCurve[] {
  return referenceDefinitions(set, fallback, extras).map((reference): LogitCurve => {
    const points = reference.margin ? sampleCurve(reference.margin, sampleCount) : sampleFunction(reference.psi, sampleCount);
    const curve: LogitCurve = { id: reference.id, label: reference.label, short: reference.short, current: false, margin: reference.margin, psi: reference.psi, points, path: '' };
    const spread = reference.band;
    if (spread) {
      const lower: CurvePoint[] = [];
      const upper: CurvePoint[] = [];
      for (const point of points) {
        const range = spread(toRadians(point.thetaDegrees));
        lower.push({ thetaDegrees: point.thetaDegrees, value: range.lower });
        upper.push({ thetaDegrees: point.thetaDegrees, value: range.upper });
      }
      curve.band = { lower, upper, path: '' };
    }
    return curve;
  });
}

/** Scales that hold every curve and band, and each one's path in them. */
function scaleCurves(curves: readonly LogitCurve[], plot: PanelSize): { x: ScaleLinear<number, number>; y: ScaleLinear<number, number> } {
  const x = thetaScale(plot.width);
  const bands = curves.flatMap((curve) => (curve.band ? [{ points: curve.band.lower }, { points: curve.band.upper }] : []));
  const y = scaleLinear()
    .domain(logitDomain([...curves, ...bands]))
    .range([plot.height, 0]);
  const toPath = line<CurvePoint>()
    .x((point) => x(point.thetaDegrees))
    .y((point) => y(point.value));
  for (const curve of curves) {
    curve.path = toPath(curve.points) ?? '';
    if (curve.band) {
      const outline = [...curve.band.upper, ...curve.band.lower.slice().reverse()];
      curve.band.path = outline.length > 0 ? `${toPath(outline) ?? ''}Z` : '';
    }
  }
  return { x, y };
}

function regionOf(margin: Margin): NonMonotonicRegion | null {
  const star = thetaStarDegrees(margin);
  return star === null ? null : { fromDegrees: star, toDegrees: THETA_MAX_DEGREES };
}

export interface LogitCurveOptions {
  /** The references behind the current curve; the paper's Fig. 4b unless asked. */
  set?: ReferenceSet;
  /**
   * The run is in its margin warm-up: beside the target's curve, a curve of the margin
   * that applies at this step (core's `warmedMargin`), labelled as warming up.
   */
  warmup?: CurveWarmup | null;
}

/**
 * The current curve and the references (all with the params' fallback setting), sampled
 * from core's target functions, with scales for a plot of `plot` pixels whose origin is
 * its top-left corner.
 */
export function logitCurves(params: CurveParams, plot: PanelSize, sampleCount = 361, options: LogitCurveOptions = {}): LogitCurves {
  const margin = currentMargin(params);
  const current: LogitCurve = {
    id: 'current',
    label: currentCurveLabel(params),
    short: currentCurveShortLabel(params),
    current: true,
    margin,
    psi: (theta) => targetLogit(theta, margin),
    points: sampleCurve(margin, sampleCount),
    path: '',
  };
  const warmup = params.head === 'softmax' ? null : (options.warmup ?? null);
  let warming: LogitCurve | null = null;
  if (warmup) {
    const applied = warmedMargin(margin, warmup.step, warmup.steps);
    warming = {
      id: 'warmup',
      label: warmingCurveLabel(applied, warmup),
      short: `warm-up ${warmup.step}/${warmup.steps}`,
      current: false,
      margin: applied,
      psi: (theta) => targetLogit(theta, applied),
      points: sampleCurve(applied, sampleCount),
      path: '',
    };
  }
  const references = referenceCurves(options.set ?? 'paper', params.fallback, curveExtras(params), sampleCount);
  const { x, y } = scaleCurves([current, ...(warming ? [warming] : []), ...references], plot);
  return { x, y, current, warming, references, region: regionOf(margin), fallbackLabel: marginFallbackLabel(margin) };
}

/** A compare-mode run as the Fig. 4 panel needs it. */
export interface CurveRun {
  letter: string;
  label: string;
  params: CurveParams;
}

/** Compare mode: one bold curve per run, the references, and each run's [θ*, 180°]. */
export interface RunLogitCurves {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  /** One per run, in run order; ids 'run-0', 'run-1', …, labels 'A Softmax', …. */
  runs: LogitCurve[];
  /** Each run's non-monotonic region, or null where its ψ decreases up to 180°. */
  regions: (NonMonotonicRegion | null)[];
  references: LogitCurve[];
  fallbackLabel: string;
}

/**
 * "fallback on: ψ keeps falling past θ* (B 151.4°, C 133.3°)": the runs whose raw ψ
 * would turn, by letter. The fallback is shared by all runs (it is not a loss setting),
 * so the first run's setting speaks for them.
 */
export function compareFallbackLabel(runs: readonly CurveRun[]): string {
  const turning = runs.flatMap((run) => {
    const star = thetaStarDegrees(currentMargin(run.params));
    return star === null ? [] : [`${run.letter} ${star.toFixed(1)}°`];
  });
  if (turning.length === 0) return 'no fallback needed: ψ decreases all the way to 180°';
  const at = `θ* (${turning.join(', ')})`;
  return runs[0]?.params.fallback ? `fallback on: ψ keeps falling past ${at}` : `fallback off: ψ rises past ${at}`;
}

/**
 * Compare mode: every run's target ψ over the references. (During a warm-up the panel
 * says so in a note rather than doubling every run's curve.)
 */
export function logitRunCurves(runs: readonly CurveRun[], plot: PanelSize, sampleCount = 361, options: LogitCurveOptions = {}): RunLogitCurves {
  const curves = runs.map((run, index): LogitCurve => {
    const margin = currentMargin(run.params);
    return {
      id: `run-${index}`,
      label: `${run.letter} ${run.label}`,
      short: `${run.letter} ${run.label}`,
      current: true,
      runIndex: index,
      margin,
      psi: (theta) => targetLogit(theta, margin),
      points: sampleCurve(margin, sampleCount),
      path: '',
    };
  });
  const first = runs[0]?.params;
  const references = referenceCurves(options.set ?? 'paper', first?.fallback ?? true, curveExtras(first ?? {}), sampleCount);
  const { x, y } = scaleCurves([...curves, ...references], plot);
  return { x, y, runs: curves, regions: curves.map((curve) => (curve.margin ? regionOf(curve.margin) : null)), references, fallbackLabel: compareFallbackLabel(runs) };
}

/**
 * A histogram as the vertices of its outline, (θ, count): up from (0°, 0), across each
 * bin's top, down to (180°, 0). A path through them draws the bars without their inner
 * edges, so several runs' histograms can overlap and stay readable.
 */
export function histogramOutline(bins: readonly ThetaBin[]): [number, number][] {
  const vertices: [number, number][] = [[0, 0]];
  for (const bin of bins) vertices.push([bin.x0, bin.count], [bin.x1, bin.count]);
  vertices.push([THETA_MAX_DEGREES, 0]);
  return vertices;
}

export interface NearestCurve {
  curve: LogitCurve;
  thetaDegrees: number;
  /** ψ of that curve at θ, exact (from `targetLogit`, not interpolated between samples). */
  value: number;
  /** |value − pointer's logit|, in logit units. */
  distance: number;
}

/**
 * The curve closest to the pointer, measured vertically at the pointer's θ. On a tie the
 * earlier curve wins, so list the current curve first: it is the one that coincides with
 * a reference (ArcFace on ArcFace) and the one the reader cares about.
 */
export function nearestCurveValue(curves: readonly LogitCurve[], thetaDegrees: number, logitValue: number): NearestCurve | null {
  if (!Number.isFinite(thetaDegrees) || !Number.isFinite(logitValue)) return null;
  const theta = Math.min(THETA_MAX_DEGREES, Math.max(0, thetaDegrees));
  let best: NearestCurve | null = null;
  for (const curve of curves) {
    const value = curve.psi(toRadians(theta));
    const distance = Math.abs(value - logitValue);
    if (best === null || distance < best.distance) best = { curve, thetaDegrees: theta, value, distance };
  }
  return best;
}

/**
 * Rows for labels that end at `right` (right-aligned, as the θ* marks are), so that no two
 * on one row overlap: each takes the first row whose last label ends `gap` px before it
 * starts. Returned in the input's order.
 */
export function stackLabels(labels: readonly { right: number; width: number }[], gap = 3): number[] {
  const rows: number[] = [];
  const rowEnds: number[] = [];
  const order = labels.map((_, index) => index).sort((a, b) => labels[a].right - labels[b].right);
  for (const index of order) {
    const { right, width } = labels[index];
    let row = rowEnds.findIndex((end) => end + gap <= right - width);
    if (row < 0) row = rowEnds.push(right) - 1;
    else rowEnds[row] = right;
    rows[index] = row;
  }
  return rows;
}

/** Tick spacing for θ that keeps labels such as "180°" from touching. */
export function thetaTickStep(plotWidth: number, fontSize: number): number {
  const labelRoom = estimateTextWidth('180°', fontSize) + fontSize;
  for (const step of [30, 45, 90]) {
    if ((plotWidth * step) / THETA_MAX_DEGREES >= labelRoom) return step;
  }
  return 180;
}

/** θ ticks from 0° to 180° at `thetaTickStep`; built directly, since d3's ticks(n) picks its own steps (20°, 50°, 100°). */
export function thetaTicks(plotWidth: number, fontSize: number): number[] {
  const step = thetaTickStep(plotWidth, fontSize);
  const ticks: number[] = [];
  for (let tick = 0; tick <= THETA_MAX_DEGREES; tick += step) ticks.push(tick);
  return ticks;
}

/** d3's logit ticks, thinned until neighbouring labels are at least 1.3 lines apart. */
export function logitTicks(y: ScaleLinear<number, number>, fontSize: number): number[] {
  const plotHeight = Math.abs(y.range()[0] - y.range()[1]);
  const ticks = y.ticks(Math.max(2, Math.floor(plotHeight / (fontSize * 2.2))));
  if (ticks.length < 2) return ticks;
  const spacing = Math.abs(y(ticks[1]) - y(ticks[0]));
  const stride = Math.max(1, Math.ceil((fontSize * 1.3) / spacing));
  // Keep 0 on the thinned axis: it is where the logit changes sign.
  const anchor = Math.max(0, ticks.indexOf(0));
  return ticks.filter((_, index) => (index - anchor) % stride === 0);
}

// ---------------------------------------------------------------------------------------
// Layout

/**
 * A generous average glyph width for system-ui, as a fraction of the font size. Text is
 * laid out before it is drawn, so overestimating (an early wrap) is the safe error.
 */
const GLYPH_WIDTH = 0.6;

export function estimateTextWidth(text: string, fontSize: number): number {
  return text.length * GLYPH_WIDTH * fontSize;
}

/** One line if it fits, else split after `separator` (kept on the first line). */
export function wrapOnce(text: string, separator: string, maxWidth: number, fontSize: number): string[] {
  const at = text.indexOf(separator);
  if (estimateTextWidth(text, fontSize) <= maxWidth || at < 0) return [text];
  return [text.slice(0, at + separator.trimEnd().length), text.slice(at + separator.length)];
}

/**
 * Greedy word wrap: as many words per line as fit `maxWidth`. A single word wider than
 * the line gets a line of its own rather than being cut.
 */
export function wrapWords(text: string, maxWidth: number, fontSize: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && estimateTextWidth(candidate, fontSize) > maxWidth) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line !== '') lines.push(line);
  return lines;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface LegendSlot {
  /** The entry's full name, for its tooltip and the screen reader. */
  label: string;
  /** The name as drawn: one line, or several for a name wider than the legend. */
  lines: string[];
  /** Whether `lines` hold the short name rather than the full one. */
  short: boolean;
  /** Length of this entry's line swatch (compare mode's runs get longer ones, for their dashes). */
  swatchWidth: number;
  /** Left of the swatch, px from the figure's left. */
  x: number;
  /** Vertical centre of the row, px from the figure's top. */
  y: number;
}

/**
 * How the legend names its curves: in full; by short names; or folded, where only the
 * bold entries stay and a "key" button opens the references' names over the plot.
 */
export type LegendMode = 'full' | 'short' | 'folded';

/** The text of the folded legend's button, and the room it takes (its border and padding included). */
export const LEGEND_KEY_TEXT = 'key ▾';
export function legendKeyWidth(fontSize: number): number {
  return Math.ceil(estimateTextWidth(LEGEND_KEY_TEXT, fontSize) + 12);
}

export interface LogitLayout {
  /** The base font actually used: the theme's, or smaller only when even a short legend leaves no room for the plots. */
  fontSize: number;
  titleHeight: number;
  /** Font of the legend, the notes and the histogram label. */
  smallFont: number;
  rowHeight: number;
  /** Swatch length of the references and of the fallback note's patch. */
  swatchWidth: number;
  legendMode: LegendMode;
  /** One slot per entry, in order; a folded legend has slots for its bold entries only. */
  legend: LegendSlot[];
  /** The folded legend's "key" button: left and vertical centre, px from the figure's top left; null unless folded. */
  key: { x: number; y: number; width: number } | null;
  /** The notes' lines, left and centre: the fallback note (note 0; after the last entry when it fits there), then any others. */
  noteLines: { text: string; note: number; x: number; y: number }[];
  /** The ψ(θ) plot, figure coordinates. */
  curves: Rect;
  /** Baselines of the histogram label's lines. */
  histogramLabelLines: { text: string; y: number }[];
  /** Left of the histogram label: the plots' left, or the inset when only that gives it one line. */
  histogramLabelX: number;
  /** The histogram plot, figure coordinates; same left and width as `curves`. */
  histogram: Rect;
  /** Baseline of the θ tick labels under the histogram. */
  tickLabelY: number;
}

export interface LegendEntryText {
  label: string;
  /** The name to draw when the full ones would crowd the plot; `label` when absent. */
  short?: string;
  /** Bold text is wider. */
  bold?: boolean;
}

export interface LogitLayoutOptions {
  /** Swatch length of the bold entries (compare mode: long enough for each run's dash pattern). */
  minSwatchWidth?: number;
  /** Height of the panel's title bar as drawn (it wraps in a narrow panel); an estimate when absent. */
  titleHeight?: number;
  /**
   * A wrapped title bar's last line holds only the "later margins" toggle, at the right: the
   * legend's first row may use the room left of it, `width` px from the inset, centred at `y`.
   */
  besideToggle?: { y: number; width: number };
  /** The fallback note in fewer words, drawn when the full note needs two lines. */
  shortNote?: string;
  /** The histogram label in fewer words, drawn when the full label needs two lines. */
  shortHistogramLabel?: string;
}

/** The share of the figure's height the ψ(θ) plot should get; a full legend that leaves less gives way to short names. */
export const CURVES_SHARE = 0.35;
/** A full legend may take this many rows before it gives way to short names. */
const FULL_LEGEND_ROWS = 2;

/**
 * How the ψ(θ) plot and the histogram split the height the text leaves them: 60:40, but
 * the ψ plot takes up to 70% when 60% would fall short of 36% of the figure (a little over
 * `CURVES_SHARE`, so rounding cannot land below it).
 */
export function splitPlots(available: number, figureHeight: number): { curves: number; histogram: number } {
  const curves = Math.round(Math.min(0.7 * available, Math.max(0.6 * available, 0.36 * figureHeight)));
  return { curves, histogram: available - curves };
}

/**
 * Where everything goes in a figure of `size`: title, a wrapping legend, the fallback
 * note, the ψ(θ) plot, the histogram label, the histogram and the shared θ ticks, top to
 * bottom. The legend names its curves in full when that takes at most two rows and still
 * leaves the ψ plot `CURVES_SHARE` of the height; otherwise it draws their short names
 * (the full ones stay in each entry's tooltip). The font stays the theme's, and shrinks
 * only when even the short legend leaves the plots less than five lines of height.
 */
export function logitLayout(
  size: PanelSize,
  fontSize: number,
  legendEntries: readonly LegendEntryText[],
  note: string | readonly string[],
  histogramLabel: string,
  options: LogitLayoutOptions = {},
): LogitLayout {
  const smallest = Math.max(8, fontSize * 0.6);
  let font = fontSize;
  let attempt = layoutAtFont(size, font, legendEntries, note, histogramLabel, options);
  while (attempt.plotRoom < font * 5 && font * 0.9 >= smallest) {
    font *= 0.9;
    attempt = layoutAtFont(size, font, legendEntries, note, histogramLabel, options);
  }
  return attempt.layout;
}

interface LegendFlow {
  slots: LegendSlot[];
  rows: number;
}

/**
 * Entries left to right in rows of `rowWidth`, starting at `top`. An entry too long for
 * any row (a full name in a narrow panel) wraps over rows of its own.
 */
function flowLegend(
  entries: readonly LegendEntryText[],
  mode: LegendMode,
  geometry: {
    inset: number;
    top: number;
    rowWidth: number;
    rowHeight: number;
    font: number;
    gap: number;
    swatch: number;
    boldSwatch: number;
    besideToggle?: { y: number; width: number };
    /** Width of a one-line note to put after the last entry, on its row, if it fits there. */
    tailWidth?: number;
  },
): LegendFlow & { key: LogitLayout['key']; tail: { x: number; y: number } | null } {
  const { inset, top, rowHeight, font, gap, besideToggle } = geometry;
  // With room beside the toggle, row 0 is that room and row 1 the first full row under the title.
  const firstFull = besideToggle ? 1 : 0;
  const widthOf = (row: number): number => (row < firstFull && besideToggle ? besideToggle.width : geometry.rowWidth);
  const centreOf = (row: number): number => (row < firstFull && besideToggle ? besideToggle.y : top + (row - firstFull) * rowHeight + rowHeight / 2);
  const slots: LegendSlot[] = [];
  let cursor = 0;
  let row = 0;
  const shown = mode === 'folded' ? entries.filter((entry) => entry.bold) : entries;
  for (const entry of shown) {
    const short = mode !== 'full' && entry.short !== undefined && entry.short !== entry.label;
    const text = short ? (entry.short ?? entry.label) : entry.label;
    const swatchWidth = entry.bold ? geometry.boldSwatch : geometry.swatch;
    const widthFactor = entry.bold ? 1.1 : 1;
    const width = swatchWidth + 4 + estimateTextWidth(text, font) * widthFactor;
    // The room beside the toggle takes only whole entries; a full row takes anything that fits.
    while (cursor + width > widthOf(row) && (cursor > 0 || row < firstFull)) {
      row++;
      cursor = 0;
    }
    if (width > widthOf(row)) {
      const lines = wrapWords(text, (widthOf(row) - swatchWidth - 4) / widthFactor, font);
      slots.push({ label: entry.label, lines, short, swatchWidth, x: inset, y: centreOf(row) });
      row += lines.length;
      cursor = 0;
      continue;
    }
    slots.push({ label: entry.label, lines: [text], short, swatchWidth, x: inset + cursor, y: centreOf(row) });
    cursor += width + gap;
  }
  let key: LogitLayout['key'] = null;
  if (mode === 'folded') {
    const width = legendKeyWidth(font);
    while (cursor + width > widthOf(row) && (cursor > 0 || row < firstFull)) {
      row++;
      cursor = 0;
    }
    key = { x: inset + cursor, y: centreOf(row), width };
    cursor += width + gap;
  }
  let tail: { x: number; y: number } | null = null;
  if (geometry.tailWidth !== undefined && cursor > 0 && cursor + geometry.tailWidth <= widthOf(row)) {
    tail = { x: inset + cursor, y: centreOf(row) };
  }
  // Rows under the title: a wrapped last entry has already moved to the next row.
  const used = cursor === 0 ? row : row + 1;
  return { slots, rows: Math.max(0, used - firstFull), key, tail };
}

/** `full` on one line if it fits `width`, else `short` (when given) split once at `separator`, else `full` split there. */
function fitLine(full: string, short: string | undefined, separator: string, width: number, font: number): string[] {
  if (estimateTextWidth(full, font) <= width || short === undefined) return wrapOnce(full, separator, width, font);
  return wrapOnce(short, separator, width, font);
}

function layoutAtFont(
  size: PanelSize,
  fontSize: number,
  legendEntries: readonly LegendEntryText[],
  note: string | readonly string[],
  histogramLabel: string,
  options: LogitLayoutOptions,
): { layout: LogitLayout; plotRoom: number } {
  const inset = 8;
  const titleHeight = options.titleHeight ?? Math.max(26, Math.round(fontSize * 1.9));
  const smallFont = fontSize * 0.85;
  const rowHeight = Math.ceil(smallFont * 1.35);
  const swatchWidth = Math.round(smallFont * 1.5);
  // Compare mode asks for longer swatches on the runs, so that each run's dash pattern shows whole.
  const boldSwatch = Math.max(options.minSwatchWidth ?? 0, swatchWidth);
  const entryGap = Math.round(smallFont * 0.9);
  // Room for "−1.5" or "1.2k" plus a rotated axis title.
  const left = Math.round(fontSize * 4.2);
  // Half of the "180°" label hangs past the last tick, plus a little air.
  const right = Math.round(fontSize * 1.8);
  const rowWidth = size.width - 2 * inset;
  const plotWidth = Math.max(40, size.width - left - right);

  const [firstNote, ...otherNotes] = typeof note === 'string' ? [note] : note;
  const noteWidth = rowWidth - swatchWidth - 4;
  const noteTexts = [
    ...fitLine(firstNote ?? '', options.shortNote, ': ', noteWidth, smallFont).map((text) => ({ text, note: 0 })),
    ...otherNotes.flatMap((text, index) => wrapWords(text, noteWidth, smallFont).map((line) => ({ text: line, note: index + 1 }))),
  ];
  // The label starts at the plots' left when it fits on one line there; else at the inset, which gives it more room.
  const fitsAtPlot = fitLine(histogramLabel, options.shortHistogramLabel, '; ', size.width - left - inset, smallFont);
  const histogramLabelX = fitsAtPlot.length === 1 ? left : inset;
  const labelTexts = fitsAtPlot.length === 1 ? fitsAtPlot : fitLine(histogramLabel, options.shortHistogramLabel, '; ', rowWidth, smallFont);
  const gapBelowCurves = Math.round(fontSize * 0.6);
  const labelHeight = labelTexts.length * rowHeight + 2;
  const tickRow = Math.ceil(fontSize * 1.5);

  // A one-line fallback note may share the legend's last row, after its last entry.
  const firstNoteLines = noteTexts.filter((line) => line.note === 0);
  const tailWidth = firstNoteLines.length === 1 ? swatchWidth + 4 + estimateTextWidth(firstNoteLines[0].text, smallFont) : undefined;
  const flowGeometry = { inset, top: titleHeight, rowWidth, rowHeight, font: smallFont, gap: entryGap, swatch: swatchWidth, boldSwatch, besideToggle: options.besideToggle, tailWidth };
  const place = (mode: LegendMode) => {
    const flow = flowLegend(legendEntries, mode, flowGeometry);
    const legendBottom = titleHeight + flow.rows * rowHeight;
    const rowsOfNotes = noteTexts.length - (flow.tail ? 1 : 0);
    const curvesTop = legendBottom + rowsOfNotes * rowHeight + Math.round(fontSize * 0.5);
    const available = size.height - curvesTop - gapBelowCurves - labelHeight - tickRow;
    return { mode, flow, legendBottom, curvesTop, available, plots: splitPlots(available, size.height) };
  };
  const roomy = (option: ReturnType<typeof place>): boolean => option.plots.curves >= CURVES_SHARE * size.height;
  const full = place('full');
  let chosen = full;
  if (full.flow.rows > FULL_LEGEND_ROWS || !roomy(full)) {
    chosen = place('short');
    // Folding hides the references' names behind a button: only when short names still crowd the plot.
    if (!roomy(chosen)) chosen = place('folded');
  }

  const { legendBottom, curvesTop, available } = chosen;
  const curvesHeight = Math.max(24, chosen.plots.curves);
  const histogramHeight = Math.max(16, available - curvesHeight);
  const labelTop = curvesTop + curvesHeight + gapBelowCurves;
  const histogramTop = labelTop + labelHeight;

  const layout: LogitLayout = {
    fontSize,
    titleHeight,
    smallFont,
    rowHeight,
    swatchWidth,
    legendMode: chosen.mode,
    legend: chosen.flow.slots,
    key: chosen.flow.key,
    noteLines: noteTexts.map(({ text, note: noteIndex }, index) => {
      const tail = chosen.flow.tail;
      if (tail && index === 0) return { text, note: noteIndex, x: tail.x, y: tail.y };
      const row = index - (tail ? 1 : 0);
      return { text, note: noteIndex, x: inset, y: legendBottom + row * rowHeight + rowHeight / 2 };
    }),
    curves: { left, top: curvesTop, width: plotWidth, height: curvesHeight },
    histogramLabelX,
    histogramLabelLines: labelTexts.map((text, index) => ({ text, y: labelTop + (index + 1) * rowHeight - Math.round(rowHeight * 0.3) })),
    histogram: { left, top: histogramTop, width: plotWidth, height: histogramHeight },
    tickLabelY: histogramTop + histogramHeight + Math.round(fontSize * 1.2),
  };
  return { layout, plotRoom: available };
}
