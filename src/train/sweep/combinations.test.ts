import { expect, it } from 'vitest';
import { PARAM_KEYS, SCHEMA } from '../../core/schema';
import { SWEEP_SIZE, sweepCombinations } from './numericsSweep';

it('the sweep has 500 combinations that reach every schema minimum and maximum', () => {
  const combos = sweepCombinations();
  expect(combos).toHaveLength(SWEEP_SIZE);
  for (const key of PARAM_KEYS) {
    const spec = SCHEMA[key];
    const values = new Set(combos.map((params) => params[key]));
    if (spec.kind === 'number') {
      expect(values.has(spec.min), `${key} min`).toBe(true);
      expect(values.has(spec.max), `${key} max`).toBe(true);
      for (const value of values) expect(value as number).toBeGreaterThanOrEqual(spec.min);
    } else if (spec.kind === 'boolean') {
      expect(values.size).toBe(2);
    } else {
      expect(values.size).toBe(spec.options.length);
    }
  }
});
