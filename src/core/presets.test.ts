import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET_ID, PRESETS, findPreset, matchPreset } from './presets';
import { SCHEMA } from './schema';

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

describe('PRESETS', () => {
  it.each(PAPER)('%s has head %s and margin (%d, %d, %d)', (id, head, m1, m2, m3) => {
    const preset = findPreset(id);
    expect(preset).toBeDefined();
    expect(preset).toMatchObject({ id, head, m1, m2, m3 });
  });

  it('has exactly the paper presets, with unique ids', () => {
    expect(PRESETS.map((preset) => preset.id)).toEqual(PAPER.map(([id]) => id));
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
    for (const preset of PRESETS) expect(matchPreset(preset)?.id).toBe(preset.id);
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
});
