import { describe, expect, it } from 'vitest';
import type { SessionFrame } from './snapshot';
import { FIXTURE_HELDOUT, FIXTURE_IDENTITIES, FIXTURE_SAMPLES, realSizeRun } from './snapshotFixture';
import { FrameHistory, RUN_OVERHEAD_BYTES, TIMELINE_CEILING_BYTES, TIMELINE_DENSE_FRAMES, frameBytes } from './timeline';

const IDENTITIES = FIXTURE_IDENTITIES;
const SAMPLES = FIXTURE_SAMPLES;
const HELDOUT = FIXTURE_HELDOUT;

function frameAt(step: number, { runs = 1, generation = 1, runsVersion = 0 } = {}): SessionFrame {
  return { step, generation, runsVersion, backend: 'cpu', stepsPerSecond: 30, playing: true, runs: Array.from({ length: runs }, (_, run) => realSizeRun(run, step, () => step)) };
}

/** The largest gap, in drawn frames, between neighbouring kept frames when frame k was drawn at step k·stepsPerFrame. */
function largestGap(steps: number[], stepsPerFrame: number): number {
  let gap = 0;
  for (let index = 1; index < steps.length; index++) gap = Math.max(gap, (steps[index] - steps[index - 1]) / stepsPerFrame);
  return gap;
}

describe('frameBytes', () => {
  it('counts every array of every run once, plus the overhead', () => {
    const arrays = (IDENTITIES * SAMPLES * (2 + 2 + 1 + 1) + IDENTITIES * 3 + HELDOUT * 3) * 4;
    expect(frameBytes(frameAt(5))).toBe(arrays + RUN_OVERHEAD_BYTES);
    expect(frameBytes(frameAt(5, { runs: 4 }))).toBe(4 * (arrays + RUN_OVERHEAD_BYTES));
  });

  it('counts a buffer shared by two views once, at its full size', () => {
    const frame = frameAt(1);
    const shared = new Float32Array(10_000);
    frame.runs[0].embeddings = shared.subarray(0, 10);
    frame.runs[0].unitEmbeddings = shared.subarray(10, 20);
    const others = frameBytes(frameAt(1)) - (IDENTITIES * SAMPLES * 4 * 4 + RUN_OVERHEAD_BYTES);
    expect(frameBytes(frame)).toBe(others + shared.byteLength + RUN_OVERHEAD_BYTES);
  });
});

describe('FrameHistory', () => {
  it('stays under its ceiling for 10,000 steps of real-size frames, keeping step 0, the latest, and bounded gaps', () => {
    const history = new FrameHistory();
    let peak = 0;
    for (let step = 0; step <= 10_000; step++) {
      history.add(frameAt(step));
      peak = Math.max(peak, history.bytes);
      expect(history.firstStep).toBe(0);
      expect(history.latestStep).toBe(step);
    }
    const steps = history.steps();
    const frame = frameBytes(frameAt(0));
    // The old frames' share of the ceiling, in frames: the stride doubles until 10,000 frames fit in it.
    const olderCapacity = Math.floor(TIMELINE_CEILING_BYTES / frame) - TIMELINE_DENSE_FRAMES;
    const strideBound = 2 ** Math.ceil(Math.log2(10_000 / olderCapacity));
    console.log(
      `timeline at 10,000 steps: ${history.size} frames, ${(history.bytes / 2 ** 20).toFixed(1)} MiB held (peak ${(peak / 2 ** 20).toFixed(1)} MiB, ceiling ${TIMELINE_CEILING_BYTES / 2 ** 20} MiB), `
        + `${(frame / 1024).toFixed(1)} KiB a frame, every ${history.stride}th older frame kept, largest gap ${largestGap(steps, 1)} steps`,
    );
    expect(peak).toBeLessThanOrEqual(TIMELINE_CEILING_BYTES);
    expect(history.stride).toBeLessThanOrEqual(strideBound);
    expect(strideBound).toBe(16);
    expect(largestGap(steps, 1)).toBeLessThanOrEqual(history.stride);
    // The newest frames are all there: the last 300 steps scrub frame by frame.
    expect(steps.slice(-TIMELINE_DENSE_FRAMES)).toEqual(Array.from({ length: TIMELINE_DENSE_FRAMES }, (_, index) => 10_000 - TIMELINE_DENSE_FRAMES + 1 + index));
  });

  it('holds a four-run comparison under the ceiling too, frames drawn every 7 steps', () => {
    const history = new FrameHistory();
    for (let frame = 0; frame <= 3000; frame++) {
      history.add(frameAt(frame * 7, { runs: 4 }));
      expect(history.bytes).toBeLessThanOrEqual(TIMELINE_CEILING_BYTES);
    }
    const steps = history.steps();
    expect(steps[0]).toBe(0);
    expect(steps[steps.length - 1]).toBe(21_000);
    expect(largestGap(steps, 7)).toBeLessThanOrEqual(history.stride);
  });

  it('keeps step 0 and the latest even when a frame alone is near the ceiling', () => {
    const history = new FrameHistory({ ceilingBytes: frameBytes(frameAt(0)) * 2.5 });
    for (let step = 0; step < 50; step++) history.add(frameAt(step));
    expect(history.steps()).toEqual([0, 49]);
    expect(history.bytes).toBeLessThanOrEqual(history.ceilingBytes);
  });

  it('answers at(step) with the exact frame when kept, else the nearest earlier one, and says which', () => {
    const history = new FrameHistory();
    for (const step of [0, 3, 6, 10]) history.add(frameAt(step));
    expect(history.at(6)?.step).toBe(6);
    expect(history.at(6)?.frame.runs[0].embeddings[0]).toBe(6);
    expect(history.at(8)?.step).toBe(6);
    expect(history.at(100)?.step).toBe(10);
    expect(history.at(-1)).toBeNull();
    expect(history.stepAfter(3)).toBe(6);
    expect(history.stepAfter(4)).toBe(6);
    expect(history.stepAfter(10)).toBeNull();
  });

  it('starts again on a reset, a new run list or an earlier step; a redraw of the latest step replaces it', () => {
    const history = new FrameHistory();
    history.add(frameAt(0));
    history.add(frameAt(5));
    const redraw = frameAt(5);
    expect(history.add(redraw)).toBe(false);
    expect(history.size).toBe(2);
    expect(history.latest).toBe(redraw);
    expect(history.add(frameAt(0, { generation: 2 }))).toBe(true);
    expect(history.steps()).toEqual([0]);
    history.add(frameAt(4, { generation: 2 }));
    expect(history.add(frameAt(4, { generation: 2, runsVersion: 1 }))).toBe(true);
    expect(history.steps()).toEqual([4]);
    expect(history.add(frameAt(2, { generation: 2, runsVersion: 1 }))).toBe(true);
    expect(history.steps()).toEqual([2]);
    expect(history.add(frameAt(3, { generation: 2, runsVersion: 1, runs: 2 }))).toBe(true);
    expect(history.bytes).toBe(frameBytes(frameAt(3, { runs: 2 })));
    history.clear();
    expect(history.size).toBe(0);
    expect(history.bytes).toBe(0);
    expect(history.at(3)).toBeNull();
  });
});
