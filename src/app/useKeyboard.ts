/**
 * The page's shortcuts: space plays or pauses, → steps once, r resets, p toggles the
 * present layout. A key meant for a focused control (typing a number, pressing a
 * button) is left to that control.
 *
 * Embedded in a slide deck, the frame takes none of them unless its link says `keys=1`:
 * a lecturer who clicked into the frame and presses → means "next slide", so the
 * deck's navigation keys hand the focus back to the deck and are passed on to it.
 */
import { useEffect } from 'react';
import { keyEvent, postToParent } from './embedApi';

type ShortcutAction = 'togglePlay' | 'stepOnce' | 'reset' | 'togglePresent';

type ShortcutHandlers = Record<ShortcutAction, () => void>;

/** The parts of a KeyboardEvent the mapping reads, so it runs without a DOM. */
export interface KeyPress {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** Optional, so a caller that never looks at it need not make one up; absent means not held. */
  shiftKey?: boolean;
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

/** The keys a slide deck moves by, clickers included (they send PageDown and PageUp). */
export const DECK_KEYS: readonly string[] = [' ', 'ArrowRight', 'ArrowLeft', 'PageDown', 'PageUp'];

/** Where the page is: `embed` from the link's embed=1, `keys` from its keys=1. */
export interface KeyboardMode {
  embed: boolean;
  keys: boolean;
}

export type KeyDecision =
  /** Run one of the page's shortcuts. */
  | { kind: 'shortcut'; action: ShortcutAction }
  /** Do nothing here: give the focus back to the deck and tell it which key was pressed. */
  | { kind: 'handBack' }
  /** Not ours: let the browser or the focused control have it. */
  | { kind: 'ignore' };

/**
 * What the page does with a key press. Outside an embed, and in an embed whose link says
 * keys=1, that is the shortcuts. Otherwise the frame keeps no shortcut (r would reset the
 * lecturer's demo by accident, and p means "previous slide" in reveal.js), and a deck
 * key hands the focus back.
 */
export function keyDecision(press: KeyPress, target: KeyTarget | null, mode: KeyboardMode): KeyDecision {
  if (!mode.embed || mode.keys) {
    const action = shortcutFor(press, target);
    return action === null ? { kind: 'ignore' } : { kind: 'shortcut', action };
  }
  if (press.defaultPrevented || press.altKey || press.ctrlKey || press.metaKey || isTypingTarget(target)) return { kind: 'ignore' };
  return DECK_KEYS.includes(press.key) ? { kind: 'handBack' } : { kind: 'ignore' };
}

/**
 * The frame cannot send the key itself on to the deck: a key event belongs to the
 * document that had the focus. So it focuses the deck's window (focus() is one of the
 * few calls a frame may make on a parent of another origin), after which the next key
 * goes to the deck, and posts the key so that a deck that listens can act on this one too.
 */
function handBackToDeck(event: KeyboardEvent): void {
  window.parent.focus();
  postToParent(window, keyEvent(event.key, event.shiftKey));
}

/** Pass stable handlers (useCallback): the listener is re-added whenever one changes. */
export function useKeyboard({ togglePlay, stepOnce, reset, togglePresent }: ShortcutHandlers, { embed, keys }: KeyboardMode = { embed: false, keys: false }): void {
  useEffect(() => {
    const handlers: ShortcutHandlers = { togglePlay, stepOnce, reset, togglePresent };
    // An embed link opened on its own in a tab has no deck to give the keys to.
    const mode: KeyboardMode = { embed: embed && window.parent !== window, keys };
    const onKey = (event: KeyboardEvent): void => {
      // Only an HTML element can be a control that types; the page itself or an SVG cannot.
      const target = event.target instanceof HTMLElement ? event.target : null;
      const decision = keyDecision(event, target, mode);
      if (decision.kind === 'ignore') return;
      // Space and PageDown would otherwise scroll the frame under the deck.
      event.preventDefault();
      if (decision.kind === 'shortcut') handlers[decision.action]();
      else handBackToDeck(event);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePlay, stepOnce, reset, togglePresent, embed, keys]);
}
