import { describe, expect, it } from 'vitest';
import { SnapshotBus } from './snapshotBus';
import { testSnapshot } from './testFixtures';
import type { PanelSnapshot } from './types';
import { latestSnapshots, subscribeRuns } from './useRunsPainter';

function buses(count: number): SnapshotBus[] {
  return Array.from({ length: count }, () => new SnapshotBus());
}

describe('subscribeRuns', () => {
  it('draws each frame once, when the last run publishes, with every run at that frame', () => {
    const runs = buses(3);
    const frames: number[][] = [];
    subscribeRuns(runs, (snapshots) => frames.push(snapshots.map((snapshot) => snapshot.step)));
    expect(frames).toEqual([]);
    for (const step of [1, 2]) {
      runs[0].publish(testSnapshot(step));
      runs[1].publish(testSnapshot(step));
      // Runs A and B are a step ahead of C here: nothing may be drawn yet.
      expect(frames).toHaveLength(step - 1);
      runs[2].publish(testSnapshot(step));
    }
    expect(frames).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
  });

  it('draws at once when every run already has a snapshot, and not while one lacks it', () => {
    const runs = buses(2);
    runs[0].publish(testSnapshot(5));
    const early: PanelSnapshot[][] = [];
    subscribeRuns(runs, (snapshots) => early.push(snapshots));
    expect(early).toEqual([]);
    runs[1].publish(testSnapshot(5));
    expect(early).toHaveLength(1);
    const late: number[][] = [];
    subscribeRuns(runs, (snapshots) => late.push(snapshots.map((snapshot) => snapshot.step)));
    expect(late).toEqual([[5, 5]]);
  });

  it('stops drawing after the unsubscribe, and a single run draws on its own publish', () => {
    const [only] = buses(1);
    let draws = 0;
    const stop = subscribeRuns([only], () => {
      draws++;
    });
    only.publish(testSnapshot(1));
    expect(draws).toBe(1);
    stop();
    only.publish(testSnapshot(2));
    expect(draws).toBe(1);
    expect(
      subscribeRuns([], () => {
        draws++;
      }),
    ).toBeTypeOf('function');
    expect(draws).toBe(1);
  });

  it('reads every bus’s latest snapshot in run order', () => {
    const runs = buses(2);
    expect(latestSnapshots(runs)).toBeNull();
    runs[1].publish(testSnapshot(3));
    runs[0].publish(testSnapshot(4));
    expect(latestSnapshots(runs)?.map((snapshot) => snapshot.step)).toEqual([4, 3]);
  });
});
