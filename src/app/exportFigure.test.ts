import { describe, expect, it } from 'vitest';
import { escapeXml, wrapCaption } from './exportFigure';

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

describe('wrapCaption', () => {
  const widthOf = (text: string): number => text.length;

  it('keeps a caption that fits on one line', () => {
    expect(wrapCaption('Softmax · seed 1 · step 3', 100, widthOf)).toEqual(['Softmax · seed 1 · step 3']);
  });

  it('breaks at the separators first and never loses a word', () => {
    const caption = 'ArcFace (0.5) · m1 = 1, m2 = 0.5 rad (28.6°), m3 = 0, s = 64 · seed 1 · step 300';
    const lines = wrapCaption(caption, 30, widthOf);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toBe('ArcFace (0.5)');
    expect(lines.every((line) => line.length <= 30 && !line.endsWith('·'))).toBe(true);
    const letters = (text: string): string => text.replace(/[\s·]+/g, '');
    expect(letters(lines.join(' '))).toBe(letters(caption));
  });
});

describe('wrapCaption with one line per compared run', () => {
  it('starts each run on its own line, and wraps each line on its own', () => {
    const caption = 'A: Softmax · seed 1 · step 300\nB: ArcFace (0.5) · m1 = 1, m2 = 0.5 rad (28.6°), m3 = 0, s = 64 · seed 1 · step 300';
    const lines = wrapCaption(caption, 40, (text) => text.length);
    expect(lines[0]).toBe('A: Softmax · seed 1 · step 300');
    expect(lines[1]).toBe('B: ArcFace (0.5)');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((line) => line.length <= 40)).toBe(true);
  });
});
