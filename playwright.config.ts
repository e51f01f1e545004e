import { defineConfig } from '@playwright/test';
import { CHROMIUM_ENV, GC_FLAGS, QUIET_FLAGS, WEBGPU_FLAGS } from './e2e/browser';

// E2E_PORT lets two checkouts on one machine test side by side without sharing a server.
const PORT = Number(process.env.E2E_PORT ?? 4173);
// The build to serve: `npm run build` writes dist/ unless BUILD_OUT_DIR names another folder.
const OUT_DIR = process.env.BUILD_OUT_DIR ?? 'dist';
// Set by e2e/globalSetup.ts. The main process evaluates this file before globalSetup
// runs and leaves it unset, but only the workers launch browsers, and they see it.
const executablePath = process.env[CHROMIUM_ENV];
/**
 * Specs whose checks depend on having the machine to themselves: start-up time ratios, the
 * soak's heap trend, WebGPU parity on SwiftShader (which uses every core), and a lost
 * device's recovery window. They run one at a time, in a pass of their own.
 */
const SERIAL_SPECS = /(startup|soak|fused|robustness)\.spec\.ts/;
/**
 * Specs that need WebGPU (or the GPU process's video encoders), or compare pixels with
 * baselines made under SwiftShader's compositing.
 */
const SWIFTSHADER_SPECS = /(visual|engine|record-encoder)\.spec\.ts/;
const NO_WEBGPU_SPECS = /(no-webgpu|hostile)\.spec\.ts/;

export default defineConfig({
  testDir: 'e2e',
  // e2e/*.test.ts are Vitest unit tests of the e2e helpers, not browser specs.
  testMatch: /\.spec\.ts$/,
  globalSetup: './e2e/globalSetup.ts',
  // A stray test.only must not turn a CI run into a one-test run that passes.
  forbidOnly: !!process.env.CI,
  // Two cores: the specs that time things or train long on WebGPU (SERIAL_SPECS) run one at
  // a time in their own pass (see test:e2e in package.json); the rest, which check what the
  // page shows and are not timed, run two at a time.
  workers: 2,
  timeout: 90_000,
  expect: {
    timeout: 30_000,
    toHaveScreenshot: {
      // Repeated CPU-backend runs on one machine gave identical pixels (measured with
      // 0 over five runs), so this allows only for antialiasing noise: 0.02% is about 20
      // pixels of a 330×305 panel. It has to be that small: a W line hidden under its
      // own dashed centre line differs in only ~70 pixels (tried), a missing identity's
      // points in ~300.
      maxDiffPixelRatio: 0.0002,
      // Per pixel, a colour difference (YIQ) of 0.05 counts, not Playwright's default 0.2,
      // which let the θ_y histogram's bars fade from 55% to 35% opacity unnoticed (tried).
      threshold: 0.05,
      animations: 'disabled',
      caret: 'hide',
      scale: 'css',
    },
  },
  // One baseline per panel, without Playwright's per-platform suffix: the baselines are
  // made with the Debian Chromium that CI uses, and a different one should fail loudly.
  snapshotPathTemplate: '{testDir}/baselines/{arg}{ext}',
  // CI compares with the committed baselines and never writes a missing one.
  updateSnapshots: process.env.CI ? 'none' : 'missing',
  reporter: [['list']],
  use: {
    // WebGPU needs a secure context: 127.0.0.1 is one, a LAN address is not.
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1280, height: 720 },
    // Every test gets a fresh context; a service worker precaching ~4 MB in each would slow the
    // suite. e2e/offline.spec.ts allows them for itself.
    serviceWorkers: 'block',
  },
  projects: [
    {
      name: 'webgpu',
      testMatch: SERIAL_SPECS,
      workers: 1,
      use: { launchOptions: { executablePath, args: [...WEBGPU_FLAGS, ...QUIET_FLAGS, ...GC_FLAGS] } },
    },
    {
      name: 'webgpu-parallel',
      testMatch: SWIFTSHADER_SPECS,
      fullyParallel: true,
      use: { launchOptions: { executablePath, args: [...WEBGPU_FLAGS, ...QUIET_FLAGS, ...GC_FLAGS] } },
    },
    {
      // What the page shows on the CPU and WASM backends: layout, accessibility, links,
      // lessons, the timeline, the deck. Without a GPU process Chromium draws with Skia on
      // the CPU, which here is about a fifth cheaper than SwiftShader's emulated GL (measured
      // on layout.spec: 46 s against 59 s), and no WebGPU warm-up starts behind the test.
      name: 'light',
      testIgnore: [SERIAL_SPECS, SWIFTSHADER_SPECS, NO_WEBGPU_SPECS],
      fullyParallel: true,
      use: { launchOptions: { executablePath, args: ['--disable-gpu', ...QUIET_FLAGS] } },
    },
    {
      name: 'no-webgpu',
      testMatch: NO_WEBGPU_SPECS,
      use: { launchOptions: { executablePath, args: ['--disable-features=WebGPU', ...QUIET_FLAGS] } },
    },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${OUT_DIR}`,
    url: `http://127.0.0.1:${PORT}/`,
    // Never test a server left over from an older build (or another checkout): if the
    // port is taken, Playwright stops and says so.
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
