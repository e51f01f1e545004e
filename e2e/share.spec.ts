import { expect, test } from '@playwright/test';
import { AppPage } from './fixtures/appPage';

test('a shared link with steps restores the same parameters and, on the CPU backend, the same features', async ({ page, context }) => {
  const app = new AppPage(page);
  await app.open('?backend=cpu&preset=cosface&m2=0.1&seed=3&n=40&steps=30');
  await expect.poll(() => app.step(), { timeout: 60_000 }).toBe(30);
  await expect(app.play).toHaveText('Play');
  await expect(app.param('m3')).toHaveValue('0.35');
  await expect(app.param('m2')).toHaveValue('0.1');
  const original = await app.exportSnapshot();

  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-text').inputValue();
  expect(link).toContain('steps=30');
  expect(link).toContain('m2=0.1');

  const second = new AppPage(await context.newPage());
  await second.page.goto(link);
  await expect.poll(() => second.step(), { timeout: 60_000 }).toBe(30);
  await expect(second.param('m2')).toHaveValue('0.1');
  const restored = await second.exportSnapshot();
  expect(restored.params).toEqual(original.params);
  expect(restored.step).toBe(30);
  expect(restored.features).toEqual(original.features);
  expect(restored.weights).toEqual(original.weights);
});

test('the address bar follows the controls without adding history entries', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm');
  const historyLength = await page.evaluate(() => history.length);
  await app.param('m2').fill('0.35');
  await app.param('m2').press('Enter');
  await expect.poll(() => page.url()).toContain('m2=0.35');
  expect(await page.evaluate(() => history.length)).toBe(historyLength);
});

test('reset to link brings back what the link said', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm&preset=sphereface');
  await app.param('m1').fill('1.8');
  await app.param('m1').press('Enter');
  await expect(page.getByTestId('status-preset')).toHaveText('custom');
  await page.getByTestId('reset-to-link').click();
  await expect(app.param('m1')).toHaveValue('1.35');
  await expect(page.getByTestId('status-preset')).toHaveText(/SphereFace/);
});

test('a bad link is corrected and the notice says what was changed', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm&m2=banana&s=1000');
  await expect(page.getByTestId('notices')).toContainText('m2 must be a number');
  await expect(page.getByTestId('notices')).toContainText('clamped to 128');
  await expect(app.param('s')).toHaveValue('128');
  await app.waitForStepAbove(0);
  await page.getByRole('button', { name: 'Dismiss this notice' }).click();
  await expect(page.getByTestId('notices')).toHaveCount(0);
});

test('copy embed code gives an iframe snippet with embed=1', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm&preset=cm1');
  await page.getByTestId('copy-embed').click();
  const snippet = await page.getByTestId('share-text').inputValue();
  expect(snippet).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?preset=cm1&amp;.*embed=1.*" .*title="ArcFace Playground".*><\/iframe>$/);
});
