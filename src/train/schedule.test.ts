import { describe, expect, it } from 'vitest';
import { BACKGROUND_SETTLE_FRAMES, STEP_CHUNK, nextAction, type PacingState } from './schedule';

/** A running session between frames: step 40, playing at 4 steps per frame, page drawing. */
const state = (overrides: Partial<PacingState> = {}): PacingState => ({
  ready: true,
  halted: false,
  step: 40,
  playing: true,
  stepsPerFrame: 4,
  pendingSteps: 0,
  frameCredit: false,
  dirty: true,
  stepsSincePublish: 0,
  background: false,
  ...overrides,
});

describe('nextAction', () => {
  it('waits until the runs exist, and while the watchdog holds them', () => {
    expect(nextAction(state({ ready: false, frameCredit: true, pendingSteps: 5 }))).toEqual({ kind: 'wait' });
    expect(nextAction(state({ halted: true, frameCredit: true, pendingSteps: 5 }))).toEqual({ kind: 'wait' });
  });

  it('publishes step 0 before training, so the logit panel keeps a ghost of the start', () => {
    expect(nextAction(state({ step: 0, frameCredit: true, pendingSteps: 60 }))).toEqual({ kind: 'publish' });
    // Without a frame credit step 0 waits for the page (a reset while the page draws), so
    // the ghost and the curves really start at step 0.
    expect(nextAction(state({ step: 0 }))).toEqual({ kind: 'wait' });
    expect(nextAction(state({ step: 0, pendingSteps: 60 }))).toEqual({ kind: 'wait' });
    // A hidden page sends no frames: the background mode trains on from step 0.
    expect(nextAction(state({ step: 0, background: true }))).toEqual({ kind: 'train', steps: 4, fromPending: false });
  });

  it('while playing, trains ahead up to stepsPerFrame while the page draws, then waits for the frame', () => {
    expect(nextAction(state({ stepsSincePublish: 1 }))).toEqual({ kind: 'train', steps: 3, fromPending: false });
    expect(nextAction(state({ stepsSincePublish: 4 }))).toEqual({ kind: 'wait' });
    expect(nextAction(state({ stepsSincePublish: 4, frameCredit: true }))).toEqual({ kind: 'publish' });
  });

  it('works through explicit steps in chunks, showing each chunk when the page can take it', () => {
    const paused = { playing: false, dirty: false };
    expect(nextAction(state({ ...paused, pendingSteps: 60, frameCredit: true }))).toEqual({ kind: 'train', steps: STEP_CHUNK, fromPending: true });
    expect(nextAction(state({ ...paused, pendingSteps: 35, stepsSincePublish: 25, dirty: true, frameCredit: true }))).toEqual({ kind: 'publish' });
    expect(nextAction(state({ ...paused, pendingSteps: 35, stepsSincePublish: 25, dirty: true }))).toEqual({ kind: 'train', steps: STEP_CHUNK, fromPending: true });
    expect(nextAction(state({ ...paused, pendingSteps: 10 }))).toEqual({ kind: 'train', steps: 10, fromPending: true });
  });

  it('paused, publishes a change once and then waits', () => {
    expect(nextAction(state({ playing: false, frameCredit: true }))).toEqual({ kind: 'publish' });
    expect(nextAction(state({ playing: false, frameCredit: true, dirty: false }))).toEqual({ kind: 'wait' });
    expect(nextAction(state({ playing: false, background: true, stepsSincePublish: 4 }))).toEqual({ kind: 'wait' });
  });

  it('in the background, trains without frames and settles every few frames worth of steps', () => {
    expect(nextAction(state({ background: true, stepsSincePublish: 4 }))).toEqual({ kind: 'train', steps: 4, fromPending: false });
    expect(nextAction(state({ background: true, stepsSincePublish: 4 * BACKGROUND_SETTLE_FRAMES - 4 }))).toEqual({ kind: 'train', steps: 4, fromPending: false });
    expect(nextAction(state({ background: true, stepsSincePublish: 4 * BACKGROUND_SETTLE_FRAMES }))).toEqual({ kind: 'settle' });
    // A shown page's frame still comes first.
    expect(nextAction(state({ background: true, stepsSincePublish: 4, frameCredit: true }))).toEqual({ kind: 'publish' });
  });
});
