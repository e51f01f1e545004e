/**
 * The teaching view at a fixed state, checked two ways. The CPU backend trains bit for
 * bit the same at a seed, so seed 1 at step 200 always gives the same picture:
 * - data: each panel says, through data attributes set while painting, how many marks
 *   it drew, and that must match the exported snapshot it drew them from;
 * - pixels: each panel is compared with a committed baseline in e2e/baselines/
 *   (tolerance in playwright.config.ts). After a deliberate change to a panel's look,
 *   rebuild and run `npx playwright test visual --update-snapshots`, look at the new
 *   PNGs, and commit them.
 */
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { AppPage, PANELS } from './fixtures/appPage';

const PINNED = '?backend=cpu&preset=arcface&seed=1&n=300&ids=8';
const STEP = 200;
const IDENTITIES = 8;
const SAMPLES_PER_IDENTITY = 300;
/** Fig. 5 plots identities 0 and 1 until the reader picks others. */
const PAIR = [0, 1];
/** Hides what differs between runs of the same state (the steps/s rate). */
const SCREENSHOT_CSS = fileURLToPath(new URL('./fixtures/screenshot.css', import.meta.url));

test('teaching view at seed 1, step 200, on the CPU backend: each panel draws what the snapshot holds and looks like its baseline', async ({ page }) => {
  const app = new AppPage(page);
  await app.openPinned(PINNED, STEP);
  // Export buttons show on hover and focus; keep both away from the panels.
  await page.mouse.move(0, 0);
  await page.locator('h1').click();

  await test.step('data: the marks each panel drew match the exported snapshot', async () => {
    const snapshot = await app.exportSnapshot();
    expect(snapshot.step).toBe(STEP);
    expect(snapshot.labels).toHaveLength(IDENTITIES * SAMPLES_PER_IDENTITY);
    const painted = await app.paintedCounts();

    // Fig. 3: one mark per training sample.
    expect(painted.circlePoints, 'circle: one point per sample').toBe(snapshot.labels.length);

    // Fig. 5: the live samples of the two chosen identities, all of them.
    const pairSamples = snapshot.labels.filter((label) => PAIR.includes(label)).length;
    expect(pairSamples).toBe(PAIR.length * SAMPLES_PER_IDENTITY);
    expect(painted.marginDots, 'Fig. 5: one dot per sample of the chosen pair').toBe(pairSamples);

    // Fig. 4a: θ_y of 2,400 samples cannot leave every bin empty.
    expect(painted.histogramBars, 'histogram: non-empty bars').toBeGreaterThan(0);

    // Training: stepped by tens, the history holds steps 0, 10, …, 200, and each curve
    // a point per entry with a finite value (step 0 has no loss yet).
    const finite = (values: (number | null)[]): number => values.filter((value) => value !== null && Number.isFinite(value)).length;
    expect(snapshot.history.steps, 'history: one entry per drawn step').toEqual(Array.from({ length: STEP / 10 + 1 }, (_, index) => index * 10));
    expect(finite(snapshot.history.losses)).toBeGreaterThanOrEqual(STEP / 10);
    expect(painted.lossPoints, 'loss curve: one point per history entry').toBe(finite(snapshot.history.losses));
    expect(painted.accuracyPoints, 'accuracy curve: one point per history entry').toBe(finite(snapshot.history.accuracies));

    // Table 3: every live cell a finite number (degrees, or a share for the accuracies),
    // and each angle the snapshot's own.
    const cells = await app
      .panel('stats')
      .locator('[data-testid^="stat-"]')
      .evaluateAll((elements) => elements.map((element) => ({ id: element.getAttribute('data-testid'), text: element.textContent })));
    expect(cells.length, 'live statistics cells').toBeGreaterThanOrEqual(7);
    for (const cell of cells) expect(cell.text, `${cell.id}`).toMatch(/^-?\d+\.\d(°|%)$/);
    for (const key of ['wEC', 'wInter', 'intraTrain', 'interTrain', 'intraHeldout', 'interHeldout', 'gapTrain']) {
      const text = (await page.getByTestId(`stat-${key}`).textContent()) ?? '';
      expect(text, `stat ${key}`).toMatch(/^-?\d+\.\d°$/);
      const exported = snapshot.angles[key];
      expect(exported, `exported ${key}`).not.toBeNull();
      // The cell rounds to 0.1°.
      expect(Math.abs(Number(text.slice(0, -1)) - (exported ?? Number.NaN)), `stat ${key} shows the snapshot's value`).toBeLessThanOrEqual(0.0501);
    }
  });

  await test.step('Fig. 6: the pairs panel shows the snapshot’s verification figures', async () => {
    const snapshot = await app.exportSnapshot();
    expect(await page.getByTestId('pairs-histograms').getAttribute('data-step')).toBe(String(STEP));
    for (const split of ['test', 'unseen'] as const) {
      const exported = snapshot.pairs[split];
      expect(exported.verification, `${split} pairs have a threshold`).not.toBeNull();
      const accuracy = Number(await page.getByTestId(`pairs-accuracy-${split}`).getAttribute('data-value'));
      expect(accuracy, `${split} verification accuracy`).toBeCloseTo(exported.verification?.accuracy ?? Number.NaN, 6);
      const overlap = Number(await page.getByTestId(`pairs-overlap-${split}`).getAttribute('data-value'));
      expect(overlap, `${split} overlap`).toBeCloseTo(exported.overlap ?? Number.NaN, 6);
    }
    // Trained identities verify far better than identities the model never saw.
    expect(snapshot.pairs.test.verification?.accuracy ?? 0).toBeGreaterThan((snapshot.pairs.unseen.verification?.accuracy ?? 1) + 0.1);
    expect(Number(await page.getByTestId('stat-verifyAccuracy').getAttribute('data-value'))).toBeCloseTo(snapshot.pairs.test.verification?.accuracy ?? Number.NaN, 6);
  });

  await test.step('pixels: each panel matches its committed baseline', async () => {
    for (const name of PANELS) {
      const panel = app.panel(name);
      await expect(panel).toBeVisible();
      // Soft, so one run reports every panel that changed.
      await expect.soft(panel, `${name} panel`).toHaveScreenshot(`${name}.png`, { stylePath: SCREENSHOT_CSS });
    }
  });
});
