import { describe, expect, it } from 'vitest';
import { visibilityDecision, type VisibilityCommand } from './usePauseWhenHidden';

/** Runs a sequence of visibility changes and returns the commands sent to the run. */
function commands(keepRunning: boolean, events: readonly { hidden: boolean; playing: boolean }[]): VisibilityCommand[] {
  let state = { resumeOnShow: false };
  return events.map(({ hidden, playing }) => {
    const decision = visibilityDecision(hidden, keepRunning, playing, state);
    state = decision.state;
    return decision.command;
  });
}

describe('visibilityDecision', () => {
  it('pauses a playing run when the tab is hidden and resumes it when shown', () => {
    expect(
      commands(false, [
        { hidden: true, playing: true },
        { hidden: false, playing: true },
      ]),
    ).toEqual(['pause', 'play']);
  });

  it('leaves a paused run paused on both sides', () => {
    expect(
      commands(false, [
        { hidden: true, playing: false },
        { hidden: false, playing: false },
      ]),
    ).toEqual([null, null]);
  });

  it('does not resume a run that was paused while the tab was hidden', () => {
    expect(
      commands(false, [
        { hidden: true, playing: true },
        { hidden: false, playing: false },
      ]),
    ).toEqual(['pause', null]);
  });

  it('resumes once per hide', () => {
    // A second show without a hide in between (browsers do send those) sends nothing.
    expect(
      commands(false, [
        { hidden: true, playing: true },
        { hidden: false, playing: true },
        { hidden: false, playing: true },
      ]),
    ).toEqual(['pause', 'play', null]);
  });

  it('does not start a run that was paused before the tab was hidden and played while hidden', () => {
    expect(
      commands(false, [
        { hidden: true, playing: false },
        { hidden: false, playing: true },
      ]),
    ).toEqual([null, null]);
  });

  it('only switches an autoplaying embed to its background pace and back', () => {
    expect(
      commands(true, [
        { hidden: true, playing: true },
        { hidden: false, playing: true },
      ]),
    ).toEqual(['background', 'foreground']);
    expect(
      commands(true, [
        { hidden: true, playing: false },
        { hidden: false, playing: false },
      ]),
    ).toEqual(['background', 'foreground']);
  });
});
