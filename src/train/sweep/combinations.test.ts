/**
 * The numerics sweep's plan, checked without training: its size, its corners, that
 * every case reaches its full margin, that both paths are swept, and that the files
 * split the cases without loss. The last test trains two short cases to show that the
 * runner does catch a non-finite value.
 */
import { describe, expect, it } from 'vitest';
import { PARAM_KEYS, SCHEMA } from '../../core/schema';
import { useNodeBackend } from '../headless';
import { needsObjective } from '../objective';
import {
  SNAPSHOT_EVERY,
  SWEEP_FILES,
  SWEEP_SIZE,
  atFullMargin,
  casesForFile,
  fullMarginSteps,
  paramsKey,
  runCase,
  sweepCases,
  sweepCombinations,
  type AfterStep,
  type SweepOutcome,
} from './numericsSweep';

const MARGIN_KEYS = ['m1', 'm2', 'm3', 's', 'lr'] as const;

describe('the numerics sweep plan', () => {
  const combos = sweepCombinations();
  const cases = sweepCases({});

  it(`has ${SWEEP_SIZE} distinct combinations that reach every schema minimum and maximum`, () => {
    expect(combos).toHaveLength(SWEEP_SIZE);
    expect(new Set(combos.map(({ params }) => paramsKey(params))).size).toBe(SWEEP_SIZE);
    for (const key of PARAM_KEYS) {
      const spec = SCHEMA[key];
      const values = new Set(combos.map(({ params }) => params[key]));
      if (spec.kind === 'number') {
        expect(values.has(spec.min), `${key} min`).toBe(true);
        expect(values.has(spec.max), `${key} max`).toBe(true);
        for (const value of values) {
          expect(value as number).toBeGreaterThanOrEqual(spec.min);
          expect(value as number).toBeLessThanOrEqual(spec.max);
        }
      } else if (spec.kind === 'boolean') {
        expect(values.size).toBe(2);
      } else {
        expect(values.size).toBe(spec.options.length);
      }
    }
  });

  it('has all 64 corners of (m1, m2, m3, s, lr) × fallback, each with no warm-up', () => {
    const corners = combos.filter(({ kind }) => kind === 'corner').map(({ params }) => params);
    const signatures = new Set(
      corners.map((params) => [...MARGIN_KEYS.map((key) => (params[key] === SCHEMA[key].max ? 'max' : params[key] === SCHEMA[key].min ? 'min' : 'mid')), params.fallback].join(',')),
    );
    expect(corners).toHaveLength(64);
    expect(signatures.size).toBe(64);
    for (const signature of signatures) expect(signature).not.toContain('mid');
    for (const params of corners) expect(params.warmupSteps).toBe(0);
  });

  it('trains every case at its full margin for its last steps, past any warm-up (2,000 included)', () => {
    for (const testCase of cases) {
      const full = fullMarginSteps(testCase.kind, {});
      expect(testCase.steps).toBe(testCase.params.warmupSteps + full);
      // The first step at the full margin is step `warmupSteps` (0-based), the last is steps − 1.
      expect(atFullMargin(testCase.params, testCase.steps - full), `${paramsKey(testCase.params)}`).toBe(true);
      if (testCase.params.warmupSteps > 0) expect(atFullMargin(testCase.params, testCase.params.warmupSteps - 1)).toBe(false);
    }
    expect(Math.max(...cases.map((testCase) => testCase.params.warmupSteps))).toBe(SCHEMA.warmupSteps.max);
  });

  it('sweeps corners and extremes on both the fused and the unfused path (unfused only where there is no fused one), random points on one each, alternating', () => {
    const paths = new Map<string, Set<boolean>>();
    for (const testCase of cases) {
      const key = paramsKey(testCase.params);
      paths.set(key, (paths.get(key) ?? new Set()).add(testCase.fused));
    }
    expect(paths.size).toBe(SWEEP_SIZE);
    for (const { params, kind } of combos) {
      const swept = paths.get(paramsKey(params));
      expect(swept?.size, `${kind} ${paramsKey(params)}`).toBe(kind === 'random' || needsObjective(params) ? 1 : 2);
      if (needsObjective(params)) expect(swept?.has(false), `${kind} ${paramsKey(params)} unfused`).toBe(true);
    }
    const random = cases.filter((testCase) => testCase.kind === 'random');
    const fusedShare = random.filter((testCase) => testCase.fused).length / random.length;
    expect(fusedShare).toBeGreaterThan(0.4);
    expect(fusedShare).toBeLessThan(0.6);
  });

  it(`splits the cases over ${SWEEP_FILES} files, each case in exactly one`, () => {
    const perFile = Array.from({ length: SWEEP_FILES }, (_, file) => casesForFile(file, cases));
    expect(perFile.reduce((total, file) => total + file.length, 0)).toBe(cases.length);
    expect(new Set(perFile.flat()).size).toBe(cases.length);
  });

  it('SWEEP_FULL_STEPS sets the steps at the full margin (the CI job); nonsense is ignored', () => {
    expect(fullMarginSteps('random', { SWEEP_FULL_STEPS: '300' })).toBe(300);
    expect(fullMarginSteps('corner', { SWEEP_FULL_STEPS: '300' })).toBe(300);
    expect(fullMarginSteps('corner', { SWEEP_FULL_STEPS: 'lots' })).toBe(fullMarginSteps('corner', {}));
    expect(fullMarginSteps('random', {})).toBeLessThan(fullMarginSteps('corner', {}));
  });
});

describe('the sweep runner', () => {
  it('stops at the first non-finite value: the loss read every step, or the snapshot check at its interval', async () => {
    await useNodeBackend('wasm');
    const [corner] = sweepCases({}).filter((testCase) => testCase.kind === 'corner');
    const plantNaNInW: AfterStep = async (trainer, step) => {
      if (step !== 7) return;
      const weights = await trainer.exportWeights();
      // W (the class weights) comes before the softmax bias in the exported list.
      weights[weights.length - 2][0] = Number.NaN;
      trainer.importWeights(weights);
    };
    const steps = SNAPSHOT_EVERY + 5;
    const results = new Map<boolean, SweepOutcome>();
    for (const fused of [true, false]) {
      const testCase = { ...corner, fused, steps };
      expect(await runCase(testCase)).toMatchObject({ trained: steps, failure: null });
      results.set(fused, await runCase(testCase, plantNaNInW));
    }
    // Planted after step 7: the fused loss turns NaN at step 8.
    expect(results.get(true)?.failure).toEqual({ step: 8, what: 'loss NaN' });
    // The unfused head clamps cos θ with clipByValue, which turns NaN into a bound, so
    // its loss stays finite: only the snapshot check sees the NaN W, at its interval.
    expect(results.get(false)?.failure).toEqual({ step: SNAPSHOT_EVERY, what: 'training features or W' });
  });
});
