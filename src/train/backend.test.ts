/**
 * The backend to start on, with made-up adapters: `chooseBackend` runs against fake
 * browser effects, so no GPU, no WASM and no tfjs backend is started. Whether a run later
 * moves to WebGPU is src/core/backendVerdict.ts's business (and its tests').
 */
import { describe, expect, it } from 'vitest';
import { chooseBackend, fallbackAfter, type AdapterCheck, type BackendEffects, type BackendName } from './backend';

const swiftShader: AdapterCheck = { ok: true, software: true, description: 'google swiftshader' };
const noWebGpu: AdapterCheck = { ok: false, reason: 'this browser has no WebGPU' };

/** Fake browser effects: a fixed adapter and backends that fail by name. */
function fakeBrowser(adapter: AdapterCheck, failing: BackendName[] = []) {
  const log = { activated: [] as BackendName[], adapterChecks: 0 };
  let current: BackendName | null = null;
  const effects: BackendEffects = {
    checkAdapter: async () => {
      log.adapterChecks++;
      return adapter;
    },
    activate: async (name) => {
      log.activated.push(name);
      if (failing.includes(name)) return `${name} failed to initialise`;
      current = name;
      return null;
    },
  };
  return { effects, log, current: () => current };
}

describe('chooseBackend', () => {
  it('automatic: starts on WASM at once, without looking for or starting WebGPU', async () => {
    const browser = fakeBrowser(swiftShader);
    const info = await chooseBackend('auto', browser.effects);
    expect(info).toEqual({ name: 'wasm', requested: 'auto', fellBack: false, reason: 'wasm starts fastest' });
    expect(browser.log).toEqual({ activated: ['wasm'], adapterChecks: 0 });
    expect(browser.current()).toBe('wasm');
  });

  it('automatic, WASM fails: WebGL, then the CPU, each a fallback that says why', async () => {
    const webgl = await chooseBackend('auto', fakeBrowser(swiftShader, ['wasm']).effects);
    expect(webgl).toMatchObject({ name: 'webgl', fellBack: true });
    expect(webgl.reason).toContain('wasm failed to initialise');
    const cpu = fakeBrowser(swiftShader, ['wasm', 'webgl']);
    expect(await chooseBackend('auto', cpu.effects)).toMatchObject({ name: 'cpu', fellBack: true });
    expect(cpu.log.activated).toEqual(['wasm', 'webgl', 'cpu']);
  });

  it('a forced backend: no adapter check', async () => {
    for (const forced of ['wasm', 'cpu', 'webgl'] as const) {
      const browser = fakeBrowser(swiftShader);
      const info = await chooseBackend(forced, browser.effects);
      expect(info).toEqual({ name: forced, requested: forced, fellBack: false, reason: `${forced} was requested` });
      expect(browser.log.adapterChecks).toBe(0);
    }
  });

  it('forced WebGPU on a software adapter: WebGPU, naming the adapter', async () => {
    const browser = fakeBrowser(swiftShader);
    const info = await chooseBackend('webgpu', browser.effects);
    expect(info).toEqual({ name: 'webgpu', requested: 'webgpu', fellBack: false, reason: 'webgpu was requested (google swiftshader)', adapter: 'google swiftshader', softwareAdapter: true });
    expect(browser.log.activated).toEqual(['webgpu']);
  });

  it('forced WebGPU without WebGPU: WebGL, a fallback whose reason names what was missing', async () => {
    const browser = fakeBrowser(noWebGpu);
    const info = await chooseBackend('webgpu', browser.effects);
    expect(info).toMatchObject({ name: 'webgl', fellBack: true });
    expect(info.reason).toContain('this browser has no WebGPU');
  });

  it('a forced backend that fails falls through the order after it', async () => {
    const browser = fakeBrowser(noWebGpu, ['wasm', 'webgl']);
    const info = await chooseBackend('wasm', browser.effects);
    expect(info).toMatchObject({ name: 'cpu', fellBack: true });
    expect(info.reason).toContain('wasm failed to initialise');
  });

  it('nothing starts: one sentence saying what to do', async () => {
    await expect(chooseBackend('auto', fakeBrowser(noWebGpu, ['webgl', 'wasm', 'cpu']).effects)).rejects.toThrow(/Training cannot start.*try a recent Chrome/);
  });
});

describe('fallbackAfter', () => {
  it('an automatic run that moved to WebGPU goes back to WASM, then WebGL, then the CPU', () => {
    expect(fallbackAfter('webgpu', 'auto')).toBe('wasm');
    expect(fallbackAfter('wasm', 'auto')).toBe('webgl');
    expect(fallbackAfter('webgl', 'auto')).toBe('cpu');
    expect(fallbackAfter('cpu', 'auto')).toBeUndefined();
  });

  it('a forced run takes the next backend in the usual order', () => {
    expect(fallbackAfter('webgpu', 'webgpu')).toBe('webgl');
    expect(fallbackAfter('webgl', 'webgpu')).toBe('wasm');
    expect(fallbackAfter('cpu', 'cpu')).toBeUndefined();
  });
});
