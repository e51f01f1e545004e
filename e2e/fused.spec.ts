/**
 * The fused WebGPU kernels: they agree with the unfused path, and they bring one Adam
 * step under 60 dispatches. Dispatch and readback counts do not depend on the machine,
 * so unlike timings they can be asserted.
 */
import { expect, test } from '@playwright/test';
import { AppPage } from './fixtures/appPage';

test('on WebGPU the fused kernels match the unfused path and a step takes at most 60 dispatches', async ({ page }) => {
  test.setTimeout(180_000);
  const app = new AppPage(page);
  await app.open('?backend=webgpu&debug=1&autoplay=0');
  await expect(app.backend).toHaveText('webgpu', { timeout: 60_000 });
  const report = await page.evaluate(() => window.__arcfaceDebug?.parity());
  expect(report?.backend).toBe('webgpu');
  expect(report?.ok).toBe(true);
  const fused = await page.evaluate(() => window.__arcfaceDebug?.measure({ steps: 3 }));
  expect(fused?.fused).toBe(true);
  expect(fused?.dispatchesPerStep).toBeLessThanOrEqual(60);

  await app.open('?backend=webgpu&debug=1&autoplay=0&fused=0');
  await expect(app.backend).toHaveText('webgpu', { timeout: 60_000 });
  const unfused = await page.evaluate(() => window.__arcfaceDebug?.measure({ steps: 3 }));
  expect(unfused?.fused).toBe(false);
  expect(unfused?.dispatchesPerStep ?? 0).toBeGreaterThan(fused?.dispatchesPerStep ?? Infinity);
  console.log(`dispatches per Adam step on WebGPU: fused ${fused?.dispatchesPerStep}, unfused ${unfused?.dispatchesPerStep}`);
});

test('training reads back at most once per drawn frame', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm&debug=1');
  await app.waitForStepAbove(100);
  const measured = await page.evaluate(() => window.__arcfaceDebug?.measure({ steps: 1 }) ?? null);
  if (!measured) throw new Error('window.__arcfaceDebug is missing: ?debug=1 must install the hooks');
  // Zero would mean nothing was counted (a broken counter), not a free frame.
  expect(measured.readbacksPerFrame).toBeGreaterThan(0);
  expect(measured.readbacksPerFrame).toBeLessThanOrEqual(1);
});
