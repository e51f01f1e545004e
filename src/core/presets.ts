import type { HeadName, Params } from './schema';

/** The extra loss terms a preset sets; a preset that names none turns them all off. */
export interface PresetTerms {
  intra: number;
  inter: number;
  triplet: number;
  tripletMargin: number;
  center: number;
}

export const NO_TERMS: PresetTerms = { intra: 0, inter: 0, triplet: 0, tripletMargin: 0.35, center: 0 };

/** The loss settings of the paper's Table 2 (and Fig. 4b), the slides' centre loss, and later margins. */
export interface Preset {
  id: string;
  label: string;
  head: HeadName;
  m1: number;
  m2: number;
  m3: number;
  terms: PresetTerms;
}

type PresetRow = Omit<Preset, 'terms'> & { terms?: Partial<PresetTerms> };

/** Wen et al.'s λ on the toy's raw 2-D features (their MNIST figure ranges 0.0001 to 0.1). */
export const CENTER_LOSS_LAMBDA = 0.01;

function withTerms(row: PresetRow): Preset {
  return { ...row, terms: { ...NO_TERMS, ...row.terms } };
}

const ROWS: readonly PresetRow[] = [
  { id: 'softmax', label: 'Softmax', head: 'softmax', m1: 1, m2: 0, m3: 0 },
  { id: 'norm-softmax', label: 'Norm-Softmax', head: 'margin', m1: 1, m2: 0, m3: 0 },
  { id: 'sphereface', label: 'SphereFace (1.35)', head: 'margin', m1: 1.35, m2: 0, m3: 0 },
  { id: 'cosface', label: 'CosFace (0.35)', head: 'margin', m1: 1, m2: 0, m3: 0.35 },
  { id: 'arcface', label: 'ArcFace (0.5)', head: 'margin', m1: 1, m2: 0.5, m3: 0 },
  { id: 'arcface-0.4', label: 'ArcFace (0.4)', head: 'margin', m1: 1, m2: 0.4, m3: 0 },
  { id: 'arcface-0.45', label: 'ArcFace (0.45)', head: 'margin', m1: 1, m2: 0.45, m3: 0 },
  { id: 'arcface-0.55', label: 'ArcFace (0.55)', head: 'margin', m1: 1, m2: 0.55, m3: 0 },
  { id: 'cm1', label: 'CM1 (1, 0.3, 0.2)', head: 'margin', m1: 1, m2: 0.3, m3: 0.2 },
  { id: 'cm2', label: 'CM2 (0.9, 0.4, 0.15)', head: 'margin', m1: 0.9, m2: 0.4, m3: 0.15 },
  // Sec. 3.4 and Table 2: Norm-Softmax or ArcFace with Intra-Loss, Inter-Loss, Triplet-Loss (weight 1, as written there).
  { id: 'ns-intra', label: 'NS + Intra', head: 'margin', m1: 1, m2: 0, m3: 0, terms: { intra: 1 } },
  { id: 'ns-inter', label: 'NS + Inter', head: 'margin', m1: 1, m2: 0, m3: 0, terms: { inter: 1 } },
  { id: 'ns-intra-inter', label: 'NS + Intra + Inter', head: 'margin', m1: 1, m2: 0, m3: 0, terms: { intra: 1, inter: 1 } },
  { id: 'triplet', label: 'Triplet (0.35)', head: 'triplet', m1: 1, m2: 0, m3: 0, terms: { triplet: 1 } },
  { id: 'arcface-intra', label: 'ArcFace + Intra', head: 'margin', m1: 1, m2: 0.5, m3: 0, terms: { intra: 1 } },
  { id: 'arcface-inter', label: 'ArcFace + Inter', head: 'margin', m1: 1, m2: 0.5, m3: 0, terms: { inter: 1 } },
  { id: 'arcface-intra-inter', label: 'ArcFace + Intra + Inter', head: 'margin', m1: 1, m2: 0.5, m3: 0, terms: { intra: 1, inter: 1 } },
  { id: 'arcface-triplet', label: 'ArcFace + Triplet', head: 'margin', m1: 1, m2: 0.5, m3: 0, terms: { triplet: 1 } },
  { id: 'center', label: 'Centre loss', head: 'softmax', m1: 1, m2: 0, m3: 0, terms: { center: CENTER_LOSS_LAMBDA } },
  // The original SphereFace and the margins that came after ArcFace (src/core/sphereface.ts, laterMargins.ts).
  { id: 'sphereface-m4', label: 'SphereFace (m = 4, original)', head: 'sphereface4', m1: 1, m2: 0, m3: 0 },
  { id: 'curricularface', label: 'CurricularFace (0.5)', head: 'curricularface', m1: 1, m2: 0.5, m3: 0 },
  { id: 'adaface', label: 'AdaFace (0.4)', head: 'adaface', m1: 1, m2: 0.4, m3: 0 },
  { id: 'elasticface', label: 'ElasticFace-Arc (0.5)', head: 'elasticface', m1: 1, m2: 0.5, m3: 0 },
  { id: 'magface', label: 'MagFace', head: 'magface', m1: 1, m2: 0, m3: 0 },
];

export const PRESETS: readonly Preset[] = ROWS.map(withTerms);

export const DEFAULT_PRESET_ID = 'arcface';

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((preset) => preset.id === id);
}

/** Heads whose loss reads none of m1, m2 and m3: any values match their preset. */
export function ignoresMargins(head: HeadName): boolean {
  return head === 'softmax' || head === 'triplet' || head === 'sphereface4' || head === 'magface';
}

/** The preset whose values these are, or undefined for a custom setting. Terms left out count as off. */
export function matchPreset(values: { head: HeadName; m1: number; m2: number; m3: number } & Partial<PresetTerms>): Preset | undefined {
  const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;
  const terms = { ...NO_TERMS, ...values };
  const sameTerms = (preset: Preset): boolean =>
    close(preset.terms.intra, terms.intra)
    && close(preset.terms.inter, terms.inter)
    && close(preset.terms.triplet, terms.triplet)
    && close(preset.terms.center, terms.center)
    // The triplet's margin matters only where the triplet term is on.
    && (preset.terms.triplet === 0 || close(preset.terms.tripletMargin, terms.tripletMargin));
  return PRESETS.find(
    (preset) => preset.head === values.head && sameTerms(preset) && (ignoresMargins(preset.head) || (close(preset.m1, values.m1) && close(preset.m2, values.m2) && close(preset.m3, values.m3))),
  );
}

/** Apply a preset's margin and head onto params; an unknown id leaves them as they are. */
export function withPreset(params: Params, presetId: string): Params {
  const preset = findPreset(presetId);
  if (!preset) return params;
  return { ...params, head: preset.head, m1: preset.m1, m2: preset.m2, m3: preset.m3, ...preset.terms };
}
