import { expect, test, type Page } from '@playwright/test';
import { StartupPage } from './fixtures/startupPage';

/**
 * Start on what starts fastest, move to what runs fastest (issue 11). The target
 * for the benchmark is a first step within 1.2× of a forced WASM page's. Two page loads
 * on a shared 2-core machine differ by a few hundred ms by chance, so this test allows
 * 1.5× + 1 s: about 3.7 s against WASM's usual 1.8 s here, still far below the 10–11 s
 * the old probe (WebGPU timed against WASM before the first step) took, so that probe
 * coming back fails it.
 */
const RATIO = 1.5;
const SLACK_MS = 1000;
const STORAGE_KEY = 'arcface-playground.backend-verdict';
/** A remembered verdict holds for one app version (package.json's and the build's commit), which the page names in a meta tag. */
async function appVersion(page: Page): Promise<string> {
  const version = await page.locator('meta[name="app-version"]').getAttribute('content');
  if (!version) throw new Error('the built page names no app-version');
  return version;
}

/** The adapter description as the app builds it (src/train/backend.ts checkWebGpuAdapter). */
async function adapterDescription(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) throw new Error('this browser offers no WebGPU adapter');
    const info = adapter.info;
    return [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown adapter';
  });
}

test('the automatic page trains as soon as a forced WASM page does, warms WebGPU up meanwhile and says why it stays on WASM; the next visit remembers', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  // The forced page first, in a context of its own: `?backend=` skips the warm-up.
  const wasmContext = await browser.newContext();
  const wasm = new StartupPage(await wasmContext.newPage());
  await wasm.open('?backend=wasm');
  const forced = await wasm.startupTimes();
  await expect(wasm.backend).toHaveText('wasm');
  await wasmContext.close();

  const auto = new StartupPage(page);
  await auto.open('');
  const automatic = await auto.startupTimes();
  testInfo.annotations.push({
    type: 'startup',
    description: `first frame ${automatic.firstFrameMs.toFixed(0)} ms vs wasm ${forced.firstFrameMs.toFixed(0)} ms; first step ${automatic.firstStepMs.toFixed(0)} ms vs wasm ${forced.firstStepMs.toFixed(0)} ms`,
  });
  expect(automatic.firstFrameMs).toBeLessThanOrEqual(forced.firstFrameMs * RATIO + SLACK_MS);
  expect(automatic.firstStepMs).toBeLessThanOrEqual(forced.firstStepMs * RATIO + SLACK_MS);
  await expect(auto.backend).toHaveText('wasm');

  // The warm-up's verdict. This suite's WebGPU is SwiftShader, which trains ~30× slower
  // than WASM, so the run stays, and the reason names the adapter and both timings.
  await expect(auto.backendReason).toHaveText(/^stays on WASM: WebGPU on a software adapter \(.*swiftshader.*\) took \d+(\.\d)? ms\/step against WASM's \d+(\.\d)? ms\/step$/i, { timeout: 90_000 });
  await expect(auto.backend).toHaveText('wasm');
  expect(auto.workersStarted, 'the training worker and one warm-up worker').toBe(2);
  // The warm-up waited for the first trained step, so it did not slow the start.
  const [, warmupAt] = await auto.workerTimes();
  expect(warmupAt).toBeGreaterThanOrEqual(automatic.firstStepMs);
  const stepAtVerdict = await auto.step();
  await expect.poll(() => auto.step(), { timeout: 30_000 }).toBeGreaterThan(stepAtVerdict);

  // The next visit in the same browser starts on the remembered backend, with no warm-up.
  const again = new StartupPage(await page.context().newPage());
  await again.open('');
  await expect(again.backendReason).toHaveText(/^remembered from an earlier visit \(\d{4}-\d\d-\d\d\): stays on WASM: WebGPU on a software adapter .* took .* against WASM's .*/, { timeout: 60_000 });
  await expect(again.backend).toHaveText('wasm');
  await again.startupTimes();
  await again.page.waitForTimeout(2000);
  expect(again.workersStarted, 'only the training worker').toBe(1);
});

test('a remembered verdict for WebGPU starts there directly, and a lost device still moves training back to WASM', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto('./?backend=cpu&autoplay=0');
  const adapter = await adapterDescription(page);
  const record = { appVersion: await appVersion(page), adapter, software: true, backend: 'webgpu', timings: { baseline: 'wasm', webgpuMs: 2, baselineMs: 12 }, when: Date.now() - 60_000 };
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [STORAGE_KEY, JSON.stringify(record)] as const);

  const app = new StartupPage(page);
  await app.open('?debug=1');
  await expect(app.backend).toHaveText('webgpu', { timeout: 60_000 });
  await expect(app.backendReason).toHaveText(/^remembered from an earlier visit \(\d{4}-\d\d-\d\d\): moved to WebGPU, 6\.0× faster/);
  await app.startupTimes(90_000);
  expect(app.workersStarted, 'no warm-up for a remembered verdict').toBe(1);

  await page.evaluate(() => (window as unknown as { __arcfaceDebug: { loseDevice(): Promise<void> } }).__arcfaceDebug.loseDevice());
  await expect(app.backend).toHaveText('wasm', { timeout: 60_000 });
  await expect(page.getByTestId('notices')).toContainText('webgpu stopped working');
});

test('a remembered verdict for another adapter is ignored: the page warms up again', async ({ page }) => {
  await page.goto('./?backend=cpu&autoplay=0');
  const record = {
    appVersion: await appVersion(page),
    adapter: 'some other gpu',
    software: false,
    backend: 'webgpu',
    timings: { baseline: 'wasm', webgpuMs: 2, baselineMs: 12 },
    when: Date.now() - 60_000,
  };
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [STORAGE_KEY, JSON.stringify(record)] as const);
  const app = new StartupPage(page);
  await app.open('');
  await expect(app.backendReason).toContainText('is warming up in the background', { timeout: 30_000 });
  await expect(app.backend).toHaveText('wasm');
});
