import { describe, expect, it } from 'vitest';
import { withPreset } from '../core/presets';
import { defaultParams } from '../core/schema';
import { STATE_EVENT_INTERVAL_MS, recordSpecOf, runListStateEvent, snapshotStateEvent, statePostTiming } from './useEmbedBridge';

describe('statePostTiming', () => {
  it('answers a command at once, however recent the last post', () => {
    expect(statePostTiming(true, 0, false)).toEqual({ kind: 'now' });
    expect(statePostTiming(true, 10, true)).toEqual({ kind: 'now' });
  });

  it('posts a frame at once when the interval has passed', () => {
    expect(statePostTiming(false, STATE_EVENT_INTERVAL_MS, false)).toEqual({ kind: 'now' });
    expect(statePostTiming(false, 10_000, true)).toEqual({ kind: 'now' });
  });

  it('schedules a trailing post for the rest of the interval, so the last frame is never dropped', () => {
    expect(statePostTiming(false, 100, false)).toEqual({ kind: 'later', delayMs: STATE_EVENT_INTERVAL_MS - 100 });
    expect(statePostTiming(false, 0, false, 1000)).toEqual({ kind: 'later', delayMs: 1000 });
  });

  it('schedules no second trailing post while one is waiting', () => {
    expect(statePostTiming(false, 100, true)).toEqual({ kind: 'alreadyScheduled' });
  });

  it('sends at most one event per interval from a stream of frames, and the last one', () => {
    // Frames every 16 ms for one second; a trailing post fires when its delay is up.
    let lastPost = -Infinity;
    let trailingAt: number | null = null;
    const posts: number[] = [];
    for (let now = 0; now <= 1000; now += 1) {
      if (trailingAt !== null && now >= trailingAt) {
        trailingAt = null;
        lastPost = now;
        posts.push(now);
      }
      if (now % 16 !== 0) continue;
      const timing = statePostTiming(false, now - lastPost, trailingAt !== null);
      if (timing.kind === 'now') {
        lastPost = now;
        posts.push(now);
      } else if (timing.kind === 'later') trailingAt = now + timing.delayMs;
    }
    const gaps = posts.slice(1).map((at, index) => at - posts[index]);
    expect(gaps.every((gap) => gap >= STATE_EVENT_INTERVAL_MS)).toBe(true);
    expect(posts).toEqual([0, 250, 500, 750, 1000]);
    // The last frame (at 992 ms) went out with the trailing post at 1000 ms.
    expect(trailingAt).toBeNull();
  });
});

describe('snapshotStateEvent', () => {
  const params = withPreset(defaultParams(), 'cosface');

  it('reports the drawn snapshot, the play state and the preset', () => {
    expect(snapshotStateEvent({ step: 120, loss: 2.5, trainAccuracy: 0.875 }, true, params)).toEqual({
      source: 'arcface-playground',
      event: 'state',
      step: 120,
      loss: 2.5,
      accuracy: 0.875,
      playing: true,
      preset: 'cosface',
      params,
    });
  });

  it('is step 0 with no loss before the first snapshot', () => {
    const event = snapshotStateEvent(null, false, params);
    expect(event).toMatchObject({ step: 0, loss: null, accuracy: 0, playing: false });
  });
});

describe('runListStateEvent', () => {
  const softmax = withPreset(defaultParams(), 'softmax');
  const arcface = withPreset(defaultParams(), 'arcface');
  const drawn = (loss: number, trainAccuracy: number) => ({ latest: { step: 40, loss, trainAccuracy } });

  it('is the single-mode event for one run', () => {
    const event = runListStateEvent({ runs: [{ label: 'Softmax', params: softmax, bus: drawn(2, 0.5) }] }, true);
    expect(event).toEqual(snapshotStateEvent({ step: 40, loss: 2, trainAccuracy: 0.5 }, true, softmax));
    expect(event.runs).toBeUndefined();
  });

  it('reports run A at the top level and every run in runs', () => {
    const event = runListStateEvent(
      {
        runs: [
          { label: 'Softmax', params: softmax, bus: drawn(2, 0.5) },
          { label: 'ArcFace (0.5)', params: arcface, bus: drawn(0.5, 0.875) },
        ],
      },
      false,
    );
    expect(event).toMatchObject({ step: 40, loss: 2, accuracy: 0.5, preset: 'softmax', playing: false, params: softmax });
    expect(event.runs).toEqual([
      { letter: 'A', label: 'Softmax', preset: 'softmax', loss: 2, accuracy: 0.5 },
      { letter: 'B', label: 'ArcFace (0.5)', preset: 'arcface', loss: 0.5, accuracy: 0.875 },
    ]);
  });

  it('before the first frame, says step 0 and no loss for every run', () => {
    const event = runListStateEvent(
      {
        runs: [
          { label: 'Softmax', params: softmax, bus: { latest: null } },
          { label: 'ArcFace (0.5)', params: arcface, bus: { latest: null } },
        ],
      },
      true,
    );
    expect(event).toMatchObject({ step: 0, loss: null });
    expect(event.runs?.map((run) => run.loss)).toEqual([null, null]);
  });
});

describe('recordSpecOf', () => {
  it("fills what the host left out with the frame's panels and theme, 720p, 30 fps, every kept frame, a caption", () => {
    expect(recordSpecOf({ format: 'gif' }, ['logit', 'circle'], 'projector')).toEqual({
      panels: ['circle', 'logit'],
      format: 'gif',
      size: '720p',
      fps: 30,
      stepsPerFrame: null,
      theme: 'projector',
      caption: true,
      from: null,
      to: null,
    });
  });

  it("keeps what the host asked for, the panels in the page's order", () => {
    const spec = recordSpecOf({ format: 'webm', panels: ['stats', 'circle'], size: '1080p', fps: 24, stepsPerFrame: 5, theme: 'dark', caption: false, from: 10, to: 90, id: 'x' }, ['circle'], 'light');
    expect(spec).toEqual({ panels: ['circle', 'stats'], format: 'webm', size: '1080p', fps: 24, stepsPerFrame: 5, theme: 'dark', caption: false, from: 10, to: 90 });
  });
});
