/**
 * A small editor for a teacher's own lesson: a title and steps (text, preset, train to
 * step, highlight), a preview drawn by the lesson bar's own renderer, and Copy link, which
 * puts the whole lesson into a `?lesson=…` link. A step's other settings (parameters,
 * comparison, panels) are kept as they came and travel in the link unchanged.
 */
import { useEffect, useRef, useState } from 'react';
import { HIGHLIGHT_TARGETS, MAX_LESSON_STEPS, MAX_STEP_TEXT_LENGTH, MAX_TITLE_LENGTH, MAX_TRAIN_TO, emptyStep, encodeLesson, type HighlightTarget, type Lesson, type LessonStep } from '../core/lesson';
import { PRESETS } from '../core/presets';
import type { BackendRequest } from '../core/backends';
import { MAX_LESSON_LENGTH, defaultUrlState } from '../core/urlState';
import { LessonText } from './LessonBar';
import { copyText, shareUrl } from './urlSync';

interface LessonEditorProps {
  /** The lesson to start from; a blank one-step lesson when null. */
  initial: Lesson | null;
  /** Kept in the link, so a lesson written on a forced backend opens on it. */
  backend: BackendRequest;
  onClose: () => void;
}

/** The link that opens this lesson, on the page's own address. */
export function lessonLink(lesson: Lesson, backend: BackendRequest, base: string = window.location.href): string {
  return shareUrl({ ...defaultUrlState(), backend, lesson: encodeLesson(lesson) }, base);
}

export function LessonEditor({ initial, backend, onClose }: LessonEditorProps) {
  const [draft, setDraft] = useState<Lesson>(() => initial ?? { title: 'My lesson', steps: [emptyStep()] });
  const [selected, setSelected] = useState(0);
  const [shown, setShown] = useState<{ link: string; copied: boolean } | null>(null);
  const dialogRef = useRef<HTMLElement | null>(null);
  const linkRef = useRef<HTMLInputElement | null>(null);
  const step = draft.steps[selected] ?? draft.steps[0];
  const encodedLength = encodeLesson(draft).length;

  useEffect(() => {
    dialogRef.current?.querySelector<HTMLElement>('input, textarea')?.focus();
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: select the link's text each time a new one is shown
  useEffect(() => {
    linkRef.current?.select();
  }, [shown]);

  const changeStep = (change: Partial<LessonStep>): void => {
    setShown(null);
    setDraft((current) => ({ ...current, steps: current.steps.map((entry, index) => (index === selected ? { ...entry, ...change } : entry)) }));
  };
  const addStep = (): void => {
    if (draft.steps.length >= MAX_LESSON_STEPS) return;
    setShown(null);
    setDraft((current) => ({ ...current, steps: [...current.steps.slice(0, selected + 1), emptyStep(), ...current.steps.slice(selected + 1)] }));
    setSelected(selected + 1);
  };
  const removeStep = (): void => {
    if (draft.steps.length <= 1) return;
    setShown(null);
    setDraft((current) => ({ ...current, steps: current.steps.filter((_, index) => index !== selected) }));
    setSelected(Math.max(0, selected - 1));
  };
  const copyLink = async (): Promise<void> => {
    const link = lessonLink(draft, backend);
    setShown({ link, copied: await copyText(link) });
  };
  const tooLong = encodedLength > MAX_LESSON_LENGTH;

  return (
    <section
      className="lesson-editor"
      role="dialog"
      aria-modal="false"
      aria-label="Lesson editor"
      data-testid="lesson-editor"
      ref={dialogRef}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}>
      <div className="lesson-editor-row">
        <h2 style={{ margin: 0, flex: '1 1 auto' }}>Lesson editor</h2>
        <button type="button" data-testid="lesson-editor-close" onClick={onClose}>
          Close
        </button>
      </div>
      <label>
        Title
        <input data-testid="lesson-editor-title" value={draft.title} maxLength={MAX_TITLE_LENGTH} onChange={(event) => setDraft({ ...draft, title: event.target.value })} />
      </label>
      <div className="lesson-editor-row">
        <fieldset className="lesson-editor-steps">
          <legend className="visually-hidden">Steps</legend>
          {draft.steps.map((_, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a step is its position in the lesson
            <button key={index} type="button" data-testid={`lesson-editor-step-${index}`} aria-pressed={index === selected} onClick={() => setSelected(index)}>
              {index + 1}
            </button>
          ))}
        </fieldset>
        <button type="button" data-testid="lesson-editor-add" onClick={addStep} disabled={draft.steps.length >= MAX_LESSON_STEPS}>
          Add step
        </button>
        <button type="button" data-testid="lesson-editor-remove" onClick={removeStep} disabled={draft.steps.length <= 1}>
          Remove step {selected + 1}
        </button>
      </div>
      <div className="lesson-editor-columns">
        <div>
          <label>
            Step {selected + 1} text (**bold**, *italic*, `code`, lines starting with - for a list)
            <textarea data-testid="lesson-editor-text" value={step.text} maxLength={MAX_STEP_TEXT_LENGTH} onChange={(event) => changeStep({ text: event.target.value })} />
          </label>
          <div className="lesson-editor-row">
            <label>
              Preset
              <select data-testid="lesson-editor-preset" value={step.preset ?? ''} onChange={(event) => changeStep({ preset: event.target.value === '' ? null : event.target.value })}>
                <option value="">(keep the current one)</option>
                {PRESETS.map((preset) => (
                  <option key={preset.id} value={preset.id}>
                    {preset.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Train to step
              <input
                type="number"
                data-testid="lesson-editor-train-to"
                min={0}
                max={MAX_TRAIN_TO}
                step={50}
                value={step.trainTo ?? ''}
                placeholder="keep training"
                onChange={(event) => {
                  const value = Number.parseInt(event.target.value, 10);
                  changeStep({ trainTo: Number.isFinite(value) ? Math.min(MAX_TRAIN_TO, Math.max(0, value)) : null });
                }}
              />
            </label>
            <label>
              Highlight
              <select
                data-testid="lesson-editor-highlight"
                value={step.highlight ?? ''}
                onChange={(event) => changeStep({ highlight: event.target.value === '' ? null : (event.target.value as HighlightTarget) })}>
                <option value="">(nothing)</option>
                {HIGHLIGHT_TARGETS.map((target) => (
                  <option key={target} value={target}>
                    {target}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </div>
        <div>
          <h3 style={{ margin: '0 0 4px', fontSize: '0.95em' }}>Preview: {draft.title}</h3>
          <div className="lesson-editor-preview">
            <LessonText text={step.text} testId="lesson-editor-preview" />
          </div>
        </div>
      </div>
      <div className="lesson-editor-row">
        <button type="button" data-testid="lesson-editor-copy" onClick={() => void copyLink()} disabled={tooLong}>
          Copy link
        </button>
        <span className={tooLong ? 'lesson-editor-size-over' : ''} data-testid="lesson-editor-size">
          {encodedLength} of {MAX_LESSON_LENGTH} characters{tooLong ? ': too long for a link, shorten the text' : ''}
        </span>
      </div>
      {shown && (
        <label>
          Lesson link {shown.copied ? 'copied to the clipboard' : '(the clipboard is blocked here: copy it from this field)'}
          <input ref={linkRef} data-testid="lesson-editor-link" readOnly value={shown.link} />
        </label>
      )}
    </section>
  );
}
