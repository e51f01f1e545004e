import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from './rng';

const draws = (seed: number, count: number): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.next());
};

describe('createRng', () => {
  it('the same seed gives the same sequence', () => {
    expect(draws(42, 100)).toEqual(draws(42, 100));
    const a = createRng(7);
    const b = createRng(7);
    for (let i = 0; i < 50; i++) expect(a.normal()).toBe(b.normal());
  });

  it('different seeds give different sequences', () => {
    expect(draws(1, 10)).not.toEqual(draws(2, 10));
    expect(draws(0, 10)).not.toEqual(draws(1, 10));
  });

  it('next() is uniform in [0, 1): mean ≈ 1/2, variance ≈ 1/12', () => {
    const values = draws(3, 20000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.005);
  });

  it('normal() has mean ≈ 0 and variance ≈ 1 over 20000 draws', () => {
    const rng = createRng(11);
    const values = Array.from({ length: 20000 }, () => rng.normal());
    expect(values.every(Number.isFinite)).toBe(true);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
    // Standard errors: 1/√20000 ≈ 0.007 for the mean, √(2/20000) ≈ 0.01 for the variance.
    expect(Math.abs(mean)).toBeLessThan(0.04);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('int(n) stays in [0, n) and hits every value', () => {
    const rng = createRng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) seen.add(rng.int(7));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('deriveSeed', () => {
  it('is deterministic and differs per stream and per seed', () => {
    expect(deriveSeed(1, 'data')).toBe(deriveSeed(1, 'data'));
    expect(deriveSeed(1, 'data')).not.toBe(deriveSeed(1, 'init'));
    expect(deriveSeed(1, 'data')).not.toBe(deriveSeed(1, 'batches'));
    expect(deriveSeed(1, 'data')).not.toBe(deriveSeed(2, 'data'));
  });

  it('gives an unsigned 32-bit integer', () => {
    for (const seed of [0, 1, 999999]) {
      const derived = deriveSeed(seed, 'data');
      expect(Number.isInteger(derived)).toBe(true);
      expect(derived).toBeGreaterThanOrEqual(0);
      expect(derived).toBeLessThan(2 ** 32);
    }
  });

  it('derived streams give different sequences', () => {
    expect(draws(deriveSeed(1, 'data'), 10)).not.toEqual(draws(deriveSeed(1, 'init'), 10));
  });
});
