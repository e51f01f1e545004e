import { describe, expect, it } from 'vitest';
import { withPreset } from '../core/presets';
import { defaultUrlState, type UrlState } from '../core/urlState';
import { liveUrlState, runSettingsOf, shareState } from './urlSync';

function link(overrides: Partial<UrlState> = {}): UrlState {
  return { ...defaultUrlState(), panels: ['circle', 'logit'], hide: ['seed'], backend: 'wasm', ...overrides };
}

describe('runSettingsOf', () => {
  it('plays a link that autoplays and pins no step', () => {
    expect(runSettingsOf(link({ autoplay: true, steps: null, speed: 8 }))).toMatchObject({ playing: true, steps: null, stepsPerFrame: 8 });
  });

  it('keeps a pinned link paused at its step, whatever autoplay says', () => {
    expect(runSettingsOf(link({ autoplay: true, steps: 300 }))).toMatchObject({ playing: false, steps: 300 });
    expect(runSettingsOf(link({ autoplay: false, steps: null }))).toMatchObject({ playing: false, steps: null });
  });
});

describe('liveUrlState', () => {
  it('takes the controls’ settings and keeps the rest of the link', () => {
    const params = { ...withPreset(link().params, 'cosface'), seed: 7 };
    const state = liveUrlState(link(), { params, stepsPerFrame: 16, theme: 'dark' });
    expect(state).toMatchObject({ preset: 'cosface', params, speed: 16, theme: 'dark', panels: ['circle', 'logit'], hide: ['seed'], backend: 'wasm' });
  });

  it('calls params that match no preset custom', () => {
    expect(liveUrlState(link(), { params: { ...link().params, m1: 1.23 }, stepsPerFrame: 4, theme: null }).preset).toBe('custom');
  });
});

describe('shareState', () => {
  const live = { params: link().params, stepsPerFrame: 4, theme: null };

  it('pins a paused run to its step, so the link lands on the same picture', () => {
    expect(shareState(link(), { ...live, playing: false, step: 300 })).toMatchObject({ autoplay: false, steps: 300 });
  });

  it('shares a playing run as one that plays from the start', () => {
    expect(shareState(link({ steps: 300, autoplay: false }), { ...live, playing: true, step: 1200 })).toMatchObject({ autoplay: true, steps: null });
  });
});
