import { describe, expect, it } from 'vitest';
import { CENTER_LOSS_LAMBDA, DEFAULT_PRESET_ID, NO_TERMS, PRESETS, findPreset, matchPreset, withPreset } from './presets';
import { SCHEMA, defaultParams } from './schema';

// The paper-notes table: [id, head, m1, m2, m3].
const PAPER: [string, 'margin' | 'softmax', number, number, number][] = [
  ['softmax', 'softmax', 1, 0, 0],
  ['norm-softmax', 'margin', 1, 0, 0],
  ['sphereface', 'margin', 1.35, 0, 0],
  ['cosface', 'margin', 1, 0, 0.35],
  ['arcface', 'margin', 1, 0.5, 0],
  ['arcface-0.4', 'margin', 1, 0.4, 0],
  ['arcface-0.45', 'margin', 1, 0.45, 0],
  ['arcface-0.55', 'margin', 1, 0.55, 0],
  ['cm1', 'margin', 1, 0.3, 0.2],
  ['cm2', 'margin', 0.9, 0.4, 0.15],
];

// Sec. 3.4's rows of Table 2, the slides' centre loss, the original SphereFace and the later margins (issue 14): [id, head, m2, terms].
const BEYOND: [string, string, number, Partial<typeof NO_TERMS>][] = [
  ['ns-intra', 'margin', 0, { intra: 1 }],
  ['ns-inter', 'margin', 0, { inter: 1 }],
  ['ns-intra-inter', 'margin', 0, { intra: 1, inter: 1 }],
  ['triplet', 'triplet', 0, { triplet: 1 }],
  ['arcface-intra', 'margin', 0.5, { intra: 1 }],
  ['arcface-inter', 'margin', 0.5, { inter: 1 }],
  ['arcface-intra-inter', 'margin', 0.5, { intra: 1, inter: 1 }],
  ['arcface-triplet', 'margin', 0.5, { triplet: 1 }],
  ['center', 'softmax', 0, { center: CENTER_LOSS_LAMBDA }],
  ['sphereface-m4', 'sphereface4', 0, {}],
  ['curricularface', 'curricularface', 0.5, {}],
  ['adaface', 'adaface', 0.4, {}],
  ['elasticface', 'elasticface', 0.5, {}],
  ['magface', 'magface', 0, {}],
];

describe('PRESETS', () => {
  it.each(PAPER)('%s has head %s and margin (%d, %d, %d)', (id, head, m1, m2, m3) => {
    const preset = findPreset(id);
    expect(preset).toBeDefined();
    expect(preset).toMatchObject({ id, head, m1, m2, m3 });
  });

  it('has exactly the paper presets, then the other losses and margins, with unique ids', () => {
    expect(PRESETS.map((preset) => preset.id)).toEqual([...PAPER.map(([id]) => id), ...BEYOND.map(([id]) => id)]);
    expect(new Set(PRESETS.map((preset) => preset.id)).size).toBe(PRESETS.length);
  });

  it.each(BEYOND)('%s has head %s, m2 %d and its terms, every other term off', (id, head, m2, terms) => {
    expect(findPreset(id)).toMatchObject({ head, m2, terms: { ...NO_TERMS, ...terms } });
  });

  it('choosing a preset sets its terms and clears the previous preset’s', () => {
    const intra = withPreset(defaultParams(), 'ns-intra-inter');
    expect(intra).toMatchObject({ head: 'margin', m2: 0, intra: 1, inter: 1, triplet: 0, center: 0 });
    expect(withPreset(intra, 'arcface')).toMatchObject({ m2: 0.5, intra: 0, inter: 0 });
    expect(withPreset(intra, 'center')).toMatchObject({ head: 'softmax', intra: 0, inter: 0, center: CENTER_LOSS_LAMBDA });
  });

  it('the default preset exists', () => {
    expect(findPreset(DEFAULT_PRESET_ID)?.id).toBe('arcface');
  });

  it('every preset margin lies inside the schema ranges', () => {
    for (const preset of PRESETS) {
      expect(preset.m1, preset.id).toBeGreaterThanOrEqual(SCHEMA.m1.min);
      expect(preset.m1, preset.id).toBeLessThanOrEqual(SCHEMA.m1.max);
      expect(preset.m2, preset.id).toBeGreaterThanOrEqual(SCHEMA.m2.min);
      expect(preset.m2, preset.id).toBeLessThanOrEqual(SCHEMA.m2.max);
      expect(preset.m3, preset.id).toBeGreaterThanOrEqual(SCHEMA.m3.min);
      expect(preset.m3, preset.id).toBeLessThanOrEqual(SCHEMA.m3.max);
    }
  });

  it('findPreset returns undefined for an unknown id', () => {
    expect(findPreset('nope')).toBeUndefined();
  });
});

describe('matchPreset', () => {
  it('finds every preset from its own values', () => {
    for (const preset of PRESETS) expect(matchPreset({ ...preset, ...preset.terms })?.id).toBe(preset.id);
  });

  it('tolerates float noise from sliders: 0.1 + 0.2 + 0.05 matches CosFace 0.35', () => {
    expect(matchPreset({ head: 'margin', m1: 1, m2: 0, m3: 0.1 + 0.2 + 0.05 })?.id).toBe('cosface');
  });

  it('returns undefined for a custom setting', () => {
    expect(matchPreset({ head: 'margin', m1: 1, m2: 0.3, m3: 0 })).toBeUndefined();
    expect(matchPreset({ head: 'margin', m1: 1.35, m2: 0.5, m3: 0 })).toBeUndefined();
  });

  it('the softmax head matches Softmax whatever the margin sliders say', () => {
    expect(matchPreset({ head: 'softmax', m1: 1.7, m2: 0.9, m3: 0.4 })?.id).toBe('softmax');
  });

  it('the terms tell presets with the same margin apart, and an unknown weight is custom', () => {
    expect(matchPreset({ head: 'margin', m1: 1, m2: 0.5, m3: 0 })?.id).toBe('arcface');
    expect(matchPreset({ head: 'margin', m1: 1, m2: 0.5, m3: 0, inter: 1 })?.id).toBe('arcface-inter');
    expect(matchPreset({ head: 'margin', m1: 1, m2: 0.5, m3: 0, inter: 0.5 })).toBeUndefined();
    // The triplet's margin counts only where the triplet term is on.
    expect(matchPreset({ head: 'margin', m1: 1, m2: 0.5, m3: 0, tripletMargin: 0.1 })?.id).toBe('arcface');
    expect(matchPreset({ head: 'triplet', m1: 1, m2: 0, m3: 0, triplet: 1, tripletMargin: 0.1 })).toBeUndefined();
  });
});
