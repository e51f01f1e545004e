/**
 * The page's shortcuts: space plays or pauses, → steps once, r resets, p toggles the
 * present layout. A key meant for a focused control (typing a number, pressing a
 * button) is left to that control.
 */
import { useEffect } from 'react';

type ShortcutAction = 'togglePlay' | 'stepOnce' | 'reset' | 'togglePresent';

type ShortcutHandlers = Record<ShortcutAction, () => void>;

/** The parts of a KeyboardEvent the mapping reads, so it runs without a DOM. */
export interface KeyPress {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  defaultPrevented: boolean;
}

/** The parts of an HTMLElement that tell whether keys typed into it belong to it. */
interface KeyTarget {
  tagName: string;
  isContentEditable: boolean;
}

const TYPING_TAGS: readonly string[] = ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'];

export function isTypingTarget(target: KeyTarget | null): boolean {
  return target !== null && (target.isContentEditable || TYPING_TAGS.includes(target.tagName));
}

/**
 * The shortcut a key press asks for, or null. A modifier means a browser or system
 * shortcut (ctrl+r reloads), and a press another handler already took is not ours.
 */
export function shortcutFor(press: KeyPress, target: KeyTarget | null): ShortcutAction | null {
  if (press.defaultPrevented || press.altKey || press.ctrlKey || press.metaKey || isTypingTarget(target)) return null;
  switch (press.key) {
    case ' ':
      return 'togglePlay';
    case 'ArrowRight':
      return 'stepOnce';
    case 'r':
    case 'R':
      return 'reset';
    case 'p':
    case 'P':
      return 'togglePresent';
    default:
      return null;
  }
}

/** Pass stable handlers (useCallback): the listener is re-added whenever one changes. */
export function useKeyboard({ togglePlay, stepOnce, reset, togglePresent }: ShortcutHandlers): void {
  useEffect(() => {
    const handlers: ShortcutHandlers = { togglePlay, stepOnce, reset, togglePresent };
    const onKey = (event: KeyboardEvent): void => {
      // Only an HTML element can be a control that types; the page itself or an SVG cannot.
      const target = event.target instanceof HTMLElement ? event.target : null;
      const action = shortcutFor(event, target);
      if (action === null) return;
      event.preventDefault();
      handlers[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePlay, stepOnce, reset, togglePresent]);
}
