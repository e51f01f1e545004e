import { defineConfig } from '@playwright/test';
import { GC_FLAGS, QUIET_FLAGS, WEBGPU_FLAGS, chromiumPath } from './e2e/browser';

const PORT = 4173;
const executablePath = chromiumPath();

export default defineConfig({
  testDir: 'e2e',
  // SwiftShader makes every WebGPU step ~100 ms and the machine has 2 cores.
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    // WebGPU needs a secure context: 127.0.0.1 is one, a LAN address is not.
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1280, height: 720 },
  },
  projects: [
    {
      name: 'webgpu',
      testIgnore: /(no-webgpu|hostile)\.spec\.ts/,
      use: { launchOptions: { executablePath, args: [...WEBGPU_FLAGS, ...QUIET_FLAGS, ...GC_FLAGS] } },
    },
    {
      name: 'no-webgpu',
      testMatch: /(no-webgpu|hostile)\.spec\.ts/,
      use: { launchOptions: { executablePath, args: ['--disable-features=WebGPU', ...QUIET_FLAGS] } },
    },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
