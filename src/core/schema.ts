/**
 * The one table of parameters. Sliders, the URL codec, the worker and the CLI all read
 * it, so a range or a default is changed in exactly one place.
 */

interface SpecBase {
  /** Short name used in URLs and on the command line. */
  urlName: string;
  label: string;
  /** Shown after the value; '' when the value has no unit. */
  unit: string;
  /** Applies to a running training without a reset. */
  live: boolean;
  help: string;
}

export interface NumberSpec extends SpecBase {
  kind: 'number';
  default: number;
  min: number;
  max: number;
  step: number;
  integer: boolean;
  /** Sliders for values that span decades (the learning rate) move in log space. */
  logScale: boolean;
}

export interface BooleanSpec extends SpecBase {
  kind: 'boolean';
  default: boolean;
}

export interface ChoiceSpec<T extends string> extends SpecBase {
  kind: 'choice';
  default: T;
  options: readonly T[];
}

export type OptimizerName = 'adam' | 'sgd';
/**
 * 'margin' is the normalised head with the combined margin; 'softmax' is plain softmax;
 * 'triplet' trains the triplet term alone (no classifier). The rest are heads that are not
 * cos(m1·θ + m2) − m3: the original SphereFace (whole m = 4, λ annealed) and four later
 * margins, each with its paper's constants and m2 as its angular margin.
 */
export type HeadName = 'margin' | 'softmax' | 'triplet' | 'sphereface4' | 'curricularface' | 'adaface' | 'elasticface' | 'magface';
/** 'synthetic': the generated identities; 'digits': MNIST digits 0–7 as identities, 8 and 9 unseen. */
export type DatasetName = 'synthetic' | 'digits';

export interface Params {
  m1: number;
  m2: number;
  m3: number;
  s: number;
  lr: number;
  seed: number;
  samplesPerIdentity: number;
  identities: number;
  batchSize: number;
  warmupSteps: number;
  fallback: boolean;
  optimizer: OptimizerName;
  head: HeadName;
  data: DatasetName;
  /** Weights of the Sec. 3.4 terms added to the head's loss (0: off). */
  intra: number;
  inter: number;
  triplet: number;
  /** The triplet's angular margin, radians. */
  tripletMargin: number;
  /** The centre loss's λ (0: off). */
  center: number;
  /** Fig. 4b's curves; ElasticFace's σ is also what the elasticface head trains with. */
  sphereLambda: number;
  curricularT: number;
  adaNorm: number;
  elasticSigma: number;
  magMagnitude: number;
}

// Wrapped in [] so that a union of choices stays one ChoiceSpec instead of distributing.
type SpecFor<V> = [V] extends [number] ? NumberSpec : [V] extends [boolean] ? BooleanSpec : [V] extends [string] ? ChoiceSpec<V> : never;
export type Schema = { [K in keyof Params]: SpecFor<Params[K]> };

// biome-ignore format: one row per parameter reads as the table it is
export const SCHEMA: Schema = {
  m1: {
    kind: 'number', urlName: 'm1', label: 'm1 (multiplicative angular)', unit: '',
    default: 1, min: 0.5, max: 2, step: 0.01, integer: false, logScale: false, live: true,
    help: 'Multiplies the target angle: cos(m1·θ + m2) − m3. SphereFace uses 1.35.',
  },
  m2: {
    kind: 'number', urlName: 'm2', label: 'm2 (additive angular)', unit: 'rad',
    default: 0.5, min: 0, max: 1, step: 0.01, integer: false, logScale: false, live: true,
    help: 'Added to the target angle. ArcFace uses 0.5 rad (28.6°).',
  },
  m3: {
    kind: 'number', urlName: 'm3', label: 'm3 (additive cosine)', unit: '',
    default: 0, min: 0, max: 0.8, step: 0.01, integer: false, logScale: false, live: true,
    help: 'Subtracted from the target cosine. CosFace uses 0.35.',
  },
  s: {
    // The paper's 64. On the toy, a large s saturates norm-softmax's loss as soon as the
    // identities separate (e^{64·Δcos} dwarfs 7 rivals once Δcos ≳ 0.1), so it stops
    // pulling samples together and its arcs stay wide; ArcFace's margin keeps the target
    // logit low and keeps pulling. At s = 32 both losses squeeze every arc to a few
    // degrees and the two pictures look alike. The warm-up keeps s = 64 from collapsing.
    kind: 'number', urlName: 's', label: 's (scale)', unit: '',
    default: 64, min: 1, max: 128, step: 1, integer: false, logScale: false, live: true,
    help: 'Radius of the hypersphere: every logit is multiplied by s.',
  },
  lr: {
    kind: 'number', urlName: 'lr', label: 'learning rate', unit: '',
    default: 0.01, min: 0.0001, max: 0.1, step: 0.0001, integer: false, logScale: true, live: true,
    help: 'Step size of the optimiser.',
  },
  seed: {
    kind: 'number', urlName: 'seed', label: 'seed', unit: '',
    default: 1, min: 0, max: 999999, step: 1, integer: true, logScale: false, live: false,
    help: 'Seeds the data, the initial weights and the batch order.',
  },
  samplesPerIdentity: {
    kind: 'number', urlName: 'n', label: 'samples per identity', unit: '',
    default: 300, min: 20, max: 1500, step: 10, integer: true, logScale: false, live: false,
    help: 'Training samples drawn for each identity.',
  },
  identities: {
    kind: 'number', urlName: 'ids', label: 'identities', unit: '',
    default: 8, min: 2, max: 128, step: 1, integer: true, logScale: false, live: false,
    help: 'Number of training identities (the paper’s toy has 8).',
  },
  batchSize: {
    kind: 'number', urlName: 'batch', label: 'batch size', unit: '',
    default: 256, min: 16, max: 4096, step: 16, integer: true, logScale: false, live: true,
    help: 'Samples per training step; at or above the data size it is full batch.',
  },
  warmupSteps: {
    kind: 'number', urlName: 'warmup', label: 'margin warm-up', unit: 'steps',
    default: 300, min: 0, max: 2000, step: 50, integer: true, logScale: false, live: true,
    help: 'Ramps m2, m3 from 0 and m1 from 1 to their values. 0 turns it off, which can let ArcFace collapse.',
  },
  fallback: {
    kind: 'boolean', urlName: 'fallback', label: 'monotonic fallback', unit: '', default: true, live: true,
    help: 'Past θ* = (π − m2)/m1 the target logit would rise again; the fallback keeps it falling.',
  },
  optimizer: {
    kind: 'choice', urlName: 'opt', label: 'optimiser', unit: '', default: 'adam', options: ['adam', 'sgd'], live: false,
    help: 'Adam, or SGD with momentum 0.9.',
  },
  head: {
    kind: 'choice', urlName: 'head', label: 'head', unit: '', default: 'margin',
    options: ['margin', 'softmax', 'triplet', 'sphereface4', 'curricularface', 'adaface', 'elasticface', 'magface'], live: false,
    help: 'margin: normalised features and weights with the combined margin; softmax: plain softmax with a bias; triplet: the triplet term alone (at weight 1 unless triplet sets one), no classifier; sphereface4: the original SphereFace (m = 4); curricularface, adaface, elasticface, magface: later margins, with m2 as their angular margin.',
  },
  data: {
    kind: 'choice', urlName: 'data', label: 'data', unit: '', default: 'synthetic', options: ['synthetic', 'digits'], live: false,
    help: 'synthetic: 8 generated identities in 32 inputs; digits: handwritten digits 0–7 (28×28 pixels), with 8 and 9 as the unseen identities.',
  },
  // The terms of the paper's Sec. 3.4 and the slides' centre loss (src/core/auxLosses.ts).
  // Not live: a run with them trains on the unfused path, chosen when it starts.
  intra: {
    kind: 'number', urlName: 'intra', label: 'Intra-Loss weight', unit: '',
    default: 0, min: 0, max: 2, step: 0.05, integer: false, logScale: false, live: false,
    help: 'Adds weight × (1/πN) Σ θ_y: pulls each feature towards its own W (the paper’s Intra-Loss, Sec. 3.4).',
  },
  inter: {
    kind: 'number', urlName: 'inter', label: 'Inter-Loss weight', unit: '',
    default: 0, min: 0, max: 2, step: 0.05, integer: false, logScale: false, live: false,
    help: 'Subtracts weight × the mean angle from each sample’s W to the other W: pushes the class directions apart (Inter-Loss, Sec. 3.4).',
  },
  triplet: {
    kind: 'number', urlName: 'triplet', label: 'Triplet-Loss weight', unit: '',
    default: 0, min: 0, max: 2, step: 0.05, integer: false, logScale: false, live: false,
    help: 'Adds weight × max(0, θ_pos + m − θ_neg) on the normalised features: each anchor’s hardest positive in the batch, and the nearest negative farther than it (semi-hard mining).',
  },
  tripletMargin: {
    kind: 'number', urlName: 'tm', label: 'triplet margin', unit: 'rad',
    default: 0.35, min: 0, max: 1, step: 0.01, integer: false, logScale: false, live: false,
    help: 'The triplet’s angular margin: a positive must be this much closer than the nearest negative. The paper’s Table 2 uses 0.35.',
  },
  center: {
    kind: 'number', urlName: 'center', label: 'centre-loss λ', unit: '',
    default: 0, min: 0, max: 1, step: 0.001, integer: false, logScale: false, live: false,
    help: 'Adds (λ/2)·mean ‖x − c_y‖² on the raw features; each centre moves by α = 0.5 of its batch pull per step (Wen et al. 2016).',
  },
  // The extra parameter of each curve of Fig. 4b that is not the combined margin. They
  // only move the drawn curves (live, no reset); src/core/sphereface.ts and laterMargins.ts have the math.
  sphereLambda: {
    kind: 'number', urlName: 'sf_lambda', label: 'SphereFace λ (m = 4)', unit: '',
    default: 5, min: 0, max: 100, step: 0.5, integer: false, logScale: false, live: true,
    help: 'Original SphereFace blends its target with cos θ: (λ·cos θ + ψ(θ))/(1 + λ). Its training anneals λ from 1000 to 5; the ArcFace paper draws λ = 5.',
  },
  curricularT: {
    kind: 'number', urlName: 'cf_t', label: 'CurricularFace t', unit: '',
    default: 0, min: 0, max: 1, step: 0.01, integer: false, logScale: false, live: true,
    help: 'CurricularFace turns a hard negative cos θj into cos θj·(t + cos θj); t follows the mean target cosine from 0 during training.',
  },
  adaNorm: {
    kind: 'number', urlName: 'ada_z', label: 'AdaFace ẑ (normalised norm)', unit: '',
    default: 0, min: -1, max: 1, step: 0.05, integer: false, logScale: false, live: true,
    help: 'AdaFace’s feature norm in batch standard deviations: −1 (poor image) gives ArcFace, 0 CosFace, 1 cos(θ − m) − 2m.',
  },
  elasticSigma: {
    kind: 'number', urlName: 'ef_sigma', label: 'ElasticFace σ', unit: 'rad',
    default: 0.05, min: 0, max: 0.3, step: 0.01, integer: false, logScale: false, live: true,
    help: 'ElasticFace draws each sample’s angular margin from N(0.5, σ²); the band spans 0.5 ± 2σ.',
  },
  magMagnitude: {
    kind: 'number', urlName: 'mag_a', label: 'MagFace magnitude a', unit: '',
    default: 60, min: 10, max: 110, step: 1, integer: false, logScale: false, live: true,
    help: 'MagFace’s margin grows with the feature magnitude: m(a) from 0.45 at a = 10 to 0.8 at a = 110.',
  },
};

export const PARAM_KEYS = Object.keys(SCHEMA) as (keyof Params)[];

export function defaultParams(): Params {
  const entries = PARAM_KEYS.map((key) => [key, SCHEMA[key].default]);
  return Object.fromEntries(entries) as Params;
}

/** The result of checking one value against the schema. */
export interface Checked<V> {
  value: V;
  /** Why the input was not taken as given; absent when it was. */
  problem?: string;
}

/** Snap a number into its spec: finite, in range, on the integer grid when required. */
export function checkNumber(spec: NumberSpec, input: number): Checked<number> {
  if (!Number.isFinite(input)) {
    return { value: spec.default, problem: `${spec.urlName} must be a finite number; using ${spec.default}` };
  }
  let value = spec.integer ? Math.round(input) : input;
  if (value < spec.min || value > spec.max) {
    value = Math.min(spec.max, Math.max(spec.min, value));
    return { value, problem: `${spec.urlName} must be in [${spec.min}, ${spec.max}]; clamped to ${value}` };
  }
  return { value };
}

/**
 * Parse text strictly: unlike `+text`, '' and ' ' are not 0, and '1e400' or 'NaN' are
 * rejected rather than let through as non-finite numbers.
 */
export function parseNumberStrict(text: string): number {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return Number.NaN;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : Number.NaN;
}

export function rangeText(key: keyof Params): string {
  const spec = SCHEMA[key];
  if (spec.kind === 'number') return `${spec.min} to ${spec.max}${spec.integer ? ' (whole number)' : ''}`;
  if (spec.kind === 'boolean') return '0 or 1';
  return spec.options.join(' | ');
}

/** Parse one parameter from text (a URL value, a CLI flag). Never throws. */
export function parseParam<K extends keyof Params>(key: K, text: string): Checked<Params[K]> {
  const spec = SCHEMA[key as keyof Params];
  if (spec.kind === 'number') {
    const checked = checkNumber(spec, parseNumberStrict(text));
    if (checked.problem && !Number.isFinite(parseNumberStrict(text))) {
      checked.problem = `${spec.urlName} must be a number from ${rangeText(key)}; using ${spec.default}`;
    }
    return checked as Checked<Params[K]>;
  }
  if (spec.kind === 'boolean') {
    const lowered = text.trim().toLowerCase();
    if (['1', 'true', 'on', 'yes'].includes(lowered)) return { value: true } as Checked<Params[K]>;
    if (['0', 'false', 'off', 'no'].includes(lowered)) return { value: false } as Checked<Params[K]>;
    return { value: spec.default, problem: `${spec.urlName} must be 0 or 1; using ${spec.default ? 1 : 0}` } as Checked<Params[K]>;
  }
  const options: readonly string[] = spec.options;
  const lowered = text.trim().toLowerCase();
  if (options.includes(lowered)) return { value: lowered } as Checked<Params[K]>;
  return { value: spec.default, problem: `${spec.urlName} must be one of ${options.join(', ')}; using ${spec.default}` } as Checked<Params[K]>;
}

/** Keys whose change needs a fresh model and data. */
export function needsReset(before: Params, after: Params): boolean {
  return PARAM_KEYS.some((key) => !SCHEMA[key].live && before[key] !== after[key]);
}
