/**
 * Where the e2e tests and benchmarks find Chromium, so that `npm install && npm test`
 * works on a fresh machine. The order, in `discoverChromium`:
 * 1. CHROMIUM_PATH, if set (and it must then point at a file: a typo should not be
 *    silently replaced by another browser);
 * 2. an installed Chrome or Chromium: the usual paths, then the usual names on PATH;
 * 3. Playwright's own Chromium, if `playwright install` has already put it there;
 * 4. `npx playwright install chromium`, under a timeout, since a closed network must
 *    fail the run rather than hang it;
 * 5. on Debian, as root: `apt-get update` and `apt-get install -y chromium`;
 * 6. else one sentence saying what to do.
 * The search runs once per test run in Playwright's globalSetup (e2e/globalSetup.ts),
 * which hands the path to the workers in CHROMIUM_ENV; bench/ calls `chromiumPath()`.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

/** Set by globalSetup for the workers, which evaluate playwright.config.ts again. */
export const CHROMIUM_ENV = 'ARCFACE_E2E_CHROMIUM';

export const CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export const COMMAND_NAMES: readonly string[] = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** A browser download (~170 MB) on a slow line fits; a dead network fails long before. */
export const PLAYWRIGHT_INSTALL_TIMEOUT_MS = 300_000;
export const APT_TIMEOUT_MS = 600_000;
/** Starting the binary once proves its shared libraries are there. */
export const VERSION_TIMEOUT_MS = 30_000;

export const PLAYWRIGHT_INSTALL: readonly string[] = ['npx', '--no', 'playwright', 'install', 'chromium'];
export const APT_UPDATE: readonly string[] = ['apt-get', 'update', '-qq'];
export const APT_INSTALL: readonly string[] = ['apt-get', 'install', '-y', '-qq', 'chromium'];

export const NOT_FOUND =
  'No Chromium or Chrome was found and none could be installed: install one (Debian: `sudo apt-get install chromium`, elsewhere `npx playwright install chromium` with network access) or set CHROMIUM_PATH to its binary.';

/** What the search may look at and do; the real machine in `realSystem`, a fake in the unit test. */
export interface BrowserSystem {
  env: Readonly<Record<string, string | undefined>>;
  exists(path: string): boolean;
  /** The executable `command` resolves to on PATH, or null. */
  which(command: string): string | null;
  /** Where Playwright keeps (or would keep) its Chromium. */
  playwrightChromium(): string;
  /** Runs a command to its end or until `timeoutMs`; true only for exit code 0. */
  run(command: readonly string[], timeoutMs: number): boolean;
  isRoot: boolean;
  isDebian: boolean;
  log(message: string): void;
}

export type ChromiumDiscovery = { ok: true; path: string; source: string } | { ok: false; message: string };

export function discoverChromium(system: BrowserSystem): ChromiumDiscovery {
  const fromEnv = system.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (system.exists(fromEnv)) return { ok: true, path: fromEnv, source: 'CHROMIUM_PATH' };
    return { ok: false, message: `CHROMIUM_PATH is set to ${fromEnv}, but no file is there: point it at a Chromium or Chrome binary, or unset it.` };
  }
  const installed = CANDIDATES.find((candidate) => system.exists(candidate));
  if (installed) return { ok: true, path: installed, source: 'installed' };
  for (const name of COMMAND_NAMES) {
    const onPath = system.which(name);
    if (onPath) return { ok: true, path: onPath, source: `PATH (${name})` };
  }
  const playwrightOwn = system.playwrightChromium();
  if (system.exists(playwrightOwn)) return { ok: true, path: playwrightOwn, source: 'Playwright' };

  system.log(`No Chromium found; trying \`${PLAYWRIGHT_INSTALL.join(' ')}\` (gives up after ${PLAYWRIGHT_INSTALL_TIMEOUT_MS / 1000} s)`);
  if (system.run(PLAYWRIGHT_INSTALL, PLAYWRIGHT_INSTALL_TIMEOUT_MS) && system.exists(playwrightOwn)) {
    if (system.run([playwrightOwn, '--version'], VERSION_TIMEOUT_MS)) return { ok: true, path: playwrightOwn, source: 'Playwright (installed now)' };
    system.log(`Playwright's Chromium at ${playwrightOwn} does not start, probably for want of system libraries (\`npx playwright install-deps chromium\` adds them)`);
  }

  if (system.isDebian && system.isRoot && system.which('apt-get')) {
    system.log(`Installing Debian's chromium: ${APT_UPDATE.join(' ')} && ${APT_INSTALL.join(' ')}`);
    if (system.run(APT_UPDATE, APT_TIMEOUT_MS) && system.run(APT_INSTALL, APT_TIMEOUT_MS)) {
      const fromApt = CANDIDATES.find((candidate) => system.exists(candidate)) ?? system.which('chromium');
      if (fromApt) return { ok: true, path: fromApt, source: 'apt-get (installed now)' };
    }
  }
  return { ok: false, message: NOT_FOUND };
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function realSystem(): BrowserSystem {
  return {
    env: process.env,
    exists: (path) => existsSync(path),
    which: (command) => {
      for (const directory of (process.env.PATH ?? '').split(delimiter)) {
        if (!directory) continue;
        const path = join(directory, command);
        if (isExecutableFile(path)) return path;
      }
      return null;
    },
    playwrightChromium: () => chromium.executablePath(),
    run: (command, timeoutMs) => {
      const [file, ...args] = command;
      // stdio is inherited, not piped: the output shows as it comes, and a grandchild
      // left behind by a timed-out npx cannot hold the call open through a pipe.
      const result = spawnSync(file, args, {
        stdio: 'inherit',
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT: '30000' },
      });
      if (result.error) process.stderr.write(`[e2e browser] ${command.join(' ')}: ${result.error.message}\n`);
      return result.status === 0;
    },
    isRoot: process.getuid?.() === 0,
    isDebian: existsSync('/etc/debian_version'),
    log: (message) => process.stderr.write(`[e2e browser] ${message}\n`),
  };
}

/**
 * The Chromium binary to drive, finding or installing one if needed; throws the one
 * sentence of what to do when there is none. A path that globalSetup already found
 * (CHROMIUM_ENV) is reused, so the search and any install run once per test run.
 */
export function chromiumPath(system: BrowserSystem = realSystem()): string {
  const cached = system.env[CHROMIUM_ENV];
  if (cached && system.exists(cached)) return cached;
  const found = discoverChromium(system);
  if (!found.ok) throw new Error(found.message);
  return found.path;
}

/** Flags that give headless Chromium a WebGPU adapter (SwiftShader on a machine without a GPU). */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'];

/** Flags that keep Chromium from reaching for the network on a closed machine. */
export const QUIET_FLAGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Lets the soak test collect garbage before it reads the heap. */
export const GC_FLAGS = ['--js-flags=--expose-gc'];
