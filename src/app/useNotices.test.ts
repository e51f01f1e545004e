import { describe, expect, it } from 'vitest';
import { linkCorrectionNotices, withNotice, withoutNotice, type Notice } from './useNotices';

describe('linkCorrectionNotices', () => {
  it('is empty for a clean link', () => {
    expect(linkCorrectionNotices([])).toEqual([]);
  });

  it('names every correction in one notice', () => {
    expect(linkCorrectionNotices(['m2 must be a number; using 0.5', 'n: 999 clamped to 128'])).toEqual([
      'This link had settings that could not be used as given: m2 must be a number; using 0.5; n: 999 clamped to 128.',
    ]);
  });
});

describe('withNotice and withoutNotice', () => {
  it('adds at the end and dismisses only the one asked for, even among equal texts', () => {
    const list = withNotice(withNotice(withNotice([], { id: 0, message: 'a' }), { id: 1, message: 'b' }), { id: 2, message: 'a' });
    expect(list.map((notice) => notice.message)).toEqual(['a', 'b', 'a']);
    expect(withoutNotice(list, 2)).toEqual([
      { id: 0, message: 'a' },
      { id: 1, message: 'b' },
    ]);
    expect(withoutNotice(list, 0)).toEqual([
      { id: 1, message: 'b' },
      { id: 2, message: 'a' },
    ]);
    expect(withoutNotice(list, 5)).toEqual(list);
  });

  it('never changes the list it is given (React state)', () => {
    const list: readonly Notice[] = Object.freeze([{ id: 0, message: 'a' }]);
    expect(() => withNotice(list, { id: 1, message: 'b' })).not.toThrow();
    expect(() => withoutNotice(list, 0)).not.toThrow();
    expect(list).toEqual([{ id: 0, message: 'a' }]);
  });
});
