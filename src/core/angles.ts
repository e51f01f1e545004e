/**
 * Angle statistics of the paper's Table 3 and the arc geometry of Fig. 3, as pure
 * functions of row-major typed arrays. All angles returned are in degrees.
 *
 * Layout: `features` is samples × dim, `weights` is classes × dim (one class direction
 * per row), `labels` holds a class index per sample.
 */
import { toDegrees } from './margin';

/** Guards 0/0: a zero feature normalises to zero instead of NaN. */
export const NORM_EPSILON = 1e-12;

export function normalizeRows(data: ArrayLike<number>, dim: number): Float32Array {
  const rows = Math.floor(data.length / dim);
  const out = new Float32Array(rows * dim);
  for (let row = 0; row < rows; row++) {
    let squared = 0;
    for (let k = 0; k < dim; k++) squared += data[row * dim + k] ** 2;
    const scale = 1 / Math.max(Math.sqrt(squared), NORM_EPSILON);
    for (let k = 0; k < dim; k++) out[row * dim + k] = data[row * dim + k] * scale;
  }
  return out;
}

function rowDot(a: ArrayLike<number>, rowA: number, b: ArrayLike<number>, rowB: number, dim: number): number {
  let sum = 0;
  for (let k = 0; k < dim; k++) sum += a[rowA * dim + k] * b[rowB * dim + k];
  return sum;
}

/**
 * Angle in degrees between row i of unit-row matrix a and row j of unit-row matrix b.
 * 2·atan2(|a − b|, |a + b|) rather than acos(a·b): acos loses half the digits near 0°
 * and 180°, so with Float32 rows two identical directions read as 0.0075° apart.
 */
export function rowAngle(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, dim: number): number {
  let difference = 0;
  let sum = 0;
  for (let k = 0; k < dim; k++) {
    difference += (a[i * dim + k] - b[j * dim + k]) ** 2;
    sum += (a[i * dim + k] + b[j * dim + k]) ** 2;
  }
  return toDegrees(2 * Math.atan2(Math.sqrt(difference), Math.sqrt(sum)));
}

/**
 * Feature centres: the normalised mean of each class's normalised features. A class with
 * no samples (or whose features cancel out) gets `present = false` and is left out of
 * every statistic rather than producing NaN.
 */
export function classCentres(unitFeatures: Float32Array, labels: ArrayLike<number>, classes: number, dim: number): { centres: Float32Array; present: boolean[] } {
  const sums = new Float64Array(classes * dim);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    for (let k = 0; k < dim; k++) sums[label * dim + k] += unitFeatures[i * dim + k];
  }
  const present: boolean[] = [];
  for (let c = 0; c < classes; c++) {
    let squared = 0;
    for (let k = 0; k < dim; k++) squared += sums[c * dim + k] ** 2;
    present.push(Math.sqrt(squared) > 1e-9);
  }
  return { centres: normalizeRows(sums, dim), present };
}

function mean(values: number[]): number {
  if (values.length === 0) return 0;
  return values.reduce((total, value) => total + value, 0) / values.length;
}

/** Mean over rows of the smallest angle to any other row (only rows marked present). */
function meanMinimumAngle(unitRows: Float32Array, present: boolean[], dim: number): number {
  const minima: number[] = [];
  for (let i = 0; i < present.length; i++) {
    if (!present[i]) continue;
    let smallest = Infinity;
    for (let j = 0; j < present.length; j++) {
      if (j !== i && present[j]) smallest = Math.min(smallest, rowAngle(unitRows, i, unitRows, j, dim));
    }
    if (Number.isFinite(smallest)) minima.push(smallest);
  }
  return mean(minima);
}

export interface FeatureStats {
  /** Mean angle between a feature and its identity's centre. */
  intra: number;
  /** Mean over identities of the smallest angle between its centre and another's. */
  inter: number;
}

export function featureStats(features: ArrayLike<number>, labels: ArrayLike<number>, classes: number, dim: number): FeatureStats {
  const unit = normalizeRows(features, dim);
  const { centres, present } = classCentres(unit, labels, classes, dim);
  const intraAngles: number[] = [];
  for (let i = 0; i < labels.length; i++) intraAngles.push(rowAngle(unit, i, centres, labels[i], dim));
  return { intra: mean(intraAngles), inter: meanMinimumAngle(centres, present, dim) };
}

export interface WeightStats {
  /** Mean angle between W_j and identity j's feature centre. */
  wEC: number;
  /** Mean over j of the smallest angle from W_j to another W_k. */
  wInter: number;
}

export function weightStats(features: ArrayLike<number>, labels: ArrayLike<number>, weights: ArrayLike<number>, classes: number, dim: number): WeightStats {
  const unit = normalizeRows(features, dim);
  const unitWeights = normalizeRows(weights, dim);
  const { centres, present } = classCentres(unit, labels, classes, dim);
  const toCentre: number[] = [];
  for (let c = 0; c < classes; c++) if (present[c]) toCentre.push(rowAngle(unitWeights, c, centres, c, dim));
  return { wEC: mean(toCentre), wInter: meanMinimumAngle(unitWeights, new Array<boolean>(classes).fill(true), dim) };
}

/** Linear-interpolated percentile of sorted values, q in [0, 1]. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
}

/** Wraps an angle in radians into (−π, π]. */
export function wrapAngle(radians: number): number {
  const wrapped = radians - 2 * Math.PI * Math.floor((radians + Math.PI) / (2 * Math.PI));
  return wrapped === -Math.PI ? Math.PI : wrapped;
}

export interface Arc {
  identity: number;
  /** Direction of the identity's feature centre, radians. */
  centre: number;
  /** Arc edges as signed offsets from the centre, radians (start ≤ 0 ≤ end usually). */
  start: number;
  end: number;
}

export const ARC_LOWER_QUANTILE = 0.02;
export const ARC_UPPER_QUANTILE = 0.98;

/**
 * The arc each identity covers on the circle (2-D features only), trimmed to its 2nd
 * to 98th percentile of angle so that a stray sample does not define it.
 */
export function identityArcs(features: ArrayLike<number>, labels: ArrayLike<number>, classes: number): Arc[] {
  const unit = normalizeRows(features, 2);
  const { centres, present } = classCentres(unit, labels, classes, 2);
  const offsets: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const centre = Math.atan2(centres[label * 2 + 1], centres[label * 2]);
    offsets[label].push(wrapAngle(Math.atan2(unit[i * 2 + 1], unit[i * 2]) - centre));
  }
  const arcs: Arc[] = [];
  for (let c = 0; c < classes; c++) {
    if (!present[c]) continue;
    const sorted = Float64Array.from(offsets[c]).sort();
    arcs.push({
      identity: c,
      centre: Math.atan2(centres[c * 2 + 1], centres[c * 2]),
      start: percentile(sorted, ARC_LOWER_QUANTILE),
      end: percentile(sorted, ARC_UPPER_QUANTILE),
    });
  }
  return arcs;
}

export interface ArcGap {
  /** Identities on either side of the gap, counter-clockwise order. */
  from: number;
  to: number;
  /** Empty angle between the end of one arc and the start of the next, degrees; negative when they overlap. */
  gap: number;
}

/** Gaps between neighbouring arcs around the circle, counter-clockwise. */
export function arcGaps(arcs: Arc[]): ArcGap[] {
  if (arcs.length < 2) return [];
  const ordered = [...arcs].sort((a, b) => a.centre - b.centre);
  return ordered.map((arc, index) => {
    const next = ordered[(index + 1) % ordered.length];
    // Only the last pair wraps round: identities with equal centres overlap (separation 0),
    // they are not a full circle apart.
    let separation = next.centre - arc.centre;
    if (index === ordered.length - 1) separation += 2 * Math.PI;
    return { from: arc.identity, to: next.identity, gap: toDegrees(separation + next.start - arc.end) };
  });
}

function smallestGap(arcs: Arc[]): number {
  const gaps = arcGaps(arcs);
  return gaps.length === 0 ? 0 : Math.min(...gaps.map((entry) => entry.gap));
}

export function smallestArcGap(features: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  return smallestGap(identityArcs(features, labels, classes));
}

/** Angle in degrees between each sample and its own class direction W_y. */
export function targetAngles(features: ArrayLike<number>, labels: ArrayLike<number>, weights: ArrayLike<number>, dim: number): Float32Array {
  const unit = normalizeRows(features, dim);
  const unitWeights = normalizeRows(weights, dim);
  const out = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = rowAngle(unit, i, unitWeights, labels[i], dim);
  return out;
}

/**
 * Fraction of samples whose highest logit is their own class. With `bias` (plain softmax)
 * the raw logits f·W_j + b_j decide; without it the cosine does, as at test time.
 */
export function accuracy(features: ArrayLike<number>, labels: ArrayLike<number>, weights: ArrayLike<number>, classes: number, dim: number, bias?: ArrayLike<number>): number {
  if (labels.length === 0) return 0;
  const rows = bias ? Float32Array.from(features) : normalizeRows(features, dim);
  const classRows = bias ? Float32Array.from(weights) : normalizeRows(weights, dim);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = -Infinity;
    let bestClass = -1;
    for (let c = 0; c < classes; c++) {
      const logit = rowDot(rows, i, classRows, c, dim) + (bias ? bias[c] : 0);
      if (logit > best) {
        best = logit;
        bestClass = c;
      }
    }
    if (bestClass === labels[i]) correct++;
  }
  return correct / labels.length;
}

/** Everything Table 3 reports, plus the Fig. 3 arc gap, for one run. */
export interface AngleReport {
  wEC: number;
  wInter: number;
  intraTrain: number;
  interTrain: number;
  gapTrain: number;
  intraHeldout: number;
  interHeldout: number;
}

export function angleReport(
  train: { features: ArrayLike<number>; labels: ArrayLike<number>; classes: number },
  heldout: { features: ArrayLike<number>; labels: ArrayLike<number>; classes: number },
  weights: ArrayLike<number>,
  dim: number,
  /** The training identities' arcs, when the caller has them already (they sort every sample). */
  trainArcs?: Arc[],
): AngleReport {
  const trainStats = featureStats(train.features, train.labels, train.classes, dim);
  const heldoutStats = featureStats(heldout.features, heldout.labels, heldout.classes, dim);
  const { wEC, wInter } = weightStats(train.features, train.labels, weights, train.classes, dim);
  return {
    wEC,
    wInter,
    intraTrain: trainStats.intra,
    interTrain: trainStats.inter,
    gapTrain: dim !== 2 ? 0 : trainArcs ? smallestGap(trainArcs) : smallestArcGap(train.features, train.labels, train.classes),
    intraHeldout: heldoutStats.intra,
    interHeldout: heldoutStats.inter,
  };
}

/**
 * How many identity centres have no other centre within `minimumDegrees`: the collapse
 * check. A collapsed run piles every identity onto a few directions.
 */
export function separatedIdentities(features: ArrayLike<number>, labels: ArrayLike<number>, classes: number, dim: number, minimumDegrees: number): number {
  const { centres, present } = classCentres(normalizeRows(features, dim), labels, classes, dim);
  let separated = 0;
  for (let i = 0; i < classes; i++) {
    if (!present[i]) continue;
    let nearest = Infinity;
    for (let j = 0; j < classes; j++) if (j !== i && present[j]) nearest = Math.min(nearest, rowAngle(centres, i, centres, j, dim));
    if (nearest >= minimumDegrees) separated++;
  }
  return separated;
}
