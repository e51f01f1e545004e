import { expect, test } from '@playwright/test';
import { TimelinePage } from './fixtures/timelinePage';

// The CPU backend is bit-for-bit reproducible, so a step's features can be compared exactly.
const CPU = '?backend=cpu&seed=1';

test('scrubbing back to step 30 shows exactly the features the live run drew at step 30; Live returns to 60', async ({ page }) => {
  const app = new TimelinePage(page);
  await app.openPinned(CPU, 30);
  const live30 = await app.exportSnapshot();
  expect(live30.step).toBe(30);
  await app.stepTensTo(60);
  const live60 = await app.exportSnapshot();
  expect(live60.features).not.toEqual(live30.features);
  expect(await app.sliderBounds()).toMatchObject({ min: 0, max: 60, value: 60 });

  await app.scrubTo(30);
  await expect(app.stepCounter).toHaveText('30');
  const replayed = await app.exportSnapshot();
  expect(replayed.step).toBe(30);
  expect(replayed.features).toEqual(live30.features);
  expect(replayed.weights).toEqual(live30.weights);
  // The training curves are drawn as they were: their history ends at the shown step.
  expect(replayed.history).toEqual(live30.history);
  expect(replayed.history.steps.at(-1)).toBe(30);

  await app.live.click();
  await expect(app.label).toHaveText('live · step 60');
  await app.waitForPaintedStep(60);
  await expect(app.stepCounter).toHaveText('60');
  expect((await app.exportSnapshot()).features).toEqual(live60.features);
  expect(app.errors).toEqual([]);
});

test('scrubbed back across a slider move, Fig. 4 and Fig. 5 draw the margin the shown step trained with; Live draws the current one', async ({ page }) => {
  const app = new TimelinePage(page);
  // No warm-up, so ψ depends on the margin alone, not on the step.
  await app.openPinned(`${CPU}&warmup=0`, 20);
  const psi = page.getByTestId('logit-curve-current');
  const diagonal = page.getByTestId('margin-diagonal-label');
  await expect(diagonal).toContainText('57.3°');
  const psiAtHalf = (await psi.getAttribute('d')) ?? '';
  await app.param('m2').fill('0.2');
  await app.param('m2').press('Enter');
  // 2 · 0.2 rad.
  await expect(diagonal).toContainText('22.9°');
  await expect(psi).not.toHaveAttribute('d', psiAtHalf);
  const psiAtFifth = (await psi.getAttribute('d')) ?? '';
  await app.stepTensTo(40);

  await app.scrubTo(10);
  await expect(diagonal).toContainText('57.3°');
  await expect(psi).toHaveAttribute('d', psiAtHalf);
  await app.scrubTo(30);
  await expect(diagonal).toContainText('22.9°');
  await expect(psi).toHaveAttribute('d', psiAtFifth);

  await app.live.click();
  await app.waitForPaintedStep(40);
  await expect(diagonal).toContainText('22.9°');
  await expect(psi).toHaveAttribute('d', psiAtFifth);
  expect(app.errors).toEqual([]);
});

test('scrubbing pauses a playing run; Play replay runs to the end; the share link pins the range; Live resumes training', async ({ page, context }) => {
  const app = new TimelinePage(page);
  await app.open(`${CPU}&speed=1`);
  await app.waitForStepAbove(20);
  const shown = await app.scrubNear(10);
  await expect(app.play).toHaveText('Play');
  // Training stops (a frame already on its way may still land), and the status line stays on the shown step.
  const latest = await app.settledLatest();
  expect(latest).toBeGreaterThan(20);
  await expect(app.stepCounter).toHaveText(String(shown));

  await app.playReplay.click();
  await expect(app.label).toHaveText(`replay: step ${latest}`, { timeout: 20_000 });
  await expect(app.playReplay).toHaveText('Play replay');
  await app.waitForPaintedStep(latest);

  await page.getByTestId('copy-link').click();
  const link = new URL(await page.getByTestId('share-text').inputValue());
  expect([link.searchParams.get('replay'), link.searchParams.get('steps')]).toEqual([`${shown}-${latest}`, String(latest)]);
  const second = new TimelinePage(await context.newPage());
  await second.page.goto(link.toString());
  await expect(second.range).toHaveText(`· range ${shown}–${latest}`, { timeout: 60_000 });
  await expect(second.label).toHaveText(/^replay: step \d+$/);
  await second.page.close();

  await app.live.click();
  await expect(app.play).toHaveText('Pause');
  await expect(app.label).toHaveText(/^live/);
  await app.waitForStepAbove(latest + 5);
  expect(app.errors).toEqual([]);
});

test('a link with replay=10-40&steps=40 trains to 40, then shows step 10 with the scrubber limited to the range', async ({ page }) => {
  const app = new TimelinePage(page);
  await app.open(`${CPU}&steps=40&replay=10-40`);
  await expect(app.range).toHaveText(/range 10–40/, { timeout: 60_000 });
  const shown = await app.shownStep();
  // The link's training drew whichever steps reached a frame: the nearest kept step at or before 10.
  expect(shown).toBeLessThanOrEqual(10);
  await app.waitForPaintedStep(shown);
  expect(await app.sliderBounds()).toMatchObject({ min: 10, max: 40 });
  expect(app.errors).toEqual([]);
});
