/**
 * The page on every screen it meets in a lecture: a phone and a tablet (touch, one
 * figure per row, controls in a drawer), a projector at 1024×768, 1280×720 and
 * 1920×1080 in each theme (no clipped text), the present layout (the figures fill one
 * screen), and a reader who asked for reduced motion (nothing starts by itself).
 * Layout needs no WebGPU: these run on the CPU or WASM backend and mostly untrained.
 */
import { expect, test } from '@playwright/test';
import { LayoutPage, PANELS } from './fixtures/layoutPage';

const TOUCH_SCREENS = [
  { name: 'phone', viewport: { width: 390, height: 844 }, minPanelWidth: 300 },
  { name: 'tablet', viewport: { width: 768, height: 1024 }, minPanelWidth: 600 },
] as const;

for (const screen of TOUCH_SCREENS) {
  test.describe(`${screen.name} ${screen.viewport.width}×${screen.viewport.height}`, () => {
    test.use({ viewport: screen.viewport, isMobile: true, hasTouch: true });

    test('no sideways scrolling; every panel reachable, one per row, at a readable width; the status wraps', async ({ page }) => {
      const layout = new LayoutPage(page);
      await layout.open('?backend=cpu&autoplay=0');
      const { width } = screen.viewport;
      const lefts = new Set<number>();
      for (const name of PANELS) {
        const panel = layout.panel(name);
        await panel.scrollIntoViewIfNeeded();
        await expect(panel).toBeInViewport({ ratio: 0.5 });
        const box = await layout.box(panel);
        expect(box.right - box.left, `${name}: wide enough to read`).toBeGreaterThanOrEqual(screen.minPanelWidth);
        expect(box.left, `${name}: starts on screen`).toBeGreaterThanOrEqual(0);
        expect(box.right, `${name}: ends on screen`).toBeLessThanOrEqual(width);
        lefts.add(Math.round(box.left));
        const widths = await layout.widths();
        expect(widths.scroll, `no sideways scrolling with ${name} in view`).toBeLessThanOrEqual(widths.viewport);
      }
      expect([...lefts], 'one panel per row: every panel starts at the same left edge').toHaveLength(1);
      await layout.status.scrollIntoViewIfNeeded();
      const status = await layout.box(layout.status);
      expect(status.right, 'the status line fits the screen').toBeLessThanOrEqual(width);
      expect(await layout.status.evaluate((element) => element.scrollWidth <= element.clientWidth + 1), 'the status line wraps instead of being cut').toBe(true);
      expect(await layout.overflowingText()).toEqual([]);
      expect(await layout.overlappingText()).toEqual([]);
      expect(layout.errors).toEqual([]);
    });

    test('the controls open in a drawer; a tap moves a slider; Escape and the close button close it', async ({ page }) => {
      const layout = new LayoutPage(page);
      await layout.open('?backend=cpu&autoplay=0');
      const m2Slider = layout.slider(/^m2/);
      await expect(layout.drawerToggle).toHaveAttribute('aria-expanded', 'false');
      await expect(layout.drawerToggle).toHaveAttribute('aria-controls', 'controls-drawer');
      await expect(m2Slider, 'closed, the drawer hides its controls').toBeHidden();

      await layout.drawerToggle.tap();
      await expect(layout.drawerToggle).toHaveAttribute('aria-expanded', 'true');
      await expect(m2Slider).toBeVisible();
      await expect(m2Slider).toBeInViewport();
      const before = Number(await m2Slider.inputValue());
      // The drawer slides in (160 ms): measure the track once it has stopped moving, or the tap lands short.
      await page.getByTestId('controls-drawer').evaluate((drawer) => Promise.all(drawer.getAnimations().map((animation) => animation.finished)));
      const track = await layout.box(m2Slider);
      expect(track.bottom - track.top, 'a slider tall enough for a thumb').toBeGreaterThanOrEqual(32);
      // A tap near the far end of the track moves the thumb there.
      await page.touchscreen.tap(track.left + (track.right - track.left) * 0.9, (track.top + track.bottom) / 2);
      await expect.poll(async () => Number(await m2Slider.inputValue())).toBeGreaterThan(before);
      await expect(page.getByTestId('param-m2')).not.toHaveValue(String(before));
      const widths = await layout.widths();
      expect(widths.scroll, 'the open drawer fits the screen').toBeLessThanOrEqual(widths.viewport);

      await page.keyboard.press('Escape');
      await expect(layout.drawerToggle).toHaveAttribute('aria-expanded', 'false');
      await expect(m2Slider).toBeHidden();
      await expect(layout.drawerToggle, 'focus goes back to the toggle').toBeFocused();

      await layout.drawerToggle.tap();
      await expect(layout.drawerClose).toBeVisible();
      await layout.drawerClose.tap();
      await expect(layout.drawerToggle).toHaveAttribute('aria-expanded', 'false');
      await expect(m2Slider).toBeHidden();
    });

    test('a tap on the circle panel shows what hover shows; a tap elsewhere hides it', async ({ page }) => {
      const layout = new LayoutPage(page);
      await layout.open('?backend=cpu&autoplay=0');
      const circle = layout.panel('circle');
      await circle.scrollIntoViewIfNeeded();
      const tooltip = circle.getByRole('tooltip');
      await expect(tooltip).toHaveCount(0);
      const point = await layout.featurePointOnCircle();
      await page.touchscreen.tap(point.x, point.y);
      await expect(tooltip, 'the tooltip stays after the finger lifts').toBeVisible();
      await expect(tooltip).toContainText('identity');
      await expect(tooltip).toContainText('gap to nearest rival');
      await page.locator('h1').tap();
      await expect(tooltip).toHaveCount(0);
    });
  });
}

const PROJECTOR_SCREENS = [
  { width: 1024, height: 768 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;
const THEMES = ['light', 'dark', 'projector'] as const;

for (const viewport of PROJECTOR_SCREENS) {
  test.describe(`${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    for (const theme of THEMES) {
      test(`${theme} theme: no text is clipped, in the default and the present layout; present fits every panel on one screen`, async ({ page }) => {
        const layout = new LayoutPage(page);
        // A few steps, so the statistics hold real numbers, as wide as they get.
        await layout.openAtStep(`?backend=cpu&theme=${theme}`, 20);
        expect(await layout.overflowingText(), 'default layout').toEqual([]);
        expect(await layout.overlappingText(), 'default layout').toEqual([]);

        await layout.presentToggle.click();
        await expect(layout.presentToggle).toHaveAttribute('aria-pressed', 'true');
        await expect(layout.drawerToggle, 'present folds the controls into the drawer').toBeVisible();
        await expect(layout.slider(/^m2/)).toBeHidden();
        const heights = await layout.heights();
        expect(heights.scroll, 'present: no vertical scrolling').toBeLessThanOrEqual(heights.viewport);
        for (const name of PANELS) {
          const box = await layout.box(layout.panel(name));
          expect(box.left, `${name} inside the viewport`).toBeGreaterThanOrEqual(0);
          expect(box.top, `${name} inside the viewport`).toBeGreaterThanOrEqual(0);
          expect(box.right, `${name} inside the viewport`).toBeLessThanOrEqual(viewport.width);
          expect(box.bottom, `${name} inside the viewport`).toBeLessThanOrEqual(viewport.height);
        }
        expect(await layout.overflowingText(), 'present layout').toEqual([]);
        expect(await layout.overlappingText(), 'present layout').toEqual([]);
        expect(layout.errors).toEqual([]);
      });
    }
  });
}

test.describe('1920×1080, while training', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('the header keeps its height from the first frame to past the end of the warm-up, so no panel is laid out twice', async ({ page }) => {
    // Every frame from the first drawn picture on: the status's numbers grow, the formula's
    // warm-up note comes and goes, and the timeline fills in; none may re-wrap the header.
    await page.addInitScript(() => {
      const heights: number[] = [];
      Object.assign(window, { headerHeights: heights });
      const sample = (): void => {
        const header = document.querySelector('.app-header');
        if (header && document.querySelector('[data-testid="panel-circle"] canvas[data-step]')) {
          const height = Math.round(header.getBoundingClientRect().height);
          if (!heights.includes(height)) heights.push(height);
        }
        requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
    });
    const layout = new LayoutPage(page);
    await layout.openAtStep('?backend=wasm', 320);
    const heights = await page.evaluate(() => (window as unknown as { headerHeights: number[] }).headerHeights);
    expect(heights, 'the header’s heights, in CSS px, from the first frame to step 320').toHaveLength(1);
  });
});

for (const { width, height, theme } of [
  { width: 1024, height: 768, theme: 'light' },
  { width: 1280, height: 720, theme: 'projector' },
]) {
  test.describe(`${width}×${height}, ${theme} theme, from the first paint`, () => {
    test.use({ viewport: { width, height } });

    test('the header keeps its height while the backend is named and the first, largest losses come in', async ({ page }) => {
      // Before the first frame "…" becomes "wasm", and the loss at s = 64 starts above 50:
      // either re-wrapped the header once (102 → 110 px at 1024×768; 127 → 120 → 127 px on the projector).
      await page.addInitScript(() => {
        const heights: number[] = [];
        const losses: string[] = [];
        Object.assign(window, { headerHeights: heights, statusLosses: losses });
        const sample = (): void => {
          const header = document.querySelector('.app-header');
          if (header) {
            const height = Math.round(header.getBoundingClientRect().height);
            if (!heights.includes(height)) heights.push(height);
          }
          const loss = document.querySelector('[data-testid="status-loss"]')?.textContent;
          if (loss && !losses.includes(loss)) losses.push(loss);
          requestAnimationFrame(sample);
        };
        requestAnimationFrame(sample);
      });
      const layout = new LayoutPage(page);
      // Playing, 4 steps a frame: the first trained frame shows the loss of step 4.
      await layout.open(`?backend=wasm&theme=${theme}`);
      await expect.poll(() => layout.step(), { timeout: 60_000 }).toBeGreaterThan(40);
      const { heights, losses } = await page.evaluate(() => {
        const sampled = window as unknown as { headerHeights: number[]; statusLosses: string[] };
        return { heights: sampled.headerHeights, losses: sampled.statusLosses };
      });
      expect(
        losses.some((loss) => Number(loss) >= 10),
        `a loss of 10 or more was shown: ${losses.slice(0, 4).join(', ')}`,
      ).toBe(true);
      expect(heights, 'the header’s heights, in CSS px, from the first paint to step 40').toHaveLength(1);
    });
  });
}

test.describe('1024×768, compare mode', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('projector theme: no text is clipped in compare mode, and p toggles the present layout', async ({ page }) => {
    const layout = new LayoutPage(page);
    await layout.openAtStep('?backend=cpu&theme=projector&compare=softmax,arcface', 10);
    expect(await layout.overflowingText(), 'default layout').toEqual([]);
    expect(await layout.overlappingText(), 'default layout').toEqual([]);
    await page.locator('h1').click();
    await page.keyboard.press('p');
    await expect(layout.presentToggle).toHaveAttribute('aria-pressed', 'true');
    expect(await layout.overflowingText(), 'present layout').toEqual([]);
    expect(await layout.overlappingText(), 'present layout').toEqual([]);
    // Typed into a field, p is a letter, not a shortcut.
    await layout.drawerToggle.click();
    await page.getByTestId('param-m2').press('p');
    await expect(layout.presentToggle).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('Escape');
    await page.locator('h1').click();
    await page.keyboard.press('p');
    await expect(layout.presentToggle).toHaveAttribute('aria-pressed', 'false');
  });

  test('present=1 in a link opens the present layout, and the address bar follows the toggle', async ({ page }) => {
    const layout = new LayoutPage(page);
    await layout.openAtStep('?backend=cpu&present=1', 1);
    await expect(layout.presentToggle).toHaveAttribute('aria-pressed', 'true');
    await expect(layout.drawerToggle).toBeVisible();
    await layout.presentToggle.click();
    await expect.poll(() => page.evaluate(() => new URLSearchParams(window.location.search).get('present'))).toBeNull();
    await layout.presentToggle.click();
    await expect.poll(() => page.evaluate(() => new URLSearchParams(window.location.search).get('present'))).toBe('1');
  });
});

test.describe('1280×720, compare mode, projector theme', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test("Table 3 folds the paper's columns behind a button so the runs keep larger type; the button brings them back", async ({ page }) => {
    const layout = new LayoutPage(page);
    await layout.openAtStep('?backend=cpu&theme=projector&compare=softmax,arcface', 10);
    const stats = layout.panel('stats');
    const toggle = stats.getByTestId('stats-paper-toggle');
    const paperColumns = stats.locator('.table3-paper');
    const runFont = () =>
      stats
        .getByTestId('run-0')
        .getByTestId('stat-intraTrain')
        .evaluate((cell) => Number.parseFloat(getComputedStyle(cell).fontSize));
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(paperColumns).toHaveCount(0);
    const folded = await runFont();
    const box = await layout.box(stats);
    console.log(`Table 3 in a ${Math.round(box.right - box.left)}×${Math.round(box.bottom - box.top)} cell: ${folded.toFixed(1)} px folded`);
    expect(await layout.overflowingText(), 'folded').toEqual([]);
    expect(await layout.overlappingText(), 'folded').toEqual([]);

    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(paperColumns).toHaveCount(2);
    await expect(paperColumns.last()).toContainText('14.29');
    const shown = await runFont();
    console.log(`with the paper's columns: ${shown.toFixed(1)} px`);
    expect(shown).toBeLessThan(folded);
    await layout.waitForStableLayout();
    expect(await layout.overflowingText(), 'with the paper').toEqual([]);
    expect(await layout.overlappingText(), 'with the paper').toEqual([]);
    await toggle.click();
    await expect(paperColumns).toHaveCount(0);
  });
});

test.describe('reduced motion', () => {
  test('nothing trains until Play is pressed; the Play button stands out; then it trains', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const layout = new LayoutPage(page);
    await layout.open('?backend=cpu');
    await expect(layout.play).toHaveText('Play');
    await expect(layout.play).toBeVisible();
    // The accent fill: the obvious next step, not a plain button among the others.
    const fill = await layout.play.evaluate((button) => getComputedStyle(button).backgroundColor);
    const plain = await page.getByTestId('step').evaluate((button) => getComputedStyle(button).backgroundColor);
    expect(fill).not.toBe(plain);
    await page.waitForTimeout(1500);
    expect(await layout.step(), 'no autoplay').toBe(0);
    await layout.play.click();
    await expect.poll(() => layout.step(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(layout.play).toHaveText('Pause');
  });

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

    test('the header carries the Play button, since the controls are folded away', async ({ page }) => {
      await page.emulateMedia({ reducedMotion: 'reduce' });
      const layout = new LayoutPage(page);
      await layout.open('?backend=cpu');
      await expect(layout.headerPlay).toHaveText('Play');
      await expect(layout.headerPlay).toBeInViewport();
      await page.waitForTimeout(1000);
      expect(await layout.step()).toBe(0);
      await layout.headerPlay.tap();
      await expect.poll(() => layout.step(), { timeout: 30_000 }).toBeGreaterThan(0);
      await expect(layout.headerPlay).toHaveText('Pause');
    });
  });

  test('an embedding host’s explicit play still plays', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.route('**/host.html', (route) => route.fulfill({ path: 'e2e/fixtures/host.html', contentType: 'text/html' }));
    await page.goto('./host.html');
    const log = page.locator('#host-log');
    await expect(log).toContainText('"event":"ready"', { timeout: 60_000 });
    await page.locator('#host-play').click();
    await expect(page.locator('#host-last-playing')).toHaveText('true', { timeout: 30_000 });
    await expect.poll(async () => Number(await page.locator('#host-last-step').textContent()), { timeout: 60_000 }).toBeGreaterThan(0);
  });
});
