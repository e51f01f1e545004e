import { expect, test } from '@playwright/test';
import { AppPage } from './fixtures/appPage';

test('a forced divergence pauses training, keeps the last good picture, and offers a way out', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm&debug=1');
  await app.waitForStepAbove(20);
  await page.evaluate(() => window.__arcfaceDebug?.poison());
  await expect(page.getByTestId('divergence')).toContainText('Training diverged');
  await expect(app.play).toHaveText('Play');
  // The status still shows the last finite numbers, never NaN.
  await expect(app.loss).not.toHaveText(/NaN/);
  await expect(page.getByTestId('stat-intraTrain')).not.toHaveText(/NaN/);
  await page.getByTestId('lower-lr').click();
  await expect(page.getByTestId('divergence')).toHaveCount(0);
  await expect(app.param('m1')).toHaveValue('1');
  await expect(page.getByTestId('param-lr')).toHaveValue('0.001');
  await app.waitForStepAbove(5);
  expect(app.errors).toEqual([]);
});

test('when the WebGPU device is lost, training goes on on another backend from the last weights, with a notice', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=webgpu&debug=1&speed=2');
  await expect(app.backend).toHaveText('webgpu', { timeout: 60_000 });
  await app.waitForStepAbove(6);
  await page.evaluate(() => window.__arcfaceDebug?.loseDevice());
  await expect(app.backend).not.toHaveText('webgpu', { timeout: 30_000 });
  await expect(page.getByTestId('notices')).toContainText(/webgpu stopped working/i);
  const after = await app.step();
  expect(after).toBeGreaterThan(0);
  await app.waitForStepAbove(after);
  expect(app.errors).toEqual([]);
});

test('a hidden page stops training and a shown one resumes', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm');
  await app.waitForStepAbove(10);
  const setHidden = (hidden: boolean) => page.evaluate((value) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  await setHidden(true);
  await page.waitForTimeout(400);
  const hiddenAt = await app.step();
  await page.waitForTimeout(1200);
  expect(await app.step()).toBeLessThanOrEqual(hiddenAt + 8);
  await setHidden(false);
  await app.waitForStepAbove(hiddenAt + 20);
});

test('the built site carries a CSP without unsafe-eval, and training and export run under it with no violation', async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const app = new AppPage(page);
  for (const backend of ['wasm', 'webgpu', 'cpu']) {
    await app.open(`?backend=${backend}`);
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toBeTruthy();
    expect(policy).not.toMatch(/(^|\s)'unsafe-eval'/);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    await app.waitForStepAbove(2, 60_000);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-circle-png').click({ force: true })]);
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
  }
});
