import { describe, expect, it } from 'vitest';
import { isTypingTarget, shortcutFor, type KeyPress } from './useKeyboard';

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
