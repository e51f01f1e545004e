import { describe, expect, it } from 'vitest';
import { withPreset } from '../core/cliArgs';
import { defaultParams, type Params } from '../core/schema';
import { SnapshotBus } from './snapshotBus';
import { paramsAsShown, sameParams, snapshotParams } from './shownParams';
import { testSnapshot } from './testFixtures';
import type { PanelSnapshot } from './types';

const arcface = withPreset(defaultParams(), 'arcface');
const smallerMargin: Params = { ...arcface, m2: 0.2 };

/** A snapshot as the worker sends it: with the settings it was trained with. */
function frame(step: number, params?: Params): PanelSnapshot {
  const snapshot = testSnapshot(step);
  return params ? ({ ...snapshot, params } as PanelSnapshot) : snapshot;
}

/** A bus showing a kept frame, as the timeline's ReplayBus (app) does while scrubbed back. */
class PastBus extends SnapshotBus {
  override get showingPast(): boolean {
    return true;
  }
}

describe('the settings a panel draws its margins from', () => {
  it('reads them from a worker frame, and compares them key by key', () => {
    expect(snapshotParams(frame(10, arcface))).toEqual(arcface);
    expect(snapshotParams(frame(10))).toBeNull();
    expect(snapshotParams(null)).toBeNull();
    expect(sameParams(arcface, { ...arcface })).toBe(true);
    expect(sameParams(arcface, smallerMargin)).toBe(false);
    expect(sameParams(arcface, null)).toBe(false);
    expect(sameParams(null, null)).toBe(true);
  });

  it('live, a run is drawn with its current settings, whatever the frame was trained with', () => {
    const bus = new SnapshotBus();
    bus.publish(frame(10, arcface));
    expect(paramsAsShown(smallerMargin, bus)).toBeNull();
  });

  it('scrubbed back across a slider move, with the shown frame’s own settings', () => {
    const bus = new PastBus();
    bus.publish(frame(10, arcface));
    expect(paramsAsShown(smallerMargin, bus)).toEqual(arcface);
    // The same settings, or a frame that carries none: nothing to change.
    expect(paramsAsShown(arcface, bus)).toBeNull();
    bus.publish(frame(20));
    expect(paramsAsShown(smallerMargin, bus)).toBeNull();
  });
});
