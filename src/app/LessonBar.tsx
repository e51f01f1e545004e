/**
 * The lesson bar: title, step k of n, the step's text, and Previous/Next. Step text is
 * rendered from core/lesson's tokens as React text nodes, so whatever a link puts in it
 * (HTML, a script address) is shown as the characters it is and never becomes markup.
 */
import type { ReactNode } from 'react';
import { parseLessonText, type InlineToken, type Lesson } from '../core/lesson';
import './lesson.css';

function inline(tokens: readonly InlineToken[]): ReactNode[] {
  return tokens.map((token, index) => {
    // The tokens of one text never reorder, so their position is a stable key.
    const key = `${index}`;
    switch (token.kind) {
      case 'bold':
        return <strong key={key}>{token.text}</strong>;
      case 'italic':
        return <em key={key}>{token.text}</em>;
      case 'code':
        return <code key={key}>{token.text}</code>;
      default:
        return <span key={key}>{token.text}</span>;
    }
  });
}

export function LessonText({ text, testId }: { text: string; testId?: string }) {
  const blocks = parseLessonText(text);
  return (
    <div className="lesson-text" data-testid={testId}>
      {blocks.map((block, index) => {
        const key = `${block.kind}-${index}`;
        if (block.kind === 'paragraph') return <p key={key}>{inline(block.inline)}</p>;
        // biome-ignore lint/suspicious/noArrayIndexKey: the items of one text never reorder
        const items = block.items.map((item, itemIndex) => <li key={`${itemIndex}`}>{inline(item)}</li>);
        return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
      })}
    </div>
  );
}

interface LessonBarProps {
  lesson: Lesson;
  index: number;
  onPrevious: () => void;
  onNext: () => void;
  /** Absent where there is no room for the editor (the embed). */
  onEdit?: () => void;
}

export function LessonBar({ lesson, index, onPrevious, onNext, onEdit }: LessonBarProps) {
  const step = lesson.steps[index];
  const last = lesson.steps.length - 1;
  return (
    <section className="lesson-bar" aria-label="Lesson" data-testid="lesson-bar">
      <div className="lesson-head">
        <h2 className="lesson-title" data-testid="lesson-title">
          {lesson.title}
        </h2>
        <span className="lesson-progress" data-testid="lesson-progress" aria-live="polite">
          Step {index + 1} of {lesson.steps.length}
        </span>
        <div className="lesson-buttons">
          <button type="button" data-testid="lesson-prev" onClick={onPrevious} disabled={index <= 0} aria-keyshortcuts="PageUp">
            ← Previous
          </button>
          <button type="button" data-testid="lesson-next" onClick={onNext} disabled={index >= last} aria-keyshortcuts="PageDown">
            Next →
          </button>
          {onEdit && (
            <button type="button" data-testid="lesson-editor-open" onClick={onEdit}>
              Edit lesson
            </button>
          )}
        </div>
      </div>
      {step && <LessonText text={step.text} testId="lesson-text" />}
    </section>
  );
}
