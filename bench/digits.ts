/**
 * Training speed on the handwritten digits (issue 13): steps/s per backend for
 * `data=digits` at the prototype's settings (600 images per digit, batch 256, lr 0.003),
 * each in a fresh page that fetches, checks and decodes the 5 MB asset before its first
 * step. A digits step is 784 inputs wide against the synthetic data's 32, so its first
 * layer is about 25 times the work; the ratio to the default throughput says how much
 * that costs on each backend.
 *
 * bench/run.ts does not call this yet; see `measureDigits` for the two lines that wire it.
 */
import type { Browser } from '@playwright/test';
import type { Guarded } from './compare';
import { BACKENDS, measureThroughput, type Backend, type ThroughputResult, type Timing } from './measure';
import { failed, type Outcome } from './report';

/** The prototype: 600 training images per digit, batch 256, Adam at lr 0.003. */
export const DIGITS_DATA = { data: 'digits', n: '600', batch: '256', lr: '0.003' } as const;

export type DigitsResults = Partial<Record<Backend, Outcome<ThroughputResult> | 'skipped'>>;

/**
 * Steps/s on each backend for the digits. To run it with the rest, in bench/run.ts's
 * main(): `const digits = await measureDigits(browser, TIMING, guarded);` after the
 * throughput loop, put `digits` into BenchResults, and append `renderDigits(digits)`
 * to the Markdown; or, as `--digits-only`, `partOnly('digits', (browser) =>
 * measureDigits(browser, TIMING, guarded), renderDigits)`.
 */
export async function measureDigits(browser: Browser, timing: Timing, guarded: Guarded, backends: readonly Backend[] = BACKENDS): Promise<DigitsResults> {
  const results: DigitsResults = {};
  for (const backend of backends) {
    results[backend] = await guarded(`digits: throughput ${backend}, 8 digits × 600, batch 256`, () => measureThroughput(browser, 'digits', backend, DIGITS_DATA, timing));
  }
  return results;
}

const num = (value: number | null | undefined, digits = 1): string => (value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));

/** The Markdown table of bench/results: one row per backend. */
export function renderDigits(results: DigitsResults): string[] {
  const lines = [
    '## Handwritten digits (data=digits)',
    '',
    '8 digits × 600 images, 784 inputs, batch 256 (`?data=digits&n=600&batch=256&lr=0.003`).',
    '',
    '| backend | steps/s | ms/step | note |',
    '|---|---|---|---|',
  ];
  for (const backend of BACKENDS) {
    const outcome = results[backend];
    if (outcome === undefined) continue;
    if (outcome === 'skipped') lines.push(`| ${backend} | – | – | skipped (time budget) |`);
    else if (failed(outcome)) lines.push(`| ${backend} | – | – | ${outcome.error} |`);
    else if (!outcome.available) lines.push(`| ${backend} | – | – | not available: ${outcome.reason} |`);
    else lines.push(`| ${backend} | ${num(outcome.rate?.stepsPerSecond)} | ${num(outcome.msPerStep)} | ${outcome.errors.length > 0 ? outcome.errors.join('; ') : ''} |`);
  }
  return lines;
}
