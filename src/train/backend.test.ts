/**
 * The automatic backend choice with made-up adapters and timings: the pure decision
 * (`needsProbe`, `decideWebGpu`) and `chooseBackend` run against fake browser effects,
 * so no GPU, no WASM and no tfjs backend is started.
 */
import { describe, expect, it } from 'vitest';
import { chooseBackend, decideWebGpu, needsProbe, type AdapterCheck, type BackendEffects, type BackendName } from './backend';

const swiftShader: AdapterCheck = { ok: true, software: true, description: 'google swiftshader' };
const hardware: AdapterCheck = { ok: true, software: false, description: 'nvidia ampere' };
const noWebGpu: AdapterCheck = { ok: false, reason: 'this browser has no WebGPU' };

describe('needsProbe', () => {
  it('probes only an automatic choice on a software adapter', () => {
    expect(needsProbe('auto', swiftShader)).toBe(true);
    expect(needsProbe('auto', hardware)).toBe(false);
    expect(needsProbe('auto', noWebGpu)).toBe(false);
    for (const forced of ['webgpu', 'webgl', 'wasm', 'cpu'] as const) expect(needsProbe(forced, swiftShader)).toBe(false);
  });
});

describe('decideWebGpu', () => {
  it('a software adapter with WASM faster: WASM, a fallback, with both timings in the reason', () => {
    const decision = decideWebGpu('auto', swiftShader, { ok: true, webgpuMs: 85.7, wasmMs: 5 });
    expect(decision).toMatchObject({ name: 'wasm', fellBack: true });
    expect(decision.reason).toContain('google swiftshader');
    expect(decision.reason).toContain('webgpu 85.7 ms/step vs wasm 5.0 ms/step');
  });

  it('a software adapter with WebGPU faster (or equal): WebGPU, not a fallback', () => {
    expect(decideWebGpu('auto', swiftShader, { ok: true, webgpuMs: 3, wasmMs: 4 })).toMatchObject({ name: 'webgpu', fellBack: false });
    // A tie keeps the first choice: switching costs a backend start for nothing.
    expect(decideWebGpu('auto', swiftShader, { ok: true, webgpuMs: 4, wasmMs: 4 }).name).toBe('webgpu');
  });

  it('a hardware adapter: WebGPU without a probe', () => {
    const decision = decideWebGpu('auto', hardware, null);
    expect(decision).toEqual({ name: 'webgpu', fellBack: false, reason: 'webgpu is the first choice (nvidia ampere)' });
  });

  it('a forced WebGPU on a software adapter: WebGPU without a probe', () => {
    expect(decideWebGpu('webgpu', swiftShader, null)).toMatchObject({ name: 'webgpu', fellBack: false, reason: 'webgpu was requested (google swiftshader)' });
  });

  it('a failed probe says which side failed and why', () => {
    const webgpuFailed = decideWebGpu('auto', swiftShader, { ok: false, failed: 'webgpu', reason: 'the probe failed: device lost' });
    expect(webgpuFailed).toMatchObject({ name: 'wasm', fellBack: true });
    expect(webgpuFailed.reason).toContain('device lost');
    const wasmFailed = decideWebGpu('auto', swiftShader, { ok: false, failed: 'wasm', reason: 'wasm failed: no WebAssembly' });
    expect(wasmFailed).toMatchObject({ name: 'webgpu', fellBack: false });
    expect(wasmFailed.reason).toContain('no WebAssembly');
  });

  it('refuses to decide for a software adapter without the probe it needs', () => {
    expect(() => decideWebGpu('auto', swiftShader, null)).toThrow(/probe/);
  });
});

/** Fake browser effects: a fixed adapter, backends that fail by name, a timing per backend. */
function fakeBrowser(adapter: AdapterCheck, options: { failing?: BackendName[]; msPerStep?: Partial<Record<BackendName, number | Error>> } = {}) {
  const log = { activated: [] as BackendName[], probed: [] as BackendName[], adapterChecks: 0 };
  let current: BackendName | null = null;
  const effects: BackendEffects = {
    checkAdapter: async () => {
      log.adapterChecks++;
      return adapter;
    },
    activate: async (name) => {
      log.activated.push(name);
      if (options.failing?.includes(name)) return `${name} failed to initialise`;
      current = name;
      return null;
    },
  };
  const probe = async (): Promise<number> => {
    if (!current) throw new Error('no backend is active');
    log.probed.push(current);
    const result = options.msPerStep?.[current] ?? 10;
    if (result instanceof Error) throw result;
    return result;
  };
  return { effects, probe, log, current: () => current };
}

describe('chooseBackend with fake effects', () => {
  it('software adapter, WASM faster: times both, ends on WASM', async () => {
    const browser = fakeBrowser(swiftShader, { msPerStep: { webgpu: 90, wasm: 4 } });
    const info = await chooseBackend('auto', browser.probe, browser.effects);
    expect(info).toMatchObject({ name: 'wasm', requested: 'auto', fellBack: true, softwareAdapter: true, adapter: 'google swiftshader' });
    expect(browser.log.probed).toEqual(['webgpu', 'wasm']);
    expect(browser.current()).toBe('wasm');
  });

  it('software adapter, WebGPU faster: ends on WebGPU, made current again after the WASM probe', async () => {
    const browser = fakeBrowser(swiftShader, { msPerStep: { webgpu: 2, wasm: 4 } });
    const info = await chooseBackend('auto', browser.probe, browser.effects);
    expect(info).toMatchObject({ name: 'webgpu', fellBack: false });
    expect(browser.current()).toBe('webgpu');
  });

  it('hardware adapter: WebGPU with no probe', async () => {
    const browser = fakeBrowser(hardware);
    const info = await chooseBackend('auto', browser.probe, browser.effects);
    expect(info).toMatchObject({ name: 'webgpu', fellBack: false, softwareAdapter: false });
    expect(browser.log.probed).toEqual([]);
  });

  it('the WebGPU probe throws: WASM, and the reason says why', async () => {
    const browser = fakeBrowser(swiftShader, { msPerStep: { webgpu: new Error('the device was lost') } });
    const info = await chooseBackend('auto', browser.probe, browser.effects);
    expect(info.name).toBe('wasm');
    expect(info.reason).toContain('the device was lost');
    expect(browser.current()).toBe('wasm');
  });

  it('a probe that measures nothing usable (NaN) counts as a failed probe', async () => {
    const browser = fakeBrowser(swiftShader, { msPerStep: { webgpu: 3, wasm: Number.NaN } });
    const info = await chooseBackend('auto', browser.probe, browser.effects);
    expect(info.name).toBe('webgpu');
    expect(info.reason).toMatch(/WASM could not be timed.*NaN/);
    expect(browser.current()).toBe('webgpu');
  });

  it('WASM does not start during the probe: stays on WebGPU and says why', async () => {
    const browser = fakeBrowser(swiftShader, { failing: ['wasm'] });
    const info = await chooseBackend('auto', browser.probe, browser.effects);
    expect(info.name).toBe('webgpu');
    expect(info.reason).toContain('wasm failed to initialise');
    expect(browser.current()).toBe('webgpu');
  });

  it('a forced backend: no adapter check and no probe', async () => {
    for (const forced of ['wasm', 'cpu', 'webgl'] as const) {
      const browser = fakeBrowser(swiftShader);
      const info = await chooseBackend(forced, browser.probe, browser.effects);
      expect(info).toMatchObject({ name: forced, requested: forced, fellBack: false, reason: `${forced} was requested` });
      expect(browser.log.probed).toEqual([]);
      expect(browser.log.adapterChecks).toBe(0);
    }
  });

  it('forced WebGPU on a software adapter: no probe', async () => {
    const browser = fakeBrowser(swiftShader, { msPerStep: { webgpu: 90, wasm: 4 } });
    const info = await chooseBackend('webgpu', browser.probe, browser.effects);
    expect(info).toMatchObject({ name: 'webgpu', fellBack: false });
    expect(browser.log.probed).toEqual([]);
  });

  it('no WebGPU: WebGL, a fallback whose reason names what was missing', async () => {
    const browser = fakeBrowser(noWebGpu);
    const info = await chooseBackend('auto', browser.probe, browser.effects);
    expect(info).toMatchObject({ name: 'webgl', fellBack: true });
    expect(info.reason).toContain('this browser has no WebGPU');
  });

  it('a forced backend that fails falls through the order after it', async () => {
    const browser = fakeBrowser(noWebGpu, { failing: ['wasm', 'webgl'] });
    const info = await chooseBackend('wasm', browser.probe, browser.effects);
    expect(info).toMatchObject({ name: 'cpu', fellBack: true });
    expect(info.reason).toContain('wasm failed to initialise');
  });

  it('nothing starts: one sentence saying what to do', async () => {
    const browser = fakeBrowser(noWebGpu, { failing: ['webgl', 'wasm', 'cpu'] });
    await expect(chooseBackend('auto', browser.probe, browser.effects)).rejects.toThrow(/Training cannot start.*try a recent Chrome/);
  });
});
