import { describe, expect, it } from 'vitest';
import { DECK_KEYS, isTypingTarget, keyDecision, shortcutFor, type KeyPress } from './useKeyboard';

function press(key: string, overrides: Partial<KeyPress> = {}): KeyPress {
  return { key, altKey: false, ctrlKey: false, metaKey: false, defaultPrevented: false, ...overrides };
}

const page = { tagName: 'DIV', isContentEditable: false };

describe('shortcutFor', () => {
  it('maps space, → and r (either case) to play/pause, one step and reset', () => {
    expect(shortcutFor(press(' '), page)).toBe('togglePlay');
    expect(shortcutFor(press('ArrowRight'), page)).toBe('stepOnce');
    expect(shortcutFor(press('r'), page)).toBe('reset');
    expect(shortcutFor(press('R'), null)).toBe('reset');
  });

  it('maps p (either case) to the present layout, but not while typing into a field', () => {
    expect(shortcutFor(press('p'), page)).toBe('togglePresent');
    expect(shortcutFor(press('P'), null)).toBe('togglePresent');
    for (const tagName of ['INPUT', 'SELECT', 'TEXTAREA']) expect(shortcutFor(press('p'), { tagName, isContentEditable: false })).toBeNull();
    expect(shortcutFor(press('p', { ctrlKey: true }), page)).toBeNull();
  });

  it('ignores other keys', () => {
    for (const key of ['ArrowLeft', 'Enter', 's', 'o', 'Spacebar', '']) expect(shortcutFor(press(key), page)).toBeNull();
  });

  it('leaves a modified key to the browser (ctrl+r reloads)', () => {
    expect(shortcutFor(press('r', { ctrlKey: true }), page)).toBeNull();
    expect(shortcutFor(press('r', { metaKey: true }), page)).toBeNull();
    expect(shortcutFor(press(' ', { altKey: true }), page)).toBeNull();
  });

  it('leaves a key another handler already took', () => {
    expect(shortcutFor(press(' ', { defaultPrevented: true }), page)).toBeNull();
  });

  it('leaves a key typed into a control to that control', () => {
    for (const tagName of ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON']) {
      expect(shortcutFor(press(' '), { tagName, isContentEditable: false })).toBeNull();
    }
    expect(shortcutFor(press('r'), { tagName: 'DIV', isContentEditable: true })).toBeNull();
  });
});

describe('isTypingTarget', () => {
  it('is false for the page itself and plain elements', () => {
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget({ tagName: 'CANVAS', isContentEditable: false })).toBe(false);
  });
});

describe('keyDecision', () => {
  const fullPage = { embed: false, keys: false };
  const embedded = { embed: true, keys: false };
  const embeddedWithKeys = { embed: true, keys: true };

  it('outside an embed, runs the shortcuts as before, keys=1 or not', () => {
    for (const mode of [fullPage, { embed: false, keys: true }]) {
      expect(keyDecision(press(' '), page, mode)).toEqual({ kind: 'shortcut', action: 'togglePlay' });
      expect(keyDecision(press('ArrowRight'), page, mode)).toEqual({ kind: 'shortcut', action: 'stepOnce' });
      expect(keyDecision(press('r'), page, mode)).toEqual({ kind: 'shortcut', action: 'reset' });
      expect(keyDecision(press('p'), page, mode)).toEqual({ kind: 'shortcut', action: 'togglePresent' });
      for (const key of ['ArrowLeft', 'PageDown', 'PageUp']) expect(keyDecision(press(key), page, mode)).toEqual({ kind: 'ignore' });
    }
  });

  it('embedded without keys=1, hands every deck key back to the deck', () => {
    expect(DECK_KEYS).toEqual([' ', 'ArrowRight', 'ArrowLeft', 'PageDown', 'PageUp']);
    for (const key of DECK_KEYS) {
      expect(keyDecision(press(key), page, embedded)).toEqual({ kind: 'handBack' });
      expect(keyDecision(press(key), null, embedded)).toEqual({ kind: 'handBack' });
    }
    // Shift+space means "back" in a deck: still the deck's.
    expect(keyDecision(press(' ', { shiftKey: true }), page, embedded)).toEqual({ kind: 'handBack' });
  });

  it('embedded without keys=1, keeps no shortcut of its own', () => {
    for (const key of ['r', 'R', 'p', 'P', 'Enter', 'ArrowUp', 'a']) expect(keyDecision(press(key), page, embedded)).toEqual({ kind: 'ignore' });
  });

  it('embedded without keys=1, leaves modified keys, taken keys and typing to their owners', () => {
    expect(keyDecision(press('ArrowRight', { altKey: true }), page, embedded)).toEqual({ kind: 'ignore' });
    expect(keyDecision(press('ArrowLeft', { ctrlKey: true }), page, embedded)).toEqual({ kind: 'ignore' });
    expect(keyDecision(press('PageDown', { metaKey: true }), page, embedded)).toEqual({ kind: 'ignore' });
    expect(keyDecision(press(' ', { defaultPrevented: true }), page, embedded)).toEqual({ kind: 'ignore' });
    expect(keyDecision(press(' '), { tagName: 'BUTTON', isContentEditable: false }, embedded)).toEqual({ kind: 'ignore' });
    expect(keyDecision(press('ArrowRight'), { tagName: 'INPUT', isContentEditable: false }, embedded)).toEqual({ kind: 'ignore' });
  });

  it("embedded with keys=1, keeps today's shortcuts and hands nothing back", () => {
    expect(keyDecision(press(' '), page, embeddedWithKeys)).toEqual({ kind: 'shortcut', action: 'togglePlay' });
    expect(keyDecision(press('ArrowRight'), page, embeddedWithKeys)).toEqual({ kind: 'shortcut', action: 'stepOnce' });
    expect(keyDecision(press('r'), page, embeddedWithKeys)).toEqual({ kind: 'shortcut', action: 'reset' });
    for (const key of ['ArrowLeft', 'PageDown', 'PageUp']) expect(keyDecision(press(key), page, embeddedWithKeys)).toEqual({ kind: 'ignore' });
  });
});
