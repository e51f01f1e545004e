/**
 * Soak: trains SOAK_STEPS steps (2,000 in CI; `SOAK_STEPS=20000 npm run test:e2e --
 * soak` for the full run) on WASM, switching presets every 500 steps and resetting every
 * 5,000 (every half of a short run), and records tf.memory() and the JS heap every
 * 1,000 steps (every 250 in a short run). After the first sample (warm-up: lazy
 * kernels, the first snapshot's buffers), the tensor count must not move at all, and
 * the heap, after a forced GC, must show no upward trend. The curve is printed and
 * written to test-results/soak.json.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { AppPage } from './fixtures/appPage';

const TOTAL = Number(process.env.SOAK_STEPS ?? 2000);
const RESET_EVERY = Math.min(5000, TOTAL / 2);
const SAMPLE_EVERY = TOTAL >= 10000 ? 1000 : 250;
const PRESETS = ['arcface', 'cosface', 'sphereface', 'cm1', 'cm2', 'norm-softmax'];
/** Samples before this many steps are warm-up and not held to the flat-memory bounds. */
const WARM_UP_STEPS = SAMPLE_EVERY;
/**
 * The heap after GC wanders by a few MB (README: 7.4–12.0 MB over 20,000 steps; a
 * healthy 2,000-step run here fitted +0.4 MB per 1,000 steps). Keeping every snapshot
 * the page receives (~70 kB, ~60 frames per 1,000 steps at speed 16) adds ~4 MB per
 * 1,000 steps; the fitted trend must stay under half of that.
 */
const HEAP_TREND_LIMIT_BYTES_PER_1000_STEPS = 2e6;

interface Sample {
  done: number;
  numTensors: number;
  numBytes: number;
  heap: number;
}

type MemoryReading = { ok: true; numTensors: number; numBytes: number; heap: number } | { ok: false; missing: string };

/** tf.memory() from the worker and the page's heap after GC; says what is missing rather than inventing a number. */
async function readMemory(page: Page): Promise<MemoryReading> {
  return page.evaluate(async (): Promise<MemoryReading> => {
    const hook = window.__arcfaceDebug;
    if (!hook) return { ok: false, missing: 'window.__arcfaceDebug (is ?debug=1 still installing the hooks?)' };
    const tensors = await hook.memory();
    if (typeof tensors?.numTensors !== 'number' || typeof tensors.numBytes !== 'number') return { ok: false, missing: 'numTensors/numBytes from __arcfaceDebug.memory()' };
    const gc = (window as unknown as { gc?: () => void }).gc;
    if (!gc) return { ok: false, missing: 'window.gc (Chromium needs --js-flags=--expose-gc, GC_FLAGS in e2e/browser.ts)' };
    // Measure live memory, not garbage waiting for the collector.
    gc();
    const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
    if (typeof heap !== 'number') return { ok: false, missing: 'performance.memory.usedJSHeapSize' };
    return { ok: true, numTensors: tensors.numTensors, numBytes: tensors.numBytes, heap };
  });
}

/** Least-squares slope of y against x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.x - meanX) * (point.y - meanY);
    variance += (point.x - meanX) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

test(`soak: ${TOTAL} steps with preset changes and resets keep memory flat`, async ({ page }) => {
  test.setTimeout(Math.max(120_000, TOTAL * 60));
  const app = new AppPage(page);
  await app.open('?backend=wasm&debug=1&speed=16');
  await app.waitForStepAbove(0);
  const samples: Sample[] = [];
  let doneBeforeReset = 0;
  let nextPreset = 0;
  let nextSwitch = 500;
  let nextReset = RESET_EVERY;
  let nextSample = SAMPLE_EVERY;
  for (;;) {
    const done = doneBeforeReset + (await app.step());
    if (done >= nextSample) {
      const reading = await readMemory(page);
      if (!reading.ok) throw new Error(`The soak cannot measure memory: ${reading.missing} is missing.`);
      samples.push({ done, numTensors: reading.numTensors, numBytes: reading.numBytes, heap: reading.heap });
      nextSample += SAMPLE_EVERY;
    }
    if (done >= TOTAL) break;
    if (done >= nextSwitch) {
      await app.preset.selectOption(PRESETS[nextPreset++ % PRESETS.length]);
      nextSwitch += 500;
    }
    if (done >= nextReset) {
      await app.play.click();
      await expect(app.play).toHaveText('Play');
      doneBeforeReset += await app.step();
      await app.resetButton.click();
      await expect.poll(() => app.step()).toBe(0);
      await app.play.click();
      nextReset += RESET_EVERY;
    }
    await page.waitForTimeout(100);
  }
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/soak.json', JSON.stringify(samples, null, 1));
  console.log(`soak ${TOTAL} steps:\n${samples.map((s) => `${s.done}\ttensors ${s.numTensors}\tbytes ${s.numBytes}\theap ${(s.heap / 1e6).toFixed(1)} MB`).join('\n')}`);

  const steady = samples.filter((sample) => sample.done > WARM_UP_STEPS);
  expect(steady.length, 'samples after warm-up').toBeGreaterThanOrEqual(4);
  // A model, its optimiser state and the data are held as tensors: none means the reading is not real.
  expect(steady[0].numTensors, 'live tensors during training').toBeGreaterThan(0);
  expect(steady[0].numBytes, 'live tensor bytes during training').toBeGreaterThan(0);
  expect(steady[0].heap, 'JS heap').toBeGreaterThan(1e6);
  expect([...new Set(steady.map((sample) => sample.numTensors))], 'numTensors must stay exactly flat after warm-up').toEqual([steady[0].numTensors]);
  expect([...new Set(steady.map((sample) => sample.numBytes))], 'tensor bytes must stay exactly flat after warm-up').toEqual([steady[0].numBytes]);
  const heapTrend = slope(steady.map((sample) => ({ x: sample.done / 1000, y: sample.heap })));
  console.log(`heap trend after warm-up: ${(heapTrend / 1e3).toFixed(0)} kB per 1,000 steps`);
  expect(heapTrend, 'heap trend, bytes per 1,000 steps').toBeLessThan(HEAP_TREND_LIMIT_BYTES_PER_1000_STEPS);
  const heaps = steady.map((sample) => sample.heap);
  expect(Math.max(...heaps) - Math.min(...heaps), 'heap range after warm-up').toBeLessThan(8e6);
  expect(app.errors).toEqual([]);
});
