import { describe, expect, it } from 'vitest';
import { HIGHLIGHT_TARGETS, emptyStep } from '../core/lesson';
import { withPreset } from '../core/presets';
import { defaultParams } from '../core/schema';
import { highlightSelector, lessonKeyFor, stepRunSettings } from './useLesson';

const shared = { ...defaultParams(), seed: 42, lr: 0.005 };
const press = (key: string, extra: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; defaultPrevented: boolean }> = {}) => ({
  key,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  defaultPrevented: false,
  ...extra,
});
const body = { tagName: 'BODY', isContentEditable: false };
const page = { embed: false, keys: false };

describe('stepRunSettings', () => {
  it('leaves the run alone for a step of text only', () => {
    expect(stepRunSettings({ ...emptyStep(), text: 'hi', highlight: 'circle' }, shared, 4)).toBeNull();
  });

  it('applies the preset, then the step’s own values, over the shared settings, and plays', () => {
    const settings = stepRunSettings({ ...emptyStep(), preset: 'cosface', params: { s: 32 } }, shared, 8);
    expect(settings).toEqual({ params: { ...withPreset(shared, 'cosface'), s: 32 }, compare: null, playing: true, stepsPerFrame: 8, steps: null });
    expect(settings?.params.seed).toBe(42);
  });

  it('trains to the step’s number paused, and builds its comparison on the new params', () => {
    const settings = stepRunSettings({ ...emptyStep(), compare: 'softmax,arcface', trainTo: 300 }, shared, 4);
    expect(settings?.playing).toBe(false);
    expect(settings?.steps).toBe(300);
    expect(settings?.compare?.map((run) => run.preset)).toEqual(['softmax', 'arcface']);
    expect(settings?.compare?.[1].params.seed).toBe(42);
  });
});

describe('lessonKeyFor', () => {
  it('takes PageDown and PageUp as next and previous, also after a button was clicked', () => {
    expect(lessonKeyFor(press('PageDown'), body, page)).toBe('next');
    expect(lessonKeyFor(press('PageUp'), { tagName: 'BUTTON', isContentEditable: false }, page)).toBe('previous');
    expect(lessonKeyFor(press('ArrowRight'), body, page)).toBeNull();
  });

  it('leaves keys to a field being typed in, to modifiers and to a handler that took them', () => {
    expect(lessonKeyFor(press('PageDown'), { tagName: 'TEXTAREA', isContentEditable: false }, page)).toBeNull();
    expect(lessonKeyFor(press('PageDown'), { tagName: 'DIV', isContentEditable: true }, page)).toBeNull();
    expect(lessonKeyFor(press('PageDown', { ctrlKey: true }), body, page)).toBeNull();
    expect(lessonKeyFor(press('PageDown', { defaultPrevented: true }), body, page)).toBeNull();
  });

  it('in an embed, takes them only when the link says keys=1', () => {
    expect(lessonKeyFor(press('PageDown'), body, { embed: true, keys: false })).toBeNull();
    expect(lessonKeyFor(press('PageDown'), body, { embed: true, keys: true })).toBe('next');
  });
});

describe('highlightSelector', () => {
  it('names a fixed data-testid or class for every target', () => {
    for (const target of HIGHLIGHT_TARGETS) expect(highlightSelector(target)).toMatch(/^(\[data-testid="[a-z0-9-]+"\]|\.[a-z-]+)$/);
    expect(highlightSelector('circle')).toBe('[data-testid="panel-circle"]');
    expect(highlightSelector('m2')).toBe('[data-testid="param-m2"]');
  });
});
