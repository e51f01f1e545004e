/**
 * Numerics sweep, half 2 of 2 (the halves run in parallel): 1 = even, 1 = odd
 * combinations. No combination may produce NaN or Infinity in the loss, features or W.
 */
import { beforeAll, expect, it } from 'vitest';
import { useNodeBackend } from '../headless';
import { runCombination, sweepCombinations, SWEEP_STEPS } from './numericsSweep';

const HALF = 1;
const combos = sweepCombinations().filter((_, index) => index % 2 === HALF);

beforeAll(async () => {
  await useNodeBackend('cpu');
});

it(`${combos.length} parameter combinations train ${SWEEP_STEPS} steps on the CPU backend with finite loss, features and W`, async () => {
  const failures: string[] = [];
  for (const params of combos) {
    const outcome = await runCombination(params);
    if (!outcome.finite) failures.push(JSON.stringify(params));
  }
  expect(failures).toEqual([]);
}, 3_600_000);
