import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { AppPage } from './fixtures/appPage';

const SCREENSHOTS = 'e2e/screenshots';

test('on load the ArcFace preset trains and the features spread around the circle', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm');
  await expect(app.preset).toHaveValue('arcface');
  await app.waitForStepAbove(150);
  // Coloured pixels alone would be satisfied by the W lines: the panel must also say it
  // drew a mark for every sample (8 identities × 300).
  await expect.poll(async () => (await app.paintedCounts()).circlePoints).toBe(8 * 300);
  const quadrants = await app.circleQuadrantCounts();
  for (const count of quadrants) expect(count).toBeGreaterThan(20);
  expect(app.errors).toEqual([]);
});

test('picking CosFace sets m3 to 0.35 and redraws the logit curve', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm');
  const curve = page.getByTestId('logit-curve-current');
  const before = await curve.getAttribute('d');
  await app.preset.selectOption('cosface');
  await expect(app.param('m3')).toHaveValue('0.35');
  await expect(app.param('m2')).toHaveValue('0');
  await expect(page.getByTestId('status-preset')).toHaveText(/CosFace/);
  expect(await curve.getAttribute('d')).not.toBe(before);
});

test('moving the m2 slider changes the margin live: training goes on without a reset', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm');
  const before = await app.waitForStepAbove(60);
  const slider = page.getByRole('slider', { name: /m2/ });
  await slider.focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await expect(app.param('m2')).toHaveValue('0.6');
  await expect(page.getByTestId('status-preset')).toHaveText('custom');
  await expect(app.preset).toHaveValue('custom');
  // A reset would send the counter back towards 0.
  await app.waitForStepAbove(before + 30);
  expect(await app.step()).toBeGreaterThan(before);
});

test('keyboard: space plays and pauses, → steps once, r resets', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm');
  await app.waitForStepAbove(10);
  await page.locator('h1').click();
  await page.keyboard.press(' ');
  await expect(app.play).toHaveText('Play');
  const paused = await app.waitForSettledStep();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => app.step()).toBe(paused + 1);
  await page.keyboard.press('r');
  await expect.poll(() => app.step()).toBe(0);
  await page.keyboard.press(' ');
  await expect(app.play).toHaveText('Pause');
  await app.waitForStepAbove(0);
});

test('every control has a label', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm');
  const unlabelled = await page.locator('input, select, button').evaluateAll((elements) =>
    elements
      .filter((element) => {
        const labelled =
          element.getAttribute('aria-label')
          || element.getAttribute('aria-labelledby')
          || (element as HTMLInputElement).labels?.length
          || (element.tagName === 'BUTTON' && element.textContent?.trim());
        return !labelled;
      })
      .map((element) => element.outerHTML.slice(0, 80)),
  );
  expect(unlabelled).toEqual([]);
});

test('screenshots at seed 1, step 300: each panel and the whole page at 1280×720', async ({ page }) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const app = new AppPage(page);
  await app.open('?backend=wasm');
  await app.trainTo(300);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SCREENSHOTS}/page-1280x720.png` });
  for (const name of ['circle', 'logit', 'margin', 'training', 'stats'] as const) {
    const panel = app.panel(name);
    await expect(panel).toBeVisible();
    const box = await panel.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(200);
    await panel.screenshot({ path: `${SCREENSHOTS}/panel-${name}.png` });
  }
  expect(app.errors).toEqual([]);
});
