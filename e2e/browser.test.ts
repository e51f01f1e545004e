/**
 * The order in which e2e/browser.ts looks for (and installs) Chromium, on a fake
 * machine: which files exist, which names are on PATH, which commands succeed.
 */
import { describe, expect, it } from 'vitest';
import { APT_INSTALL, APT_UPDATE, CANDIDATES, CHROMIUM_ENV, NOT_FOUND, PLAYWRIGHT_INSTALL, PLAYWRIGHT_INSTALL_TIMEOUT_MS, chromiumPath, discoverChromium, type BrowserSystem } from './browser';

const PLAYWRIGHT_CHROME = '/home/me/.cache/ms-playwright/chromium-1/chrome-linux64/chrome';

interface FakeMachine {
  env?: Record<string, string>;
  files?: string[];
  onPath?: Record<string, string>;
  root?: boolean;
  debian?: boolean;
  /** What each command does when run: succeed, and which files it leaves behind. */
  commands?: Record<string, { ok: boolean; creates?: string[] }>;
}

interface Fake {
  system: BrowserSystem;
  ran: { command: string; timeoutMs: number }[];
  logs: string[];
}

function fakeMachine(machine: FakeMachine): Fake {
  const files = new Set(machine.files ?? []);
  const ran: Fake['ran'] = [];
  const logs: string[] = [];
  const system: BrowserSystem = {
    env: machine.env ?? {},
    exists: (path) => files.has(path),
    which: (name) => machine.onPath?.[name] ?? null,
    playwrightChromium: () => PLAYWRIGHT_CHROME,
    run: (command, timeoutMs) => {
      const line = command.join(' ');
      ran.push({ command: line, timeoutMs });
      const outcome = machine.commands?.[line];
      for (const created of outcome?.creates ?? []) files.add(created);
      return outcome?.ok ?? false;
    },
    isRoot: machine.root ?? false,
    isDebian: machine.debian ?? false,
    log: (message) => logs.push(message),
  };
  return { system, ran, logs };
}

const INSTALL = PLAYWRIGHT_INSTALL.join(' ');
const UPDATE = APT_UPDATE.join(' ');
const APT = APT_INSTALL.join(' ');

describe('discoverChromium', () => {
  it('takes CHROMIUM_PATH first, over an installed browser', () => {
    const { system, ran } = fakeMachine({ env: { CHROMIUM_PATH: '/opt/chrome/chrome' }, files: ['/opt/chrome/chrome', '/usr/bin/chromium'] });
    expect(discoverChromium(system)).toEqual({ ok: true, path: '/opt/chrome/chrome', source: 'CHROMIUM_PATH' });
    expect(ran).toEqual([]);
  });

  it('stops with a message when CHROMIUM_PATH names no file, rather than picking another browser', () => {
    const { system, ran } = fakeMachine({ env: { CHROMIUM_PATH: '/opt/typo' }, files: ['/usr/bin/chromium'] });
    const found = discoverChromium(system);
    expect(found.ok).toBe(false);
    expect(found.ok ? '' : found.message).toContain('CHROMIUM_PATH is set to /opt/typo');
    expect(ran).toEqual([]);
  });

  it('then the usual install paths, in order', () => {
    const { system } = fakeMachine({ files: ['/usr/bin/google-chrome', '/usr/bin/chromium-browser'] });
    expect(discoverChromium(system)).toMatchObject({ ok: true, path: '/usr/bin/chromium-browser' });
    expect(CANDIDATES[0]).toBe('/usr/bin/chromium');
  });

  it('then chromium or google-chrome on PATH', () => {
    const { system } = fakeMachine({ onPath: { 'google-chrome': '/snap/bin/google-chrome' }, files: [PLAYWRIGHT_CHROME] });
    expect(discoverChromium(system)).toMatchObject({ ok: true, path: '/snap/bin/google-chrome' });
  });

  it('then a Chromium Playwright has already installed, without running anything', () => {
    const { system, ran } = fakeMachine({ files: [PLAYWRIGHT_CHROME], root: true, debian: true, onPath: { 'apt-get': '/usr/bin/apt-get' } });
    expect(discoverChromium(system)).toEqual({ ok: true, path: PLAYWRIGHT_CHROME, source: 'Playwright' });
    expect(ran).toEqual([]);
  });

  it('then `npx playwright install chromium`, under a timeout, and checks that the download starts', () => {
    const { system, ran, logs } = fakeMachine({
      commands: { [INSTALL]: { ok: true, creates: [PLAYWRIGHT_CHROME] }, [`${PLAYWRIGHT_CHROME} --version`]: { ok: true } },
    });
    expect(discoverChromium(system)).toMatchObject({ ok: true, path: PLAYWRIGHT_CHROME });
    expect(ran.map((entry) => entry.command)).toEqual([INSTALL, `${PLAYWRIGHT_CHROME} --version`]);
    expect(ran[0].timeoutMs).toBe(PLAYWRIGHT_INSTALL_TIMEOUT_MS);
    expect(ran.every((entry) => entry.timeoutMs > 0 && Number.isFinite(entry.timeoutMs))).toBe(true);
    expect(logs.join('\n')).toContain('npx');
  });

  it('on Debian as root, falls back to apt-get when the Playwright download fails, and says so', () => {
    const { system, ran, logs } = fakeMachine({
      root: true,
      debian: true,
      onPath: { 'apt-get': '/usr/bin/apt-get' },
      commands: { [INSTALL]: { ok: false }, [UPDATE]: { ok: true }, [APT]: { ok: true, creates: ['/usr/bin/chromium'] } },
    });
    expect(discoverChromium(system)).toMatchObject({ ok: true, path: '/usr/bin/chromium' });
    expect(ran.map((entry) => entry.command)).toEqual([INSTALL, UPDATE, APT]);
    expect(logs.join('\n')).toMatch(/Installing Debian's chromium/);
  });

  it('goes on to apt-get when Playwright downloads a Chromium that cannot start (missing libraries)', () => {
    const { system, ran } = fakeMachine({
      root: true,
      debian: true,
      onPath: { 'apt-get': '/usr/bin/apt-get' },
      commands: { [INSTALL]: { ok: true, creates: [PLAYWRIGHT_CHROME] }, [UPDATE]: { ok: true }, [APT]: { ok: true, creates: ['/usr/bin/chromium'] } },
    });
    expect(discoverChromium(system)).toMatchObject({ ok: true, path: '/usr/bin/chromium' });
    expect(ran.map((entry) => entry.command)).toEqual([INSTALL, `${PLAYWRIGHT_CHROME} --version`, UPDATE, APT]);
  });

  it('does not run apt-get when not root, or not on Debian', () => {
    for (const machine of [
      { root: false, debian: true },
      { root: true, debian: false },
    ]) {
      const { system, ran } = fakeMachine({ ...machine, onPath: { 'apt-get': '/usr/bin/apt-get' } });
      expect(discoverChromium(system)).toEqual({ ok: false, message: NOT_FOUND });
      expect(ran.map((entry) => entry.command)).toEqual([INSTALL]);
    }
  });

  it('does not install when apt-get update fails', () => {
    const { system, ran } = fakeMachine({ root: true, debian: true, onPath: { 'apt-get': '/usr/bin/apt-get' }, commands: { [UPDATE]: { ok: false } } });
    expect(discoverChromium(system)).toEqual({ ok: false, message: NOT_FOUND });
    expect(ran.map((entry) => entry.command)).toEqual([INSTALL, UPDATE]);
  });

  it('when all fails, ends with one sentence of what to do', () => {
    const { system } = fakeMachine({ root: true, debian: true, onPath: { 'apt-get': '/usr/bin/apt-get' } });
    const found = discoverChromium(system);
    expect(found).toEqual({ ok: false, message: NOT_FOUND });
    expect(NOT_FOUND.split(/\.\s/)).toHaveLength(1);
    expect(NOT_FOUND).toContain('CHROMIUM_PATH');
  });
});

describe('chromiumPath', () => {
  it('reuses the path globalSetup found, with no second search', () => {
    const { system, ran } = fakeMachine({ env: { [CHROMIUM_ENV]: PLAYWRIGHT_CHROME }, files: [PLAYWRIGHT_CHROME, '/usr/bin/chromium'] });
    expect(chromiumPath(system)).toBe(PLAYWRIGHT_CHROME);
    expect(ran).toEqual([]);
  });

  it('searches again when the remembered path is gone, and throws the message when nothing is found', () => {
    const { system } = fakeMachine({ env: { [CHROMIUM_ENV]: '/gone/chrome' } });
    expect(() => chromiumPath(system)).toThrow(NOT_FOUND);
  });
});
