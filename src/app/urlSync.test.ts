import { describe, expect, it } from 'vitest';
import { withPreset } from '../core/presets';
import { decodeUrlState, defaultUrlState, encodeUrlState, type UrlState } from '../core/urlState';
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

  it('does not autoplay for a reader who asked for reduced motion, and keeps the rest of the link', () => {
    expect(runSettingsOf(link({ autoplay: true, steps: null, speed: 8 }), true)).toMatchObject({ playing: false, steps: null, stepsPerFrame: 8 });
    expect(runSettingsOf(link({ autoplay: true, steps: 300 }), true)).toMatchObject({ playing: false, steps: 300 });
    expect(runSettingsOf(link({ autoplay: true, steps: null }), false)).toMatchObject({ playing: true });
  });
});

describe('runSettingsOf with a replay range', () => {
  it('hands the range to the session, which shows it once training reaches its end', () => {
    expect(runSettingsOf(link({ replay: { from: 20, to: 60 }, steps: 60 }))).toMatchObject({ steps: 60, replay: { from: 20, to: 60 } });
    expect(runSettingsOf(link())).toMatchObject({ replay: null });
  });
});

describe('liveUrlState', () => {
  it('takes the controls’ settings and keeps the rest of the link', () => {
    const params = { ...withPreset(link().params, 'cosface'), seed: 7 };
    const state = liveUrlState(link(), { params, compare: null, stepsPerFrame: 16, theme: 'dark' });
    expect(state).toMatchObject({ preset: 'cosface', params, speed: 16, theme: 'dark', panels: ['circle', 'logit'], hide: ['seed'], backend: 'wasm' });
  });

  it('writes the present layout into the link while it is on, and keeps the link’s when the page does not say', () => {
    const live = { params: link().params, compare: null, stepsPerFrame: 4, theme: null };
    expect(liveUrlState(link(), { ...live, present: true }).present).toBe(true);
    expect(liveUrlState({ ...link(), present: true }, { ...live, present: false }).present).toBe(false);
    expect(liveUrlState({ ...link(), present: true }, live).present).toBe(true);
  });

  it('calls params that match no preset custom', () => {
    expect(liveUrlState(link(), { params: { ...link().params, m1: 1.23 }, compare: null, stepsPerFrame: 4, theme: null }).preset).toBe('custom');
  });
});

describe('shareState', () => {
  const live = { params: link().params, compare: null, stepsPerFrame: 4, theme: null };

  it('pins a paused run to its step, so the link lands on the same picture', () => {
    expect(shareState(link(), { ...live, playing: false, step: 300 })).toMatchObject({ autoplay: false, steps: 300 });
  });

  it('shares a playing run as one that plays from the start', () => {
    expect(shareState(link({ steps: 300, autoplay: false }), { ...live, playing: true, step: 1200 })).toMatchObject({ autoplay: true, steps: null });
  });

  it('pins a replayed range and trains the link to its end', () => {
    const query = encodeUrlState(shareState(link(), { ...live, playing: false, step: 50, replay: { from: 50, to: 400 } }));
    const params = new URLSearchParams(query);
    expect([params.get('replay'), params.get('steps'), params.get('autoplay')]).toEqual(['50-400', '400', '0']);
  });

  it("drops a link's range once the timeline is live again, and keeps it when the caller does not say", () => {
    const ranged = link({ replay: { from: 10, to: 60 }, steps: 60 });
    expect(shareState(ranged, { ...live, playing: false, step: 90, replay: null })).toMatchObject({ replay: null, steps: 90 });
    expect(shareState(ranged, { ...live, playing: false, step: 90 })).toMatchObject({ replay: { from: 10, to: 60 } });
  });
});

describe('liveUrlState in compare mode', () => {
  it('carries the runs into the link, which decodes to the same runs', () => {
    const shared = link().params;
    const runs = decodeUrlState('?compare=softmax,arcface~m2=0.3').state.compare;
    const state = liveUrlState(link(), { params: shared, compare: runs, stepsPerFrame: 4, theme: null });
    const query = encodeUrlState(state);
    expect(new URLSearchParams(query).get('compare')).toBe('softmax,arcface~m2=0.3');
    expect(decodeUrlState(`?${query}`).state.compare?.map((run) => run.label)).toEqual(['Softmax', 'ArcFace (m2 = 0.3)']);
  });

  it('writes no compare in single mode, whatever the link had', () => {
    const withCompare = link({ compare: decodeUrlState('?compare=softmax,arcface').state.compare });
    expect(liveUrlState(withCompare, { params: withCompare.params, compare: null, stepsPerFrame: 4, theme: null }).compare).toBeNull();
  });

  it('pins a paused comparison to its step', () => {
    const runs = decodeUrlState('?compare=softmax,arcface').state.compare;
    const query = encodeUrlState(shareState(link(), { params: link().params, compare: runs, stepsPerFrame: 4, theme: null, playing: false, step: 40 }));
    expect(new URLSearchParams(query).get('steps')).toBe('40');
    expect(new URLSearchParams(query).get('compare')).toBe('softmax,arcface');
  });
});
