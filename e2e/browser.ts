/**
 * Where the e2e tests and benchmarks find Chromium. Playwright's own browser download
 * is not used (it cannot be fetched on many CI machines); set CHROMIUM_PATH to any
 * Chromium or Chrome binary, or install Debian's `chromium`.
 */
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but no file is there. Point it at a Chromium or Chrome binary.`);
    return fromEnv;
  }
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(`No Chromium found (looked in ${CANDIDATES.join(', ')}). Install one (Debian: apt-get install chromium) or set CHROMIUM_PATH to its binary.`);
  }
  return found;
}

/** Flags that give headless Chromium a WebGPU adapter (SwiftShader on a machine without a GPU). */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'];

/** Flags that keep Chromium from reaching for the network on a closed machine. */
export const QUIET_FLAGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Lets the soak test collect garbage before it reads the heap. */
export const GC_FLAGS = ['--js-flags=--expose-gc'];
