import type { HeadName, Params } from './schema';

/** The margin settings of the paper's Table 2 (and Fig. 4b). */
export interface Preset {
  id: string;
  label: string;
  head: HeadName;
  m1: number;
  m2: number;
  m3: number;
}

export const PRESETS: readonly Preset[] = [
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
];

export const DEFAULT_PRESET_ID = 'arcface';

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((preset) => preset.id === id);
}

/** The preset whose values these are, or undefined for a custom setting. */
export function matchPreset(values: { head: HeadName; m1: number; m2: number; m3: number }): Preset | undefined {
  const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;
  return PRESETS.find((preset) => preset.head === values.head && (preset.head === 'softmax' || (close(preset.m1, values.m1) && close(preset.m2, values.m2) && close(preset.m3, values.m3))));
}

/** Apply a preset's margin and head onto params; an unknown id leaves them as they are. */
export function withPreset(params: Params, presetId: string): Params {
  const preset = findPreset(presetId);
  if (!preset) return params;
  return { ...params, head: preset.head, m1: preset.m1, m2: preset.m2, m3: preset.m3 };
}
