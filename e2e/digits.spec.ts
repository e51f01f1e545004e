/**
 * Handwritten digits (issue 13): a digits link trains on the built asset, a hovered point
 * shows its image, Table 3 gets its train, test and unseen columns; a missing or cut
 * asset is one notice and the synthetic data train on. CPU backend, few steps: a digits
 * step is 784 inputs wide, and 20 images per digit keep each frame small.
 */
import { expect, test } from '@playwright/test';
import { DigitsPage } from './fixtures/digitsPage';

const DIGITS_LINK = '?data=digits&backend=cpu&n=20&lr=0.005';

test('a digits link trains on the digits; hover shows the digit, its identity, θ_y and the rival gap', async ({ page }) => {
  const digits = new DigitsPage(page);
  const asset: string[] = [];
  page.on('request', (request) => {
    if (/\/digits-[0-9a-f]{12}\.bin$/.test(request.url())) asset.push(request.url());
  });
  await digits.open(DIGITS_LINK);
  await digits.waitForStepAbove(5);
  expect(asset.length, 'the worker fetched the asset').toBeGreaterThanOrEqual(1);
  await expect(digits.panel('circle').locator('canvas').first()).toHaveAttribute('data-points', '160');
  await expect(digits.panel('stats')).toHaveAttribute('data-table', 'digits');
  await expect(digits.statCell('test', 'intra')).toHaveAttribute('data-value', /\d/);
  await expect(digits.statCell('unseen', 'verification')).toHaveAttribute('data-value', /\d/);
  await digits.play.click();
  await expect(digits.play).toHaveText('Play');
  await digits.hoverAPoint();
  await expect(digits.tooltip).toContainText('identity');
  await expect(digits.tooltip).toContainText('gap to nearest rival');
  await expect(digits.thumbnail).toBeVisible();
  const identity = Number((await digits.tooltip.textContent())?.match(/identity (\d)/)?.[1]);
  await expect(digits.thumbnail).toHaveAttribute('aria-label', `handwritten ${identity}`);
  expect(await digits.thumbnailShades(), 'the thumbnail holds a drawn digit, not a blank square').toBeGreaterThan(8);
  expect(digits.errors).toEqual([]);
});

test('the default link never fetches the digits; choosing them in the controls does, and the link follows', async ({ page }) => {
  const digits = new DigitsPage(page);
  const asset: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('digits-')) asset.push(request.url());
  });
  await digits.open('?backend=cpu');
  await digits.waitForStepAbove(3);
  await expect(digits.panel('stats')).not.toHaveAttribute('data-table', 'digits');
  expect(asset).toEqual([]);
  await page.getByTestId('data').selectOption('digits');
  // The digits table needs the digits: they were fetched and decoded.
  await expect(digits.panel('stats')).toHaveAttribute('data-table', 'digits');
  await digits.play.click();
  await expect(digits.play).toHaveText('Play');
  await digits.hoverAPoint();
  await expect(digits.thumbnail).toBeVisible();
  await expect.poll(() => new URL(page.url()).searchParams.get('data')).toBe('digits');
});

for (const broken of [
  { name: 'missing (404)', status: 404, body: () => Buffer.from('Not found'), says: 'the file was not found (HTTP 404)' },
  { name: 'truncated', status: 200, body: (real: Buffer | null) => (real ?? Buffer.alloc(0)).subarray(0, 100_000), says: 'cut short' },
]) {
  test(`a ${broken.name} asset is one notice, and the synthetic data train on`, async ({ page }) => {
    const digits = new DigitsPage(page);
    await digits.serveAsset(broken.status, broken.body);
    await digits.open(DIGITS_LINK);
    await expect(digits.notices).toContainText('The handwritten digits could not be loaded');
    await expect(digits.notices).toContainText(broken.says);
    await expect(digits.notices).toContainText('training goes on with the synthetic data');
    await digits.waitForStepAbove(5);
    expect(digits.errors).toEqual([]);
  });
}

test.describe('with the service worker', () => {
  // playwright.config.ts blocks service workers elsewhere; this test is about the runtime cache.
  test.use({ serviceWorkers: 'allow' });

  test('the asset is not precached, and is kept by the service worker once a digits run fetched it', async ({ page }) => {
    const digits = new DigitsPage(page);
    await digits.open('?backend=cpu&n=20');
    const state = () => page.evaluate(() => navigator.serviceWorker.getRegistration().then((registration) => registration?.active?.state ?? 'none'));
    await expect.poll(state, { timeout: 60_000 }).toBe('activated');
    const precache = await (await page.request.get('./sw.js')).text();
    expect(precache).not.toMatch(/url:"digits-/);
    await digits.open(DIGITS_LINK);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none')).toBe('activated');
    await digits.waitForStepAbove(1);
    const cached = () => page.evaluate(async () => (await (await caches.open('arcface-digits')).keys()).map((request) => new URL(request.url).pathname));
    await expect.poll(cached).toEqual([expect.stringMatching(/\/digits-[0-9a-f]{12}\.bin$/)]);
  });
});

test('while the asset loads the status line shows its progress; after a failure the link and the table say synthetic', async ({ page }) => {
  const digits = new DigitsPage(page);
  let answer: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    answer = resolve;
  });
  await page.route(/\/digits-[0-9a-f]{12}\.bin$/, async (route) => {
    await held;
    await route.fulfill({ status: 404, body: 'Not found' });
  });
  await digits.open(DIGITS_LINK);
  const progress = page.getByTestId('status-dataset');
  await expect(progress).toBeVisible();
  await expect(progress.getByRole('progressbar', { name: 'Loading the handwritten digits' })).toBeVisible();
  answer();
  await expect(progress).toHaveCount(0);
  await expect(digits.notices).toContainText('could not be loaded');
  await expect.poll(() => new URL(page.url()).searchParams.get('data')).not.toBe('digits');
  await expect(digits.panel('stats')).not.toHaveAttribute('data-table', 'digits');
  await digits.waitForStepAbove(3);
});
