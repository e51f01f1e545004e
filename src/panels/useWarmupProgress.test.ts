import { describe, expect, it } from 'vitest';
import type { WarmupProgress } from '../core/margin';
import { SnapshotBus } from './snapshotBus';
import { testSnapshot } from './testFixtures';
import { WARMUP_REFRESH_MS, followWarmup, type WarmupClock } from './useWarmupProgress';

/** A clock the test moves by hand; timers fire when it passes them. */
function manualClock(): WarmupClock & { advance: (ms: number) => void } {
  let time = 0;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let next = 1;
  return {
    now: () => time,
    setTimeout: (callback, delay) => {
      const id = next++;
      timers.push({ at: time + delay, callback, id });
      return id as unknown as ReturnType<typeof setTimeout>;
    },
    clearTimeout: (timer) => {
      timers = timers.filter((entry) => entry.id !== (timer as unknown as number));
    },
    advance(ms) {
      time += ms;
      const due = timers.filter((entry) => entry.at <= time);
      timers = timers.filter((entry) => entry.at > time);
      for (const entry of due) entry.callback();
    },
  };
}

describe('followWarmup', () => {
  it('reports step 0 before any snapshot, throttles steps within the warm-up, and settles on null after it', () => {
    const bus = new SnapshotBus();
    const clock = manualClock();
    const seen: (WarmupProgress | null)[] = [];
    const stop = followWarmup(bus, 300, (progress) => seen.push(progress), clock);
    expect(seen).toEqual([{ step: 0, steps: 300, ramp: 0 }]);

    clock.advance(WARMUP_REFRESH_MS);
    bus.publish(testSnapshot(10));
    expect(seen.map((progress) => progress?.step)).toEqual([0, 10]);
    // Frames within the refresh interval are held back; only the newest is shown, when it ends.
    bus.publish(testSnapshot(20));
    bus.publish(testSnapshot(30));
    expect(seen).toHaveLength(2);
    clock.advance(WARMUP_REFRESH_MS);
    expect(seen.map((progress) => progress?.step)).toEqual([0, 10, 30]);

    // The end of the warm-up shows at once, and then nothing more.
    bus.publish(testSnapshot(300));
    expect(seen.at(-1)).toBeNull();
    bus.publish(testSnapshot(310));
    bus.publish(testSnapshot(320));
    expect(seen).toHaveLength(4);

    // A reset starts the warm-up again, at once, even right after the last change.
    bus.publish(testSnapshot(0, 2));
    expect(seen.at(-1)).toEqual({ step: 0, steps: 300, ramp: 0 });
    clock.advance(10 * WARMUP_REFRESH_MS);
    expect(seen).toHaveLength(5);
    stop();
    bus.publish(testSnapshot(100, 2));
    clock.advance(WARMUP_REFRESH_MS);
    expect(seen).toHaveLength(5);
  });

  it('is null from the start without a warm-up', () => {
    const bus = new SnapshotBus();
    const seen: (WarmupProgress | null)[] = [];
    followWarmup(bus, 0, (progress) => seen.push(progress), manualClock());
    bus.publish(testSnapshot(5));
    expect(seen).toEqual([null]);
  });
});
