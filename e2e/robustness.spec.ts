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

test('when the WebGPU device is lost, training goes on on another backend from its last checkpoint, with a notice', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=webgpu&debug=1&speed=2');
  await expect(app.backend).toHaveText('webgpu', { timeout: 60_000 });
  // Train past the step-0 checkpoint: the worker takes one every 2 s of training.
  const rateFrom = { step: await app.waitForStepAbove(2), at: Date.now() };
  await page.waitForTimeout(3_000);
  const before = await app.step();
  const stepsPerSecond = (before - rateFrom.step) / ((Date.now() - rateFrom.at) / 1000);
  expect(stepsPerSecond, 'WebGPU trains before the loss').toBeGreaterThan(0);

  // Every step the counter shows from now on, with the backend shown beside it, so the
  // first snapshot after the move is seen even if it is soon replaced.
  await page.evaluate(() => {
    const seen: { backend: string; step: number }[] = [];
    (window as unknown as { __stepsSeen: typeof seen }).__stepsSeen = seen;
    const stepElement = document.querySelector('[data-testid="status-step"]');
    const backendElement = document.querySelector('[data-testid="status-backend"]');
    if (!stepElement || !backendElement) throw new Error('the status line is missing');
    new MutationObserver(() => seen.push({ backend: backendElement.textContent ?? '', step: Number(stepElement.textContent) })).observe(stepElement, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  await page.evaluate(() => window.__arcfaceDebug?.loseDevice());
  await expect(app.backend).not.toHaveText('webgpu', { timeout: 30_000 });
  const notices = page.getByTestId('notices');
  await expect(notices).toContainText(/webgpu stopped working/i);
  await expect(notices).toContainText(/from step \d+/);
  const resumedFrom = Number(/from step (\d+)/.exec((await notices.textContent()) ?? '')?.[1]);
  // The checkpoint is at most 2 s (plus a frame or two) of training behind the step
  // shown before the loss, and at most a frame ahead of it (training runs a frame ahead).
  const slack = Math.ceil(stepsPerSecond * 2.5) + 4;
  console.log(`device lost at step ${before} (${stepsPerSecond.toFixed(1)} steps/s); resumed from step ${resumedFrom}`);
  expect(resumedFrom, 'resumed from a checkpoint past step 0').toBeGreaterThan(0);
  expect(resumedFrom, 'checkpoint at most ~2 s of training behind').toBeGreaterThanOrEqual(before - slack);
  expect(resumedFrom, 'checkpoint not ahead of what was trained').toBeLessThanOrEqual(before + slack);

  const afterMove = await app.waitForStepAbove(resumedFrom);
  await app.waitForStepAbove(afterMove);
  const seen = await page.evaluate(() => (window as unknown as { __stepsSeen: { backend: string; step: number }[] }).__stepsSeen);
  const onNewBackend = seen.filter((entry) => entry.backend !== 'webgpu');
  expect(onNewBackend.length, 'snapshots seen after the move').toBeGreaterThan(0);
  expect(onNewBackend[0].step, 'the first snapshot after the move continues from the checkpoint').toBeGreaterThanOrEqual(resumedFrom);
  expect(Math.min(...onNewBackend.map((entry) => entry.step)), 'no snapshot after the move goes back towards 0').toBeGreaterThanOrEqual(resumedFrom);
  expect(app.errors).toEqual([]);
});

test('a hidden page stops training and a shown one resumes', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm');
  await app.waitForStepAbove(10);
  const setHidden = (hidden: boolean) =>
    page.evaluate((value) => {
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
