/**
 * What a training session does next, as a pure function of its pacing state. The page
 * paces training: a snapshot goes out only when the page has drawn the last one (a frame
 * credit), so at most one is in flight, and a hidden tab (no frames) stops training.
 * Keeping the policy pure lets the tests check every branch with plain objects.
 */

/** Steps run between yields while working through an explicit `step n` request. */
export const STEP_CHUNK = 25;
/** In the background (no frames), wait for the device after this many frames' worth of steps. */
export const BACKGROUND_SETTLE_FRAMES = 8;

export interface PacingState {
  /** The runs exist on a working backend (false before the backend is chosen and while recovering). */
  ready: boolean;
  /** The watchdog stopped the session; only fresh runs (a reset) clear it. */
  halted: boolean;
  /** The step every run is at. */
  step: number;
  playing: boolean;
  stepsPerFrame: number;
  /** Explicit steps asked for (`step n`) and not yet trained. */
  pendingSteps: number;
  /** The page drew the last snapshot and can take another. */
  frameCredit: boolean;
  /** Something changed since the last snapshot went out. */
  dirty: boolean;
  /** Steps trained since the last snapshot: training runs ahead while the page draws. */
  stepsSincePublish: number;
  /** Keep training without frames (a hidden embed told to autoplay). */
  background: boolean;
}

export type SessionAction =
  | { kind: 'publish' }
  /** `fromPending`: the steps come out of `pendingSteps` rather than from playing. */
  | { kind: 'train'; steps: number; fromPending: boolean }
  /** Wait for the device to finish the queued steps (a readback, without a snapshot). */
  | { kind: 'settle' }
  | { kind: 'wait' };

const PUBLISH: SessionAction = { kind: 'publish' };
const SETTLE: SessionAction = { kind: 'settle' };
const WAIT: SessionAction = { kind: 'wait' };

export function nextAction(state: PacingState): SessionAction {
  if (!state.ready || state.halted) return WAIT;
  const { playing, frameCredit, dirty, stepsPerFrame, stepsSincePublish, pendingSteps } = state;
  // Step 0 first: the logit panel keeps its θ_y histogram as the ghost of the start, and
  // the training curves start at 0. While the page is still drawing the last frame, wait
  // for it (one frame at most) rather than train past step 0 unseen. A hidden page sends
  // no frames, so the background mode trains on.
  if (dirty && state.step === 0 && !(playing && state.background)) return frameCredit ? PUBLISH : WAIT;
  // The next frame's steps run while the page is still drawing the last one.
  if (playing && stepsSincePublish < stepsPerFrame) return { kind: 'train', steps: stepsPerFrame - stepsSincePublish, fromPending: false };
  if (playing && frameCredit) return PUBLISH;
  if (pendingSteps > 0) {
    // A trained chunk is shown as soon as the page can take it, before the next one.
    if (frameCredit && stepsSincePublish > 0) return PUBLISH;
    return { kind: 'train', steps: Math.min(pendingSteps, STEP_CHUNK), fromPending: true };
  }
  if (frameCredit && dirty) return PUBLISH;
  if (playing && state.background) {
    // No frames come while hidden: train on, and wait for the device now and then so
    // queued work cannot pile up without bound.
    if (stepsSincePublish >= stepsPerFrame * BACKGROUND_SETTLE_FRAMES) return SETTLE;
    return { kind: 'train', steps: stepsPerFrame, fromPending: false };
  }
  return WAIT;
}
