/**
 * Soak: trains SOAK_STEPS steps (2,000 in CI; `SOAK_STEPS=20000 npm run test:e2e --
 * soak` for the full run) on WASM, switching presets every 500 steps and resetting every
 * 5,000 (every half of a short run), and records tf.memory() and the JS heap every
 * 1,000 steps (every 250 in a short run). Tensors must not grow; bytes and heap must
 * level off. The curve is printed and written to test-results/soak.json.
 */
import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { AppPage } from './fixtures/appPage';

const TOTAL = Number(process.env.SOAK_STEPS ?? 2000);
const RESET_EVERY = Math.min(5000, TOTAL / 2);
const SAMPLE_EVERY = TOTAL >= 10000 ? 1000 : 250;
const PRESETS = ['arcface', 'cosface', 'sphereface', 'cm1', 'cm2', 'norm-softmax'];

interface Sample { done: number; numTensors: number; numBytes: number; heap: number }

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
      const memory = await page.evaluate(async () => {
        const tensors = await window.__arcfaceDebug?.memory();
        // Measure live memory, not garbage waiting for the collector (needs --expose-gc).
        (window as unknown as { gc?: () => void }).gc?.();
        const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
        return { numTensors: tensors?.numTensors ?? -1, numBytes: tensors?.numBytes ?? -1, heap };
      });
      samples.push({ done, ...memory });
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
  expect(samples.length).toBeGreaterThanOrEqual(4);
  const tensorCounts = new Set(samples.map((sample) => sample.numTensors));
  expect([...tensorCounts], 'numTensors must not grow').toHaveLength(1);
  const second = samples.slice(Math.floor(samples.length / 2));
  expect(Math.max(...second.map((s) => s.numBytes)) - Math.min(...second.map((s) => s.numBytes)), 'tensor bytes level off').toBe(0);
  // The heap moves with the garbage collector; over the second half it must not trend up by more than a few MB.
  const heapRise = second[second.length - 1].heap - second[0].heap;
  expect(heapRise).toBeLessThan(4e6);
  expect(app.errors).toEqual([]);
});
