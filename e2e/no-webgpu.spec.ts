import { expect, test } from '@playwright/test';
import { AppPage } from './fixtures/appPage';

test('without WebGPU the app falls back, says which backend and why, and trains', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('');
  await expect(app.backend).toHaveText(/^(webgl|wasm|cpu)$/, { timeout: 60_000 });
  await expect(app.backendReason).toContainText(/WebGPU/i);
  await app.waitForStepAbove(0);
});
