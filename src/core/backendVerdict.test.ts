import { describe, expect, it } from 'vitest';
import {
  MOVE_SPEEDUP,
  VERDICT_MAX_AGE_MS,
  judgeWarmup,
  parseVerdictRecord,
  recallVerdict,
  rememberedVerdict,
  verdictRecord,
  type AdapterFacts,
  type VerdictRecord,
  type WarmupOutcome,
} from './backendVerdict';

const swiftShader: AdapterFacts = { description: 'google swiftshader', software: true };
const gpu: AdapterFacts = { description: 'nvidia ampere', software: false };
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 29);

const record = (overrides: Partial<VerdictRecord> = {}): VerdictRecord => ({
  appVersion: '0.1.0',
  adapter: 'google swiftshader',
  software: true,
  backend: 'wasm',
  timings: { baseline: 'wasm', webgpuMs: 95, baselineMs: 3.1 },
  when: NOW - DAY,
  ...overrides,
});

describe('judgeWarmup', () => {
  it('a clearly faster WebGPU: move, with the speed-up in the reason and a notice', () => {
    const verdict = judgeWarmup({ ok: true, baseline: 'wasm', webgpuMs: 2, baselineMs: 12 }, gpu);
    expect(verdict.backend).toBe('webgpu');
    expect(verdict.reason).toBe("moved to WebGPU, 6.0× faster: WebGPU (nvidia ampere) took 2.0 ms/step against WASM's 12 ms/step");
    expect(verdict.notice).toContain('moved to WebGPU, 6.0× faster');
  });

  it('a slower WebGPU on a software adapter: stay, naming the adapter and both timings', () => {
    const verdict = judgeWarmup({ ok: true, baseline: 'wasm', webgpuMs: 95.3, baselineMs: 3.14 }, swiftShader);
    expect(verdict).toEqual({
      backend: 'wasm',
      reason: "stays on WASM: WebGPU on a software adapter (google swiftshader) took 95 ms/step against WASM's 3.1 ms/step",
      notice: null,
    });
  });

  it(`a WebGPU less than ${MOVE_SPEEDUP}× faster: stay, and say the margin was too small`, () => {
    const verdict = judgeWarmup({ ok: true, baseline: 'wasm', webgpuMs: 10, baselineMs: 11.5 }, gpu);
    expect(verdict.backend).toBe('wasm');
    expect(verdict.reason).toContain(`under the ${MOVE_SPEEDUP}× speed-up a move needs`);
    // Exactly at the margin it moves.
    expect(judgeWarmup({ ok: true, baseline: 'wasm', webgpuMs: 10, baselineMs: 10 * MOVE_SPEEDUP }, gpu).backend).toBe('webgpu');
  });

  it('compares against the backend training is on, whichever that is', () => {
    const verdict = judgeWarmup({ ok: true, baseline: 'webgl', webgpuMs: 40, baselineMs: 30 }, gpu);
    expect(verdict.backend).toBe('webgl');
    expect(verdict.reason).toContain("WebGL's 30 ms/step");
  });

  it('a failed warm-up stays and says why', () => {
    const webgpu = judgeWarmup({ ok: false, baseline: 'wasm', failed: 'webgpu', reason: 'the device was lost' }, swiftShader);
    expect(webgpu).toEqual({ backend: 'wasm', reason: 'stays on WASM: the WebGPU warm-up failed (the device was lost)', notice: null });
    const baseline = judgeWarmup({ ok: false, baseline: 'wasm', failed: 'baseline', reason: 'wasm failed to initialise' }, swiftShader);
    expect(baseline.backend).toBe('wasm');
    expect(baseline.reason).toContain('WASM could not be timed against WebGPU in the warm-up (wasm failed to initialise)');
  });

  it('timings that are not positive finite numbers count as a failed warm-up', () => {
    for (const webgpuMs of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY]) {
      const verdict = judgeWarmup({ ok: true, baseline: 'wasm', webgpuMs, baselineMs: 3 }, gpu);
      expect(verdict.backend).toBe('wasm');
      expect(verdict.reason).toContain('no usable time');
    }
  });
});

describe('the remembered verdict', () => {
  const context = { appVersion: '0.1.0', adapter: 'google swiftshader', current: 'wasm' as const, now: NOW };

  it('a warm-up that succeeded is stored with its adapter, app version and timings; a failed one is not', () => {
    const outcome: WarmupOutcome = { ok: true, baseline: 'wasm', webgpuMs: 95, baselineMs: 3.1 };
    const stored = verdictRecord(outcome, judgeWarmup(outcome, swiftShader), swiftShader, '0.1.0', NOW - DAY);
    expect(stored).toEqual(record());
    const failed: WarmupOutcome = { ok: false, baseline: 'wasm', failed: 'webgpu', reason: 'lost' };
    expect(verdictRecord(failed, judgeWarmup(failed, swiftShader), swiftShader, '0.1.0', NOW)).toBeNull();
  });

  it('survives a round trip through JSON', () => {
    expect(parseVerdictRecord(JSON.parse(JSON.stringify(record())))).toEqual(record());
  });

  it('holds for the same adapter and app version, and says it was remembered', () => {
    const recalled = recallVerdict(record(), context);
    expect(recalled).toEqual(record());
    const verdict = rememberedVerdict(record());
    expect(verdict.backend).toBe('wasm');
    expect(verdict.reason).toBe("remembered from an earlier visit (2026-11-28): stays on WASM: WebGPU on a software adapter (google swiftshader) took 95 ms/step against WASM's 3.1 ms/step");
    const faster = rememberedVerdict(record({ adapter: 'nvidia ampere', software: false, backend: 'webgpu', timings: { baseline: 'wasm', webgpuMs: 2, baselineMs: 12 } }));
    expect(faster.backend).toBe('webgpu');
    expect(faster.reason).toMatch(/^remembered from an earlier visit \(2026-11-28\): moved to WebGPU, 6\.0× faster/);
  });

  it('is ignored for another adapter or another app version', () => {
    expect(recallVerdict(record({ adapter: 'nvidia ampere' }), context)).toBeNull();
    expect(recallVerdict(record({ appVersion: '0.2.0' }), context)).toBeNull();
  });

  it('is ignored when it is too old, from the future, or timed against a backend training did not start on', () => {
    expect(recallVerdict(record({ when: NOW - VERDICT_MAX_AGE_MS - 1 }), context)).toBeNull();
    expect(recallVerdict(record({ when: NOW + DAY }), context)).toBeNull();
    expect(recallVerdict(record(), { ...context, current: 'cpu' })).toBeNull();
    expect(recallVerdict(null, context)).toBeNull();
  });

  it('garbage in storage is ignored', () => {
    const garbage: unknown[] = [
      null,
      42,
      'wasm',
      [],
      {},
      { ...record(), backend: 'metal' },
      { ...record(), backend: 'webgl' },
      { ...record(), appVersion: '' },
      { ...record(), adapter: 7 },
      { ...record(), software: 'yes' },
      { ...record(), when: 'yesterday' },
      { ...record(), timings: null },
      { ...record(), timings: { baseline: 'wasm', webgpuMs: -1, baselineMs: 3 } },
      { ...record(), timings: { baseline: 'wasm', webgpuMs: 95, baselineMs: null } },
      { ...record(), timings: { baseline: 'gpu', webgpuMs: 95, baselineMs: 3 } },
    ];
    for (const value of garbage) expect(parseVerdictRecord(value), JSON.stringify(value)).toBeNull();
  });
});
