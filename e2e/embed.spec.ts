import { expect, test, type Locator, type Page } from '@playwright/test';
import { AppPage } from './fixtures/appPage';

/**
 * A slide deck stand-in (e2e/fixtures/host.html) that embeds the playground and drives it
 * only through postMessage. It is served from the preview server's origin, so the frame's
 * relative src resolves to the built app.
 */
class HostPage {
  readonly log: Locator;
  readonly lastStep: Locator;
  readonly lastM2: Locator;
  readonly lastPreset: Locator;
  readonly lastPlaying: Locator;
  /** console.warn texts from any frame of the page, the playground's included. */
  readonly warnings: string[] = [];
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    this.log = page.locator('#host-log');
    this.lastStep = page.locator('#host-last-step');
    this.lastM2 = page.locator('#host-last-m2');
    this.lastPreset = page.locator('#host-last-preset');
    this.lastPlaying = page.locator('#host-last-playing');
    page.on('console', (message) => {
      if (message.type() === 'warning') this.warnings.push(message.text());
    });
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  async open(): Promise<void> {
    await this.page.route('**/host.html', (route) => route.fulfill({ path: 'e2e/fixtures/host.html', contentType: 'text/html' }));
    await this.page.goto('./host.html');
    await expect(this.log).toContainText('"event":"ready"', { timeout: 60_000 });
  }

  async click(button: 'set-m2' | 'preset-cosface' | 'play' | 'pause' | 'step-10' | 'reset' | 'bad'): Promise<void> {
    await this.page.locator(`#host-${button}`).click();
  }

  async step(): Promise<number> {
    return Number(await this.lastStep.textContent());
  }
}

test('a host page drives the embedded playground by postMessage and hears its state', async ({ page }) => {
  const host = new HostPage(page);
  await host.open();
  await expect(host.log).toContainText('"version":1');

  await host.click('step-10');
  await expect(host.lastStep).toHaveText('10', { timeout: 60_000 });

  await host.click('set-m2');
  await expect(host.lastM2).toHaveText('0.3');
  await expect(host.lastPreset).toHaveText('custom');
  // m2 is a live setting: changing it must not reset the run.
  expect(await host.step()).toBe(10);

  await host.click('bad');
  await expect.poll(() => host.warnings.filter((text) => text.includes('ignored a message'))).toHaveLength(1);
  expect(host.warnings.find((text) => text.includes('ignored a message'))).toContain('count');
  // Give a wrongly accepted command time to show in the state before checking it did not.
  await page.waitForTimeout(500);
  await expect(host.lastStep).toHaveText('10');
  await expect(host.lastM2).toHaveText('0.3');
  expect(host.errors).toEqual([]);
});

test('play, pause, reset and setPreset from the host reach the embedded playground', async ({ page }) => {
  const host = new HostPage(page);
  await host.open();

  await host.click('preset-cosface');
  await expect(host.lastPreset).toHaveText('cosface', { timeout: 60_000 });
  await expect(host.lastM2).toHaveText('0');

  await host.click('play');
  await expect(host.lastPlaying).toHaveText('true');
  await expect.poll(() => host.step(), { timeout: 60_000 }).toBeGreaterThan(10);

  await host.click('pause');
  await expect(host.lastPlaying).toHaveText('false');

  await host.click('reset');
  await expect(host.lastStep).toHaveText('0', { timeout: 60_000 });
  expect(host.errors).toEqual([]);
});

test('inside the host, the frame shows only the panels the src asks for and no controls', async ({ page }) => {
  const host = new HostPage(page);
  await host.open();
  const frame = page.locator('#playground').contentFrame();
  await expect(frame.getByTestId('panel-circle')).toBeVisible();
  await expect(frame.getByTestId('panel-logit')).toBeVisible();
  await expect(frame.getByTestId('play')).not.toBeVisible();
});

test('embed=1&panels=circle shows the circle panel alone, with no header and no controls', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?embed=1&panels=circle');
  // Wait for the app to render before checking what is absent, or absence proves nothing.
  await expect(app.panel('circle')).toBeVisible({ timeout: 60_000 });
  for (const name of ['logit', 'margin', 'training', 'stats'] as const) {
    await expect(app.panel(name)).not.toBeVisible();
  }
  await expect(page.locator('header.app-header')).not.toBeVisible();
  // The embed's only heading is for screen readers: there, but not drawn.
  await expect(page.locator('h1')).toHaveClass('visually-hidden');
  expect((await page.locator('h1').boundingBox())?.width ?? 0).toBeLessThanOrEqual(1);
  await expect(app.play).not.toBeVisible();
  await expect(app.preset).not.toBeVisible();
  expect(app.errors).toEqual([]);
});

/** Commands a careless or hostile host might post; each must be ignored with a warning. */
const HOSTILE_COMMANDS: unknown[] = [
  { target: 'arcface-playground', command: 'setParams', params: { m2: 'lots' } },
  { target: 'arcface-playground', command: 'setParams', params: { m2: 1e308 } },
  { target: 'arcface-playground', command: 'setParams', params: { m2: Number.NaN } },
  { target: 'arcface-playground', command: 'setParams', params: { s: -1 } },
  { target: 'arcface-playground', command: 'setParams', params: { seed: 1.5 } },
  { target: 'arcface-playground', command: 'setParams', params: { lr: Number.POSITIVE_INFINITY } },
  { target: 'arcface-playground', command: 'setParams', params: { m1: 1.2 }, extra: true },
  { target: 'arcface-playground', command: 'setParams', params: { bogus: 1 } },
  { target: 'arcface-playground', command: 'setParams', params: { __proto__: { polluted: 1 } } },
  { target: 'arcface-playground', command: 'setParams', params: [1, 2] },
  { target: 'arcface-playground', command: 'setParams', params: null },
  { target: 'arcface-playground', command: 'setParams', params: {} },
  { target: 'arcface-playground', command: 'setPreset', preset: 'nope' },
  { target: 'arcface-playground', command: 'setPreset', preset: 3 },
  { target: 'arcface-playground', command: 'step', count: 1e9 },
  { target: 'arcface-playground', command: 'step', count: -5 },
  { target: 'arcface-playground', command: 'step', count: 0 },
  { target: 'arcface-playground', command: 'step' },
  { target: 'arcface-playground', command: 'play', now: true },
  { target: 'arcface-playground', command: 'launch' },
  { target: 'arcface-playground', command: 42 },
  { target: 'arcface-playground' },
];

test(`${HOSTILE_COMMANDS.length} hostile postMessage commands are each ignored with a warning and change nothing`, async ({ page }) => {
  const host = new HostPage(page);
  await host.open();
  await host.click('step-10');
  await expect(host.lastStep).toHaveText('10', { timeout: 60_000 });
  const before = await host.log.textContent();
  const lastState = (text: string | null): string =>
    (text ?? '')
      .trim()
      .split('\n')
      .filter((line) => line.includes('"state"'))
      .pop() ?? '';
  await page.evaluate((commands) => {
    const frame = document.querySelector('iframe');
    for (const command of commands) frame?.contentWindow?.postMessage(command, '*');
  }, HOSTILE_COMMANDS);
  await expect.poll(() => host.warnings.filter((text) => text.includes('ignored a message')).length).toBe(HOSTILE_COMMANDS.length);
  await page.waitForTimeout(500);
  expect(lastState(await host.log.textContent())).toBe(lastState(before));
  await expect(host.lastStep).toHaveText('10');
  expect(host.errors).toEqual([]);
});
