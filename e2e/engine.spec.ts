import { expect, test } from '@playwright/test';
import { AppPage } from './fixtures/appPage';

test('trains on WebGPU when asked: the page says webgpu and the step count rises', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=webgpu');
  await expect(app.backend).toHaveText('webgpu', { timeout: 60_000 });
  const first = await app.waitForStepAbove(0);
  await app.waitForStepAbove(first);
  expect(Number(await app.loss.textContent())).toBeGreaterThan(0);
});

test('with no backend asked for, the page picks one and says why', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('');
  await expect(app.backend).toHaveText(/^(webgpu|webgl|wasm|cpu)$/, { timeout: 60_000 });
  await expect(app.backendReason).not.toBeEmpty();
  await app.waitForStepAbove(0);
});

test('pause stops the step count', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm');
  await app.waitForStepAbove(5);
  await app.play.click();
  await expect(app.play).toHaveText('Play');
  const paused = await app.step();
  await page.waitForTimeout(800);
  // One chunk may already have been in flight when the click landed.
  expect(await app.step()).toBeLessThanOrEqual(paused + 10);
});
