import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultParams } from '../../core/schema';
import type { SessionFrame } from '../../core/snapshot';
import { testSnapshot } from '../../panels/testFixtures';
import { timelineLabel } from '../Timeline';
import { historyThrough, ReplayBus, showOnBus } from './replayBus';
import { REPLAY_FRAMES_PER_SECOND, TimelineController, type TimelineSink } from './timelineController';

function frameAt(step: number, generation = 1): SessionFrame {
  return { step, generation, runsVersion: 0, backend: 'cpu', stepsPerSecond: 30, playing: true, runs: [{ ...testSnapshot(step, generation), run: 0, label: 'ArcFace', params: defaultParams() }] };
}

/** A session stand-in: one ReplayBus, a play state, and a log of what was shown. */
function session(playing = true) {
  const bus = new ReplayBus();
  const state = { playing, shown: [] as { step: number; past: boolean }[] };
  const sink: TimelineSink = {
    show: (frame, past) => {
      state.shown.push({ step: frame.step, past });
      showOnBus(bus, { ...frame.runs[0], generation: frame.generation }, past);
    },
    isPlaying: () => state.playing,
    setPlaying: (on) => {
      state.playing = on;
    },
  };
  return { bus, state, sink };
}

/** What the live draw path does with a frame: the timeline keeps it, the bus gets it. */
function drawLive(timeline: TimelineController, bus: ReplayBus, frame: SessionFrame): void {
  timeline.record(frame);
  bus.publish({ ...frame.runs[0], generation: frame.generation });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('historyThrough', () => {
  it('ends the loss history at the shown step', () => {
    const history = { steps: [0, 2, 5, 9], losses: [4, 3, 2, 1], accuracies: [0, 0.2, 0.5, 0.9] };
    expect(historyThrough(history, 5)).toEqual({ steps: [0, 2, 5], losses: [4, 3, 2], accuracies: [0, 0.2, 0.5] });
    expect(historyThrough(history, 4).steps).toEqual([0, 2]);
    expect(historyThrough(history, -1).steps).toEqual([]);
  });
});

describe('TimelineController', () => {
  it('shows a past frame on the bus with the history as it was, pauses training, and goes back to live', () => {
    const { bus, state, sink } = session(true);
    const timeline = new TimelineController();
    timeline.attach(sink);
    for (const step of [0, 1, 2, 3, 4]) drawLive(timeline, bus, frameAt(step));
    expect(timeline.show(2)).toBe(2);
    expect(state.playing).toBe(false);
    expect(bus.latest?.step).toBe(2);
    expect(bus.history.steps).toEqual([0, 1, 2]);
    expect(timeline.view()).toMatchObject({ first: 0, latest: 4, showing: 2 });
    // A frame already on its way when training paused is kept and held back, not drawn.
    drawLive(timeline, bus, frameAt(5));
    expect(bus.latest?.step).toBe(2);
    expect(timeline.view().latest).toBe(5);
    timeline.live();
    expect(state.playing).toBe(true);
    expect(bus.latest?.step).toBe(5);
    expect(bus.history.steps).toEqual([0, 1, 2, 3, 4, 5]);
    expect(timeline.showingPast).toBe(false);
  });

  it('leaves training paused on the way back when it was paused before', () => {
    const { bus, state, sink } = session(false);
    const timeline = new TimelineController();
    timeline.attach(sink);
    for (const step of [0, 1, 2]) drawLive(timeline, bus, frameAt(step));
    timeline.show(1);
    timeline.live();
    expect(state.playing).toBe(false);
    expect(bus.latest?.step).toBe(2);
  });

  it('replays from the shown step to the end at a fixed pace', () => {
    vi.useFakeTimers();
    const { bus, state, sink } = session(false);
    const timeline = new TimelineController();
    timeline.attach(sink);
    for (const step of [0, 2, 4, 6, 8]) drawLive(timeline, bus, frameAt(step));
    timeline.show(4);
    state.shown = [];
    timeline.playReplay();
    expect(timeline.view().replaying).toBe(true);
    vi.advanceTimersByTime((1000 / REPLAY_FRAMES_PER_SECOND) * 5);
    expect(state.shown.map((entry) => entry.step)).toEqual([4, 6, 8]);
    expect(timeline.view()).toMatchObject({ replaying: false, showing: 8 });
    expect(timeline.sharedRange()).toEqual({ from: 4, to: 8 });
  });

  it("shows a link's range once training reaches its end, and limits the replay to it", () => {
    vi.useFakeTimers();
    const { bus, sink } = session(false);
    const timeline = new TimelineController({ from: 3, to: 6 });
    timeline.attach(sink);
    for (let step = 0; step <= 5; step++) drawLive(timeline, bus, frameAt(step));
    expect(timeline.showingPast).toBe(false);
    drawLive(timeline, bus, frameAt(6));
    expect(timeline.view()).toMatchObject({ showing: 3, range: { from: 3, to: 6 } });
    expect(bus.latest?.step).toBe(3);
    expect(timeline.sharedRange()).toEqual({ from: 3, to: 6 });
    timeline.playReplay();
    vi.advanceTimersByTime(1000);
    expect(timeline.view().showing).toBe(6);
  });

  it('ends a replay on a reset and on a new run list, and forgets the old frames', () => {
    const { bus, sink } = session(false);
    const timeline = new TimelineController();
    timeline.attach(sink);
    for (const step of [0, 1, 2]) drawLive(timeline, bus, frameAt(step));
    timeline.show(1);
    drawLive(timeline, bus, frameAt(0, 2));
    expect(timeline.showingPast).toBe(false);
    expect(timeline.view()).toMatchObject({ first: 0, latest: 0 });
    expect(bus.latest?.generation).toBe(2);
    timeline.show(0);
    timeline.clear();
    expect(timeline.showingPast).toBe(false);
    expect(timeline.view().latest).toBeNull();
    expect(timeline.sharedRange()).toBeNull();
  });

  it('shows nothing before the first frame', () => {
    const { sink } = session();
    const timeline = new TimelineController();
    timeline.attach(sink);
    expect(timeline.show(10)).toBeNull();
    expect(timeline.showingPast).toBe(false);
  });
});

describe('timelineLabel', () => {
  it('says replay with the shown step, so a past frame never passes for live', () => {
    expect(timelineLabel({ latest: 60, showing: 30 })).toBe('replay: step 30');
    expect(timelineLabel({ latest: 60, showing: null })).toBe('live · step 60');
  });
});
