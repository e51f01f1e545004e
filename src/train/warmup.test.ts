import { describe, expect, it } from 'vitest';
import type { BackendName } from './backend';
import { warmUp, type WarmupEffects } from './warmup';

/** Fake effects: backends that fail by name, and a sequence of step times per backend. */
function fake(times: Partial<Record<BackendName, (number | Error)[]>>, failing: BackendName[] = []) {
  const log: string[] = [];
  let current: BackendName | null = null;
  const effects: WarmupEffects = {
    activate: async (name) => {
      log.push(`activate ${name}`);
      if (failing.includes(name)) return `${name} failed to initialise`;
      current = name;
      return null;
    },
    timeStep: async () => {
      if (!current) throw new Error('no backend');
      log.push(`time ${current}`);
      const next = times[current]?.shift() ?? 10;
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return { effects, log };
}

describe('warmUp', () => {
  it('times WebGPU, then the baseline the same way, in that order', async () => {
    const browser = fake({ webgpu: [95], wasm: [3] });
    expect(await warmUp('wasm', browser.effects)).toEqual({ ok: true, baseline: 'wasm', webgpuMs: 95, baselineMs: 3 });
    expect(browser.log).toEqual(['activate webgpu', 'time webgpu', 'activate wasm', 'time wasm']);
  });

  it('WebGPU that does not start, or throws while timing, is a failed warm-up that says why', async () => {
    expect(await warmUp('wasm', fake({}, ['webgpu']).effects)).toEqual({ ok: false, baseline: 'wasm', failed: 'webgpu', reason: 'webgpu failed to initialise' });
    expect(await warmUp('wasm', fake({ webgpu: [new Error('the device was lost')] }).effects)).toMatchObject({ ok: false, failed: 'webgpu', reason: 'the device was lost' });
  });

  it('a baseline that cannot be timed, or a time that is no time, is the baseline’s failure', async () => {
    expect(await warmUp('wasm', fake({}, ['wasm']).effects)).toMatchObject({ ok: false, failed: 'baseline', reason: 'wasm failed to initialise' });
    expect(await warmUp('wasm', fake({ wasm: [Number.NaN] }).effects)).toMatchObject({ ok: false, failed: 'baseline', reason: 'it measured NaN ms/step' });
  });
});
