/**
 * The body of each numerics sweep file: Vitest runs test files in parallel, so the sweep
 * is split into four files that differ only in which share of the cases they train.
 */
import { beforeAll, expect, it } from 'vitest';
import { useNodeBackend } from '../headless';
import { casesForFile, runSweepFile } from './numericsSweep';

export function sweepFileTests(file: number): void {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it(`${casesForFile(file).length} sweep cases train past their warm-up on WASM with a finite loss every step and finite features and W`, async () => {
    const failures = await runSweepFile(file);
    expect(failures, `${failures.length} failing cases:\n${failures.slice(0, 20).join('\n')}`).toEqual([]);
  }, 1_800_000);
}
