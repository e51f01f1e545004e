import { describe, expect, it } from 'vitest';
import type { VerdictRecord } from '../core/backendVerdict';
import { APP_VERSION, VERDICT_STORAGE_KEY, verdictMemory, type VerdictStorage } from './backendMemory';
import packageJson from '../../package.json';

const record: VerdictRecord = {
  appVersion: APP_VERSION,
  adapter: 'google swiftshader',
  software: true,
  backend: 'wasm',
  timings: { baseline: 'wasm', webgpuMs: 95, baselineMs: 3.1 },
  when: Date.UTC(2026, 10, 29),
};

function mapStorage(): VerdictStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

const throwing: VerdictStorage = {
  getItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
  setItem: () => {
    throw new DOMException('full', 'QuotaExceededError');
  },
};

describe('verdictMemory', () => {
  it('the app version is package.json’s, with the commit the build came from', () => {
    // Outside a git checkout vite.config.ts leaves the commit off.
    expect(APP_VERSION).toMatch(new RegExp(`^${packageJson.version.replace(/\./g, '\\.')}(\\+[0-9a-f]{12})?$`));
  });

  it('writes a record and reads it back', () => {
    const storage = mapStorage();
    const memory = verdictMemory(() => storage);
    expect(memory.read()).toBeNull();
    expect(memory.write(record)).toBe(true);
    expect(storage.items.has(VERDICT_STORAGE_KEY)).toBe(true);
    expect(memory.read()).toEqual(record);
  });

  it('garbage in storage reads as no record', () => {
    const storage = mapStorage();
    const memory = verdictMemory(() => storage);
    for (const text of ['{not json', '"wasm"', 'null', JSON.stringify({ ...record, backend: 'metal' })]) {
      storage.items.set(VERDICT_STORAGE_KEY, text);
      expect(memory.read(), text).toBeNull();
    }
  });

  it('storage that throws, or none at all, does not break the page: no record, and a write says it failed', () => {
    const memory = verdictMemory(() => throwing);
    expect(memory.read()).toBeNull();
    expect(memory.write(record)).toBe(false);
    const absent = verdictMemory(() => null);
    expect(absent.read()).toBeNull();
    expect(absent.write(record)).toBe(false);
    const unreachable = verdictMemory(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    expect(unreachable.read()).toBeNull();
    expect(unreachable.write(record)).toBe(false);
  });
});
