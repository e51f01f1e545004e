/**
 * A guided lesson on the page: which step is shown, applying each step's settings when it
 * is entered, outlining the element it is about, and the clicker keys (PageDown and
 * PageUp) that move between steps. The step index lives in the page only; a reload starts
 * at step 1, which is where a student opening the link should start.
 *
 * A step that names panels shows those panels only, in its order; a step that names none
 * shows the link's panels, so stepping back and forth never leaves a panel hidden by an
 * earlier step.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { decodeCompareSpec } from '../core/compare';
import { decodeLesson, lessonNotice, stepChangesRun, type HighlightTarget, type Lesson, type LessonStep } from '../core/lesson';
import { withPreset } from '../core/presets';
import type { Params } from '../core/schema';
import type { PanelName } from '../core/urlState';
import type { RunSettings, TrainingControls } from './useTrainingClient';

/** Where each highlight target is on the page; a fixed table, so a lesson cannot name any other element. */
export function highlightSelector(target: HighlightTarget): string {
  switch (target) {
    case 'formula':
      return '[data-testid="formula"]';
    case 'status':
      return '.status';
    case 'preset':
      return '[data-testid="preset"]';
    case 'compare':
      return '.compare-controls';
    case 'play':
      return '[data-testid="play"]';
    case 'step':
      return '[data-testid="step"]';
    case 'm1':
    case 'm2':
    case 'm3':
    case 's':
      return `[data-testid="param-${target}"]`;
    default:
      return `[data-testid="panel-${target}"]`;
  }
}

export const HIGHLIGHT_CLASS = 'lesson-highlight';

/** The element to outline: a parameter's whole row rather than its number box. */
function highlightElement(target: HighlightTarget): Element | null {
  const element = document.querySelector(highlightSelector(target));
  if (!element) return null;
  return ['m1', 'm2', 'm3', 's'].includes(target) ? (element.closest('.control') ?? element) : element;
}

/**
 * What entering a step starts: a fresh session with its preset and parameters over the
 * current shared settings, its comparison or a single run, trained to its step and paused
 * or playing. null when the step changes nothing and the run carries on.
 */
export function stepRunSettings(step: LessonStep, shared: Params, stepsPerFrame: number): RunSettings | null {
  if (!stepChangesRun(step)) return null;
  let params = step.preset !== null ? withPreset(shared, step.preset) : shared;
  params = { ...params, ...step.params };
  const compare = step.compare !== null ? decodeCompareSpec(step.compare, params).runs : null;
  const trainTo = step.trainTo !== null && step.trainTo > 0 ? step.trainTo : null;
  return { params, compare, playing: trainTo === null, stepsPerFrame, steps: trainTo };
}

/** A field that keys type into. Unlike the shortcuts' rule, a button is not: a clicker's PageDown after clicking Next must still work. */
export function isEditingTarget(target: { tagName: string; isContentEditable: boolean } | null): boolean {
  return target !== null && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

export type LessonKey = 'next' | 'previous' | null;

export function lessonKeyFor(
  press: { key: string; altKey: boolean; ctrlKey: boolean; metaKey: boolean; defaultPrevented: boolean },
  target: { tagName: string; isContentEditable: boolean } | null,
  mode: { embed: boolean; keys: boolean },
): LessonKey {
  if (mode.embed && !mode.keys) return null;
  if (press.defaultPrevented || press.altKey || press.ctrlKey || press.metaKey || isEditingTarget(target)) return null;
  if (press.key === 'PageDown') return 'next';
  if (press.key === 'PageUp') return 'previous';
  return null;
}

interface LessonOptions {
  /** The link's `lesson` value, or null. */
  raw: string | null;
  embed: boolean;
  keys: boolean;
  controls: TrainingControls;
  stepsPerFrame: number;
  addNotice: (message: string) => void;
}

export interface LessonView {
  lesson: Lesson | null;
  index: number;
  next(): void;
  previous(): void;
  editorOpen: boolean;
  setEditorOpen(open: boolean): void;
  /** The panels the current step shows, or null for the link's own. */
  stepPanels: readonly PanelName[] | null;
}

export function useLesson({ raw, embed, keys, controls, stepsPerFrame, addNotice }: LessonOptions): LessonView {
  const decoded = useMemo(() => (raw === null ? { lesson: null, problems: [] } : decodeLesson(raw)), [raw]);
  const { lesson } = decoded;
  const [index, setIndex] = useState(0);
  const [editorOpen, setEditorOpen] = useState(false);
  const count = lesson?.steps.length ?? 0;
  const next = useCallback(() => setIndex((current) => Math.min(count - 1, current + 1)), [count]);
  const previous = useCallback(() => setIndex((current) => Math.max(0, current - 1)), []);

  const noticed = useRef(false);
  useEffect(() => {
    if (noticed.current) return;
    noticed.current = true;
    const notice = lessonNotice(decoded.problems);
    if (notice) addNotice(notice);
  }, [decoded, addNotice]);

  // Read at the moment a step is entered; a change of speed must not re-apply the step.
  const stepsPerFrameRef = useRef(stepsPerFrame);
  stepsPerFrameRef.current = stepsPerFrame;
  const step = lesson?.steps[index] ?? null;
  useEffect(() => {
    if (!step) return;
    const settings = stepRunSettings(step, controls.getRunList().shared, stepsPerFrameRef.current);
    if (settings) controls.restart(settings);
  }, [step, controls]);

  const highlight = step?.highlight ?? null;
  useEffect(() => {
    if (highlight === null) return undefined;
    let outlined: Element | null = null;
    // The element can be replaced by a render (compare mode on or off), so it is looked up again now and then.
    const apply = (): void => {
      const element = highlightElement(highlight);
      if (element === outlined && element?.classList.contains(HIGHLIGHT_CLASS)) return;
      outlined?.classList.remove(HIGHLIGHT_CLASS);
      outlined = element;
      element?.classList.add(HIGHLIGHT_CLASS);
    };
    apply();
    highlightElement(highlight)?.scrollIntoView({ block: 'nearest' });
    const timer = window.setInterval(apply, 500);
    return () => {
      window.clearInterval(timer);
      outlined?.classList.remove(HIGHLIGHT_CLASS);
    };
  }, [highlight]);

  useEffect(() => {
    if (!lesson) return undefined;
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target instanceof HTMLElement ? event.target : null;
      const action = lessonKeyFor(event, target, { embed, keys });
      if (action === null) return;
      // PageDown would otherwise also scroll the page.
      event.preventDefault();
      if (action === 'next') next();
      else previous();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lesson, embed, keys, next, previous]);

  const stepPanels = step?.panels ?? null;
  return { lesson, index, next, previous, editorOpen, setEditorOpen, stepPanels };
}
