/**
 * Compare mode (issue #10): 2 to 4 runs trained in lockstep, on one page. On WASM or the
 * CPU, so that no load waits for the software WebGPU adapter.
 */
import { expect, test } from '@playwright/test';
import { CompareHostPage, ComparePage } from './fixtures/comparePage';

test('compare=softmax,arcface trains both runs in lockstep, side by side', async ({ page }) => {
  const compare = new ComparePage(page);
  await compare.open('?compare=softmax,arcface&backend=wasm');
  await expect(compare.circles).toHaveCount(2, { timeout: 60_000 });
  await expect(compare.circle(0)).toContainText('Softmax');
  await expect(compare.circle(1)).toContainText('ArcFace');
  await expect(compare.runsInLockstep).toHaveText('2 runs in lockstep');
  await expect(compare.runTab(0)).toContainText('Softmax');
  await expect(compare.runTab(1)).toContainText('ArcFace (0.5)');

  const before = await compare.app.waitForStepAbove(0);
  await compare.app.waitForStepAbove(before + 10);
  for (const run of [0, 1]) {
    await expect.poll(() => compare.statValue(run, 'intraTrain'), { timeout: 30_000 }).not.toBeNull();
    expect(Number.isFinite(await compare.statValue(run, 'intraTrain'))).toBe(true);
  }
  // Each run paints its own circle, at the session's one step.
  await compare.waitForCirclesPainted(2);

  // The keyboard drives the whole session: space pauses every run at one step.
  await page.keyboard.press(' ');
  await expect(compare.app.play).toHaveText('Play');
  // Steps trained ahead of the last drawn frame arrive in one last frame; then it holds still.
  const paused = await compare.settledStep();
  await page.keyboard.press('ArrowRight');
  await expect(compare.app.stepCounter).toHaveText(String(paused + 1));
  expect(compare.errors).toEqual([]);
});

test('the compare switch turns a comparison on and off, keeping the selected run', async ({ page }) => {
  const compare = new ComparePage(page);
  await compare.open('?backend=wasm');
  await compare.app.waitForStepAbove(0);
  await expect(compare.circles).toHaveCount(1);
  await expect(compare.runTab(0)).toHaveCount(0);

  await compare.toggle.check();
  // ArcFace was on: the paper's Fig. 3 pair, Softmax first, with ArcFace still selected.
  await expect(compare.runTab(0)).toContainText('Softmax');
  await expect(compare.runTab(1)).toContainText('ArcFace (0.5)');
  await expect(compare.runTab(1)).toHaveAttribute('aria-pressed', 'true');
  await expect(compare.circles).toHaveCount(2);
  await expect(compare.runsInLockstep).toHaveText('2 runs in lockstep');
  await expect.poll(() => compare.addressCompare()).toBe('softmax,arcface');

  await compare.addRun.click();
  await expect(compare.circles).toHaveCount(3);
  await expect(compare.runTab(2)).toContainText('CosFace');
  await compare.removeRun.click();
  await expect(compare.circles).toHaveCount(2);

  await compare.runTab(0).click();
  await compare.toggle.uncheck();
  await expect(compare.circles).toHaveCount(1);
  await expect(compare.runTab(0)).toHaveCount(0);
  await expect(compare.app.preset).toHaveValue('softmax');
  await expect.poll(() => compare.addressCompare()).toBeNull();
  await compare.app.waitForStepAbove(0);
  expect(compare.errors).toEqual([]);
});

test('moving m2 on run B changes run B only', async ({ page }) => {
  const compare = new ComparePage(page);
  await compare.open('?compare=softmax,arcface&backend=wasm');
  await expect(compare.runTab(1)).toBeVisible({ timeout: 60_000 });
  await compare.app.waitForStepAbove(0);

  await compare.runTab(1).click();
  await expect(compare.app.param('m2')).toHaveValue('0.5');
  // Paused, so a reset (which m2 must not cause) would show as the counter falling to 0.
  await compare.app.waitForStepAbove(20);
  await compare.app.play.click();
  await expect(compare.app.play).toHaveText('Play');
  const stepBefore = await compare.app.waitForSettledStep();
  await compare.setParam('m2', '0.3');
  await expect(compare.app.preset).toHaveValue('custom');
  await expect(compare.runLabel(1)).toHaveText('ArcFace (m2 = 0.3)');
  await expect(compare.circle(1)).toContainText('m2 = 0.3');
  await expect(compare.runLabel(0)).toHaveText('Softmax');
  await expect(compare.circle(0)).toContainText('Softmax');
  await expect.poll(() => compare.addressCompare()).toBe('softmax,arcface~m2=0.3');
  // m2 is live: the paused runs stay where they were instead of restarting at 0.
  expect(await compare.app.waitForSettledStep()).toBe(stepBefore);

  await compare.runTab(0).click();
  await expect(compare.app.preset).toHaveValue('softmax');
  await expect(compare.app.param('m2')).toHaveValue('0');
  expect(compare.errors).toEqual([]);
});

test('embed=1&compare=softmax,arcface&panels=circle is Fig. 3a|3b alone, filling the frame', async ({ page }) => {
  const compare = new ComparePage(page);
  await compare.open('?embed=1&compare=softmax,arcface&panels=circle&backend=wasm');
  await expect(compare.circles).toHaveCount(2, { timeout: 60_000 });
  await expect(page.locator('[data-testid^="panel-"]')).toHaveCount(1);
  await expect(page.locator('header.app-header')).toHaveCount(0);
  await expect(compare.toggle).toHaveCount(0);

  const viewport = page.viewportSize();
  if (!viewport) throw new Error('no viewport');
  const panel = await page.getByTestId('panel-circle').boundingBox();
  expect(panel?.width).toBeGreaterThan(viewport.width * 0.95);
  expect(panel?.height).toBeGreaterThan(viewport.height * 0.95);
  // Side by side, each about half the frame.
  const [left, right] = await Promise.all([compare.circle(0).boundingBox(), compare.circle(1).boundingBox()]);
  expect(left?.width).toBeGreaterThan(viewport.width * 0.4);
  expect(right?.width).toBeGreaterThan(viewport.width * 0.4);
  expect((right?.x ?? 0) - (left?.x ?? 0)).toBeGreaterThan(viewport.width * 0.4);
  await compare.waitForCirclesPainted(2);
  expect(compare.errors).toEqual([]);
});

test('a hostile compare link gives a notice and a working page, running nothing', async ({ page }) => {
  const compare = new ComparePage(page);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const spec = '<script>window.__pwned=1</script>,arcface,arcface,x~m2=NaN,cm1,cm2,cosface';
  await compare.open(`?compare=${encodeURIComponent(spec)}&backend=wasm`);
  await expect(compare.notices).toContainText('compare: unknown preset', { timeout: 60_000 });
  // Shown as text: the markup is in the notice's words, not in the page.
  await expect(compare.notices).toContainText("'<script>window.__pwned=1");
  await expect(compare.notices).toContainText('trains exactly as run A');
  // arcface, cm1, cm2 and cosface are kept: four runs.
  await expect(compare.circles).toHaveCount(4);
  await compare.app.waitForStepAbove(2);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('script:not([src]):not([type="module"])').count()).toBe(0);
  expect(dialogs).toEqual([]);
  expect(compare.errors).toEqual([]);
});

test('copy link and reset to link keep the comparison; reset to link clears a divergence', async ({ page, context }) => {
  const compare = new ComparePage(page);
  await compare.open('?compare=softmax,arcface&backend=cpu&autoplay=0&debug=1');
  await expect(compare.circles).toHaveCount(2, { timeout: 60_000 });
  await compare.app.stepTenButton.click();
  await expect(compare.app.stepCounter).toHaveText('10', { timeout: 30_000 });

  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-text').inputValue();
  expect(new URL(link).searchParams.get('compare')).toBe('softmax,arcface');
  expect(new URL(link).searchParams.get('steps')).toBe('10');

  const second = new ComparePage(await context.newPage());
  await second.page.goto(link);
  await expect(second.circles).toHaveCount(2, { timeout: 60_000 });
  await expect(second.app.stepCounter).toHaveText('10', { timeout: 60_000 });
  const [original, restored] = [await compare.exportComparison(), await second.exportComparison()];
  expect(restored.runs.map((run) => [run.run, run.label])).toEqual([
    ['A', 'Softmax'],
    ['B', 'ArcFace (0.5)'],
  ]);
  // The CPU backend is bit-for-bit: the pinned link lands on the same features, run by run.
  expect(restored.runs.map((run) => run.features)).toEqual(original.runs.map((run) => run.features));
  // The rest is about the first page. Left open, the second competes for the two cores and
  // can leave the first in the background, where its frames, and with them the worker's
  // credit to train, wait until it is shown again (CI once timed out at step 0 after the
  // reset below).
  await second.page.close();
  await page.bringToFront();

  await compare.runTab(1).click();
  await compare.setParam('m2', '0.3');
  await expect(compare.runLabel(1)).toHaveText('ArcFace (m2 = 0.3)');
  await page.evaluate(() => window.__arcfaceDebug?.poison());
  await compare.app.stepButton.click();
  await expect(page.getByTestId('divergence')).toContainText('Run A (Softmax) diverged', { timeout: 30_000 });

  await page.getByTestId('reset-to-link').click();
  await expect(page.getByTestId('divergence')).toHaveCount(0);
  await expect(compare.runLabel(1)).toHaveText('ArcFace (0.5)');
  // The page's own link pins no step and says autoplay=0: fresh runs, shown at step 0, paused.
  // (Waiting for "10" here once passed only while the diverged step's counter was still on screen.)
  await expect(compare.app.stepCounter).toHaveText('0', { timeout: 60_000 });
  // The halt is over: the fresh runs train when asked.
  await compare.app.stepTenButton.click();
  await expect(compare.app.stepCounter).toHaveText('10', { timeout: 60_000 });
  await expect(page.getByTestId('divergence')).toHaveCount(0);
  expect(compare.errors).toEqual([]);
});

test('in compare mode the data exports hold every run', async ({ page }) => {
  const compare = new ComparePage(page);
  await compare.open('?compare=softmax,arcface&backend=wasm&n=20&steps=20');
  await expect(compare.app.stepCounter).toHaveText('20', { timeout: 60_000 });
  const features = (await compare.exportText('export-features-csv')).trim().split('\n');
  expect(features[0].split(',')[0]).toBe('run');
  const letters = new Set(features.slice(1).map((row) => row.split(',')[0]));
  expect([...letters]).toEqual(['A', 'B']);
  const snapshot = await compare.exportComparison();
  expect(snapshot.version).toBe(2);
  expect(snapshot.runs.map((run) => run.run)).toEqual(['A', 'B']);
  expect(snapshot.caption.split('\n')).toHaveLength(2);

  // A panel's picture is one figure of both runs, with a caption line for each.
  const svg = await compare.exportPanelSvg('circle');
  expect(svg.match(/<image /g) ?? []).toHaveLength(2);
  expect(svg).toContain('>A: Softmax · seed 1 · step 20<');
  expect(svg).toContain('>B: ArcFace (0.5) · m1 = 1');
  expect(compare.errors).toEqual([]);
});

test('a host addresses one run by its index, and a run the page lacks is refused', async ({ page }) => {
  const host = new CompareHostPage(page);
  await host.open('./?embed=1&compare=softmax,arcface&panels=circle&backend=wasm&autoplay=0');
  await host.send({ command: 'setParams', params: { m2: 0.3 }, run: 1 });
  await expect.poll(() => host.lastRunLabels(), { timeout: 30_000 }).toEqual(['Softmax', 'ArcFace (m2 = 0.3)']);
  await host.send({ command: 'setPreset', preset: 'cosface', run: 0 });
  await expect.poll(() => host.lastRunLabels()).toEqual(['CosFace (0.35)', 'ArcFace (m2 = 0.3)']);

  await host.send({ command: 'setPreset', preset: 'softmax', run: 2 });
  await host.send({ command: 'setParams', params: { m2: 0.1 }, run: 0.5 });
  await expect.poll(() => host.warnings.filter((text) => text.includes('ignored a message: set'))).toHaveLength(2);
  expect(host.warnings.join('\n')).toContain('run must be a whole number from 0 to 1');
  // Give a wrongly accepted command time to show in the state before checking it did not.
  await page.waitForTimeout(500);
  expect(await host.lastRunLabels()).toEqual(['CosFace (0.35)', 'ArcFace (m2 = 0.3)']);
  expect(host.errors).toEqual([]);
});
