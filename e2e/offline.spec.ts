import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppPage } from './fixtures/appPage';

// playwright.config.ts blocks service workers for every other spec; this one is about them.
test.use({ serviceWorkers: 'allow' });

const OUT_DIR = process.env.BUILD_OUT_DIR ?? 'dist';
/** WASM starts in about 2 s here; the offline reload must train as a normal load does. */
const QUERY = '?backend=wasm';

/** Console errors, page errors and CSP violations of one page, from before its first script runs. */
class PageProblems {
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.errors.push(`page error: ${error.message}`));
  }

  async watchCsp(): Promise<void> {
    await this.page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
    });
  }
}

/** Waits until the page's service worker is active and controls the page (reloading once if the first load was not yet controlled). */
async function waitForOfflineCopy(page: Page): Promise<void> {
  const activeWorker = () => page.evaluate(() => navigator.serviceWorker.getRegistration().then((registration) => registration?.active?.state ?? 'none'));
  await expect.poll(activeWorker, { message: 'the app registers its service worker and it activates', timeout: 60_000 }).toBe('activated');
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none')).toBe('activated');
}

async function currentStep(app: AppPage): Promise<number> {
  return Number(await app.stepCounter.textContent());
}

/** The precache list that the built sw.js carries (Workbox writes it as {url:"...",revision:...} entries). */
async function precachedUrls(context: BrowserContext): Promise<string[]> {
  const response = await context.request.get('./sw.js');
  expect(response.ok()).toBe(true);
  return [...(await response.text()).matchAll(/url:"([^"]+)"/g)].map((match) => match[1]);
}

test('the precache names every script chunk, stylesheet and .wasm file the build emitted', async ({ context }) => {
  const urls = new Set(await precachedUrls(context));
  const emitted = readdirSync(join(OUT_DIR, 'assets')).filter((name) => /\.(js|css|wasm)$/.test(name));
  // The backends, the training worker and the WASM binaries are all lazy: a missing one would only show offline.
  expect(emitted.filter((name) => name.endsWith('.wasm'))).toHaveLength(3);
  expect(emitted.some((name) => name.startsWith('worker-'))).toBe(true);
  expect(emitted.map((name) => `assets/${name}`).filter((url) => !urls.has(url))).toEqual([]);
  for (const shell of ['index.html', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png']) expect(urls).toContain(shell);
  const bytes = [...urls].reduce((total, url) => total + statSync(join(OUT_DIR, url)).size, 0);
  console.log(`precache: ${urls.size} files, ${bytes} bytes`);
});

test('a page opened once opens again with no network, trains, and logs no error or CSP violation', async ({ context, page }) => {
  const app = new AppPage(page);
  const problems = new PageProblems(page);
  await problems.watchCsp();
  await app.open(QUERY);
  await waitForOfflineCopy(page);
  // The CSP is the built one, unchanged by the plugin.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).not.toContain("'unsafe-eval'");

  await context.setOffline(true);
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  await expect(app.backend).toContainText('wasm', { ignoreCase: true, timeout: 60_000 });
  await expect.poll(() => currentStep(app), { timeout: 60_000 }).toBeGreaterThan(0);
  expect(problems.errors).toEqual([]);
  // The network is really off: a file the precache does not hold cannot be fetched.
  expect(
    await page.evaluate(() =>
      fetch('./og-image.png').then(
        () => 'fetched',
        () => 'failed',
      ),
    ),
  ).toBe('failed');
  await context.setOffline(false);
});

test('a newer version waits behind a toast; training goes on until the user reloads for it', async ({ page }) => {
  const app = new AppPage(page);
  const problems = new PageProblems(page);
  await app.open(QUERY);
  await waitForOfflineCopy(page);
  await expect.poll(() => currentStep(app), { timeout: 60_000 }).toBeGreaterThan(0);
  const prompt = page.getByTestId('update-prompt');
  await expect(prompt).toBeHidden();

  await page.evaluate(() => {
    (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
  });
  // A new deploy: the served worker script changes. (Playwright's routes do not see the
  // browser's own update check of sw.js, so the file itself changes.) It stays changed until
  // the test ends: the reload below makes the browser check sw.js again, and finding the old
  // bytes there would install them as yet another waiting version.
  const workerFile = join(OUT_DIR, 'sw.js');
  const deployed = readFileSync(workerFile, 'utf8');
  try {
    writeFileSync(workerFile, `${deployed}\n// the next version\n`);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((registration) => registration?.update()));
    await expect(prompt).toBeVisible({ timeout: 30_000 });
    await expect(prompt.getByRole('button', { name: 'Reload for the new version' })).toBeVisible();
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((registration) => registration?.waiting?.state))).toBe('installed');

    // Nothing swaps in by itself: the same document keeps training under the old worker.
    const shownAt = await currentStep(app);
    await expect.poll(() => currentStep(app), { timeout: 30_000 }).toBeGreaterThan(shownAt + 20);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await expect(prompt).toBeVisible();

    const reloaded = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 30_000 });
    await prompt.getByRole('button', { name: 'Reload for the new version' }).click();
    await reloaded;
    await page.waitForLoadState();
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument ?? false)).toBe(false);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.getRegistration().then((registration) => registration?.waiting ?? null))).toBeNull();
    await expect(prompt).toBeHidden();
    await expect.poll(() => currentStep(app), { timeout: 60_000 }).toBeGreaterThan(0);
  } finally {
    writeFileSync(workerFile, deployed);
  }
  expect(problems.errors).toEqual([]);
});
