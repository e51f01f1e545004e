/**
 * Numerics sweep, file 1 of 4 (the files run in parallel; see numericsSweep.ts). No
 * case may produce NaN or Infinity in the loss (read every step), the features or W.
 */
import { beforeAll, expect, it } from 'vitest';
import { useNodeBackend } from '../headless';
import { casesForFile, runSweepFile } from './numericsSweep';

const FILE = 0;

beforeAll(async () => {
  await useNodeBackend('wasm');
});

it(`${casesForFile(FILE).length} sweep cases train past their warm-up on WASM with a finite loss every step and finite features and W`, async () => {
  const failures = await runSweepFile(FILE);
  expect(failures, `${failures.length} failing cases:\n${failures.slice(0, 20).join('\n')}`).toEqual([]);
}, 1_800_000);
