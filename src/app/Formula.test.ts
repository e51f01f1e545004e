import { describe, expect, it } from 'vitest';
import { warmupProgress } from '../core/margin';
import { withPreset } from '../core/presets';
import { defaultParams } from '../core/schema';
import { feasibilityHintText } from './FeasibilityHint';
import { lossTex, reservesWarmupNote, warmupNote } from './Formula';

const ARCFACE = withPreset(defaultParams(), 'arcface');

describe('the formula during the warm-up', () => {
  it('fills in the margin of the step, and names the target in the note', () => {
    const progress = warmupProgress(150, 300);
    expect(lossTex(ARCFACE, progress)).toContain(String.raw`\cos(1\,\theta_{y} + 0.25) - 0`);
    expect(lossTex(ARCFACE, null)).toContain(String.raw`\cos(1\,\theta_{y} + 0.5) - 0`);
    expect(warmupNote(ARCFACE, progress)).toBe('warming up, step 150 of 300: the margin is at 50% of (1, 0.5, 0)');
    expect(warmupNote(ARCFACE, null)).toBeNull();
    expect(warmupNote({ ...ARCFACE, head: 'softmax' }, progress)).toBeNull();
  });
});

describe('the room the warm-up note keeps', () => {
  it('is kept for a margin that warms up, before, during and after its warm-up; never for softmax or without a warm-up', () => {
    expect(reservesWarmupNote(ARCFACE)).toBe(true);
    expect(reservesWarmupNote({ ...ARCFACE, warmupSteps: 0 })).toBe(false);
    expect(reservesWarmupNote({ ...ARCFACE, head: 'softmax' })).toBe(false);
  });
});

describe('the feasibility hint', () => {
  it('answers for the margin head, and says plain softmax has nothing to meet', () => {
    expect(feasibilityHintText(withPreset(defaultParams(), 'cosface'))).toContain('cannot meet this margin');
    expect(feasibilityHintText(ARCFACE)).toContain('can meet this margin');
    expect(feasibilityHintText(withPreset(defaultParams(), 'softmax'))).toBe('Plain softmax has no margin to meet.');
    expect(feasibilityHintText({ ...ARCFACE, identities: 1 })).toMatch(/at least two identities/);
  });
});
