/**
 * Guided lessons (issue 12): a built-in lesson's steps and the clicker keys, the editor's
 * round trip through a link, and bad lessons that leave a notice and a working page.
 * On the CPU backend, with steps that train only a little, so that the file runs fast.
 */
import { expect, test } from '@playwright/test';
import { LessonPage, encodedLesson } from './fixtures/lessonPage';

test('lesson=margins shows step 1; Next, PageDown and PageUp move through the steps and apply each preset', async ({ page }) => {
  const lesson = new LessonPage(page);
  await lesson.open('?backend=cpu&lesson=margins');
  await expect(lesson.title).toHaveText(/SphereFace, CosFace and ArcFace/);
  await expect(lesson.progress).toHaveText('Step 1 of 5');
  await expect(lesson.statusPreset).toHaveText('SphereFace (1.35)');
  await expect(lesson.previous).toBeDisabled();
  await expect(page.getByTestId('panel-logit')).toHaveClass(/lesson-highlight/);
  await lesson.app.waitForStepAbove(0);

  await lesson.next.click();
  await expect(lesson.progress).toHaveText('Step 2 of 5');
  await expect(lesson.statusPreset).toHaveText('CosFace (0.35)');
  await expect(lesson.text).toContainText('CosFace');

  // Focus is on the Next button, as after a click; a clicker's PageDown must still work.
  await page.keyboard.press('PageDown');
  await expect(lesson.progress).toHaveText('Step 3 of 5');
  await expect(lesson.statusPreset).toHaveText('ArcFace (0.5)');
  await page.keyboard.press('PageDown');
  await expect(lesson.progress).toHaveText('Step 4 of 5');
  await expect(page.getByTestId('panel-margin')).toHaveClass(/lesson-highlight/);
  await expect(lesson.highlighted()).toHaveCount(1);
  // The step shows the three panels it names, in its order, and no other.
  await expect(page.locator('figure[data-testid^="panel-"]')).toHaveCount(3);
  expect(await page.locator('figure[data-testid^="panel-"]').evaluateAll((panels) => panels.map((panel) => panel.getAttribute('data-testid')))).toEqual([
    'panel-margin',
    'panel-logit',
    'panel-circle',
  ]);
  await page.keyboard.press('PageUp');
  await expect(lesson.progress).toHaveText('Step 3 of 5');
  // A step that names no panels shows the link's again.
  await expect(page.getByTestId('panel-stats')).toBeVisible();
  await lesson.previous.click();
  await expect(lesson.progress).toHaveText('Step 2 of 5');
  await expect(lesson.statusPreset).toHaveText('CosFace (0.35)');
  // Training goes on in the lesson.
  const step = await lesson.app.waitForStepAbove(0);
  await lesson.app.waitForStepAbove(step + 2);
  expect(lesson.app.errors).toEqual([]);
});

test('the editor round trip: edit a step’s text, copy the link, open it, and the same lesson is there', async ({ page }) => {
  const lesson = new LessonPage(page);
  await lesson.open('?backend=cpu&lesson=margins');
  await expect(lesson.progress).toHaveText('Step 1 of 5');
  await lesson.editorOpen.click();
  await expect(lesson.editor).toBeVisible();
  const text = 'Look at **the curve** of `ψ(θ)` <b>here</b>';
  const link = await lesson.editFirstStepAndCopy(text);
  await expect(lesson.editorPreview.locator('strong')).toHaveText('the curve');
  expect(link).toMatch(/[?&]lesson=1\.[A-Za-z0-9_-]+/);
  expect(link).toContain('backend=cpu');

  await page.goto(link);
  await expect(lesson.title).toHaveText(/SphereFace, CosFace and ArcFace/);
  await expect(lesson.progress).toHaveText('Step 1 of 5');
  await expect(lesson.text).toHaveText('Look at the curve of ψ(θ) <b>here</b>');
  await expect(lesson.text.locator('b')).toHaveCount(0);
  await expect(lesson.statusPreset).toHaveText('SphereFace (1.35)');
  await lesson.next.click();
  await expect(lesson.statusPreset).toHaveText('CosFace (0.35)');
  expect(lesson.app.errors).toEqual([]);
});

test('an unknown lesson id gives a notice, no lesson bar, and the page trains', async ({ page }) => {
  const lesson = new LessonPage(page);
  await lesson.open('?backend=cpu&lesson=nosuchlesson');
  await expect(lesson.notices).toContainText("there is no lesson called 'nosuchlesson'");
  await expect(lesson.bar).toHaveCount(0);
  const step = await lesson.app.waitForStepAbove(0);
  await lesson.app.waitForStepAbove(step + 2);
  expect(lesson.app.errors).toEqual([]);
});

test('a hostile encoded lesson: a notice, HTML shown as literal text, bad settings dropped, and the page trains', async ({ page }) => {
  const lesson = new LessonPage(page);
  const hostile = encodedLesson({
    t: '<img src=x onerror="window.__pwned=1">Title',
    s: [
      { x: 'Hello <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script> [x](javascript:window.__pwned=3)', p: 'cosface', m: { m2: 99 }, h: 'body *' },
      { x: 'second', p: '<svg onload=alert(1)>' },
    ],
  });
  await lesson.open(`?backend=cpu&lesson=${hostile}`);
  await expect(lesson.notices).toContainText('contains HTML, which is shown as plain text');
  await expect(lesson.notices).toContainText("ignored m2 = '99'");
  await expect(lesson.title).toHaveText('<img src=x onerror="window.__pwned=1">Title');
  await expect(lesson.text).toContainText('<script>window.__pwned=2</script>');
  await expect(lesson.bar.locator('img, script, a, svg')).toHaveCount(0);
  // The good part of step 1 is kept: its preset.
  await expect(lesson.statusPreset).toHaveText('CosFace (0.35)');
  await expect(lesson.highlighted()).toHaveCount(0);
  const step = await lesson.app.waitForStepAbove(0);
  await lesson.app.waitForStepAbove(step + 2);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // A truncated lesson: a notice, and still a working page.
  await lesson.open(`?backend=cpu&lesson=${hostile.slice(0, 30)}`);
  await expect(lesson.notices).toContainText('damaged');
  await expect(lesson.bar).toHaveCount(0);
  await lesson.app.waitForStepAbove(0);
  expect(lesson.app.errors).toEqual([]);
});
