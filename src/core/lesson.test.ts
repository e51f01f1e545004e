import { describe, expect, it } from 'vitest';
import {
  HIGHLIGHT_TARGETS,
  LESSON_FORMAT_PREFIX,
  MAX_LESSON_STEPS,
  MAX_STEP_TEXT_LENGTH,
  decodeLesson,
  emptyStep,
  encodeLesson,
  lessonNotice,
  parseInline,
  parseLessonText,
  type Lesson,
} from './lesson';
import { BUILT_IN_LESSONS } from './lessons/builtIn';
import { findPreset } from './presets';
import { SCHEMA } from './schema';
import { MAX_LESSON_LENGTH } from './urlState';

/** Encode any JSON-able value the way a link carries a lesson. */
function wire(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return LESSON_FORMAT_PREFIX + btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const oneStep = (step: Record<string, unknown>, title: unknown = 'T'): string => wire({ t: title, s: [step] });

/** Every string the page would show, to check that none of it can be markup when rendered. */
function shownStrings(lesson: Lesson): string[] {
  return [
    lesson.title,
    ...lesson.steps.flatMap((step) =>
      parseLessonText(step.text).flatMap((block) => (block.kind === 'paragraph' ? [block.inline] : block.items).flatMap((tokens) => tokens.map((token) => token.text))),
    ),
  ];
}

describe('built-in lessons', () => {
  it('decode cleanly by id, with presets, highlights and compare specs that exist', () => {
    for (const id of ['normalise', 'fig3', 'margins']) {
      const { lesson, problems } = decodeLesson(id);
      expect(problems).toEqual([]);
      expect(lesson?.steps.length).toBeGreaterThanOrEqual(3);
      for (const step of lesson?.steps ?? []) {
        if (step.preset) expect(findPreset(step.preset)).toBeDefined();
        if (step.highlight) expect(HIGHLIGHT_TARGETS).toContain(step.highlight);
      }
    }
    expect(BUILT_IN_LESSONS.fig3.steps[0].compare).toBe('softmax,arcface');
  });

  it('round-trip through the encoding and fit in a link', () => {
    for (const [id, lesson] of Object.entries(BUILT_IN_LESSONS)) {
      const encoded = encodeLesson(lesson);
      expect(encoded.length, id).toBeLessThanOrEqual(MAX_LESSON_LENGTH);
      const decoded = decodeLesson(encoded);
      expect(decoded.problems).toEqual([]);
      expect(decoded.lesson).toEqual(lesson);
    }
  });

  it('margins walks through SphereFace, CosFace and ArcFace in order', () => {
    expect(BUILT_IN_LESSONS.margins.steps.slice(0, 3).map((step) => step.preset)).toEqual(['sphereface', 'cosface', 'arcface']);
  });
});

describe('the Markdown subset', () => {
  it('reads bold, italic and code, and leaves unmatched markers as text', () => {
    expect(parseInline('a **b** *c* `d*e*` f*')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'bold', text: 'b' },
      { kind: 'text', text: ' ' },
      { kind: 'italic', text: 'c' },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'd*e*' },
      { kind: 'text', text: ' f*' },
    ]);
  });

  it('splits paragraphs at blank lines and reads - and 1. lists', () => {
    const blocks = parseLessonText('one\ntwo\n\n- a\n- b\n  more\n\n1. x\n2. y\nafter');
    expect(blocks.map((block) => block.kind)).toEqual(['paragraph', 'list', 'list', 'paragraph']);
    expect(blocks[0]).toEqual({ kind: 'paragraph', inline: [{ kind: 'text', text: 'one two' }] });
    expect(blocks[1]).toEqual({ kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'a' }], [{ kind: 'text', text: 'b more' }]] });
    expect(blocks[2].kind === 'list' && blocks[2].ordered).toBe(true);
  });

  it('keeps HTML as literal text tokens', () => {
    expect(parseLessonText('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'paragraph', inline: [{ kind: 'text', text: '<img src=x onerror=alert(1)>' }] }]);
  });
});

interface HostileCase {
  name: string;
  input: string;
  /** Whether a lesson is still shown. */
  kept: boolean;
  /** A part of the expected message; every case must produce one. */
  message: RegExp;
  check?: (lesson: Lesson) => void;
}

const longText = 'a'.repeat(MAX_STEP_TEXT_LENGTH + 50);
const validStep = { x: 'fine', p: 'arcface' };

const HOSTILE: HostileCase[] = [
  { name: 'unknown id', input: 'nosuchlesson', kept: false, message: /no lesson called 'nosuchlesson'/ },
  { name: 'prototype key as id', input: 'constructor', kept: false, message: /no lesson called/ },
  { name: '__proto__ as id', input: '__proto__', kept: false, message: /neither a built-in lesson nor an encoded one/ },
  { name: 'javascript: as the whole value', input: 'javascript:alert(1)', kept: false, message: /neither a built-in/ },
  { name: 'HTML as the whole value', input: '<script>alert(1)</script>', kept: false, message: /neither a built-in/ },
  { name: 'oversized', input: `${LESSON_FORMAT_PREFIX}${'A'.repeat(MAX_LESSON_LENGTH + 10)}`, kept: false, message: /too long/ },
  { name: 'newer format', input: '2.eyJ0IjoiVCJ9', kept: false, message: /newer version/ },
  { name: 'not base64', input: `${LESSON_FORMAT_PREFIX}!!!!`, kept: false, message: /damaged/ },
  { name: 'truncated encoding', input: oneStep(validStep).slice(0, 20), kept: false, message: /damaged/ },
  { name: 'impossible base64 length', input: `${LESSON_FORMAT_PREFIX}A`, kept: false, message: /damaged/ },
  { name: 'invalid UTF-8', input: `${LESSON_FORMAT_PREFIX}_w`, kept: false, message: /damaged/ },
  { name: 'JSON that is an array', input: wire([1, 2]), kept: false, message: /not a lesson/ },
  { name: 'JSON null', input: wire(null), kept: false, message: /not a lesson/ },
  { name: 'no steps', input: wire({ t: 'T', s: [] }), kept: false, message: /no steps/ },
  { name: 'steps not a list', input: wire({ t: 'T', s: 'x' }), kept: false, message: /no steps/ },
  { name: 'every step unusable', input: wire({ t: 'T', s: [1, 'x', null] }), kept: false, message: /none of the lesson's steps/ },
  {
    name: 'one bad step among good ones',
    input: wire({ t: 'T', s: [validStep, 7, validStep] }),
    kept: true,
    message: /step 2 is not a lesson step/,
    check: (lesson) => expect(lesson.steps).toHaveLength(2),
  },
  {
    name: 'too many steps',
    input: wire({ t: 'T', s: Array.from({ length: MAX_LESSON_STEPS + 5 }, () => ({ x: 'a' })) }),
    kept: true,
    message: /only the first 30/,
    check: (lesson) => expect(lesson.steps).toHaveLength(MAX_LESSON_STEPS),
  },
  { name: 'too-long text', input: oneStep({ x: longText }), kept: true, message: /cut to 1500/, check: (lesson) => expect(lesson.steps[0].text).toHaveLength(MAX_STEP_TEXT_LENGTH) },
  { name: 'text of the wrong type', input: oneStep({ x: { html: '<b>' } }), kept: true, message: /text is not text/, check: (lesson) => expect(lesson.steps[0].text).toBe('') },
  { name: 'HTML in the text', input: oneStep({ x: '<img src=x onerror="alert(1)">hi' }), kept: true, message: /contains HTML/, check: (lesson) => expect(lesson.steps[0].text).toContain('<img') },
  { name: 'script tag in the text', input: oneStep({ x: 'a <script>alert(1)</script> b' }), kept: true, message: /contains HTML/ },
  { name: 'javascript: URL in the text', input: oneStep({ x: 'see javascript:alert(1)' }), kept: true, message: /script address/ },
  { name: 'Markdown link to javascript:', input: oneStep({ x: '[click](javascript:alert(1))' }), kept: true, message: /script address/ },
  { name: 'data: URL in the text', input: oneStep({ x: 'data:text/html,<b>x</b>' }), kept: true, message: /script address|contains HTML/ },
  { name: 'HTML in the title', input: oneStep(validStep, '<h1 onclick=x>T</h1>'), kept: true, message: /title contains HTML/ },
  { name: 'title of the wrong type', input: oneStep(validStep, 42), kept: true, message: /Untitled lesson/, check: (lesson) => expect(lesson.title).toBe('Untitled lesson') },
  {
    name: 'control and direction characters',
    input: oneStep({ x: 'a\u0000b\u202ec\u0007' }, 'T\u0008'),
    kept: true,
    message: /control characters were removed/,
    check: (lesson) => expect(lesson.steps[0].text).toBe('abc'),
  },
  { name: 'unknown preset', input: oneStep({ x: 'a', p: 'evil' }), kept: true, message: /unknown preset 'evil'/, check: (lesson) => expect(lesson.steps[0].preset).toBeNull() },
  { name: 'preset of the wrong type', input: oneStep({ x: 'a', p: ['arcface'] }), kept: true, message: /unknown preset \(choose/ },
  {
    name: 'parameter out of range',
    input: oneStep({ x: 'a', p: 'arcface', m: { m2: 5, s: 32 } }),
    kept: true,
    message: /ignored m2 = '5' \(it must be from 0 to 1\)/,
    check: (lesson) => expect(lesson.steps[0].params).toEqual({ s: 32 }),
  },
  { name: 'parameter not a number', input: oneStep({ x: 'a', m: { lr: 'NaN' } }), kept: true, message: /ignored lr/, check: (lesson) => expect(lesson.steps[0].params).toEqual({}) },
  { name: 'parameter as an object', input: oneStep({ x: 'a', m: { s: { valueOf: 3 } } }), kept: true, message: /not a number or a word/ },
  { name: 'unknown parameter', input: oneStep({ x: 'a', m: { __proto__: 1, evil: 2 } }), kept: true, message: /unknown parameter 'evil'/ },
  { name: 'parameters not an object', input: oneStep({ x: 'a', m: [1, 2] }), kept: true, message: /parameters are not a list/ },
  { name: 'bad choice value', input: oneStep({ x: 'a', m: { head: '<b>' } }), kept: true, message: /ignored head/ },
  { name: 'bad compare spec', input: oneStep({ x: 'a', c: 'softmax,<script>' }), kept: true, message: /ignored the comparison/, check: (lesson) => expect(lesson.steps[0].compare).toBeNull() },
  { name: 'compare spec too long', input: oneStep({ x: 'a', c: 'arcface,'.repeat(200) }), kept: true, message: /not a short list of runs/ },
  { name: 'unknown panel', input: oneStep({ x: 'a', v: ['circle', 'evil', 3] }), kept: true, message: /unknown panel 'evil'/, check: (lesson) => expect(lesson.steps[0].panels).toEqual(['circle']) },
  {
    name: 'highlight as a CSS selector',
    input: oneStep({ x: 'a', h: 'body *' }),
    kept: true,
    message: /ignored the highlight 'body \*'/,
    check: (lesson) => expect(lesson.steps[0].highlight).toBeNull(),
  },
  { name: 'negative train-to', input: oneStep({ x: 'a', n: -5 }), kept: true, message: /train to step/, check: (lesson) => expect(lesson.steps[0].trainTo).toBeNull() },
  { name: 'huge train-to', input: oneStep({ x: 'a', n: 1e12 }), kept: true, message: /train to step/ },
  { name: 'fractional train-to as text', input: oneStep({ x: 'a', n: '10.5' }), kept: true, message: /train to step/ },
  { name: 'many problems at once', input: oneStep({ x: 'a', a: 1, b: 2, c2: 3, d: 4, e: 5, f: 6, g: 7, h2: 8 }), kept: true, message: /and 2 more problems/ },
];

describe('a hostile corpus of lesson links', () => {
  it('has at least 30 cases', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
  });

  for (const testCase of HOSTILE) {
    it(testCase.name, () => {
      const decoded = decodeLesson(testCase.input);
      expect(decoded.lesson !== null).toBe(testCase.kept);
      const notice = lessonNotice(decoded.problems);
      expect(notice).toMatch(testCase.message);
      // One sentence, of bounded length, however large the input.
      expect(notice?.length ?? 0).toBeLessThan(1200);
      if (decoded.lesson) {
        testCase.check?.(decoded.lesson);
        // Whatever reaches the page is text; parsing never turns it into anything else.
        for (const text of shownStrings(decoded.lesson)) expect(typeof text).toBe('string');
        for (const step of decoded.lesson.steps) {
          expect(step.text.length).toBeLessThanOrEqual(MAX_STEP_TEXT_LENGTH);
          for (const [key, value] of Object.entries(step.params)) {
            const spec = SCHEMA[key as keyof typeof SCHEMA];
            if (spec.kind === 'number') expect(value as number).toBeGreaterThanOrEqual(spec.min);
            if (spec.kind === 'number') expect(value as number).toBeLessThanOrEqual(spec.max);
          }
        }
      }
    });
  }

  it('never throws on random bytes', () => {
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let round = 0; round < 300; round++) {
      const length = next() % 80;
      const text = LESSON_FORMAT_PREFIX + Array.from({ length }, () => 'AZaz09-_'[next() % 8] + String.fromCharCode(65 + (next() % 58)).replace(/[^A-Za-z0-9_-]/, 'Q')).join('');
      expect(() => decodeLesson(text)).not.toThrow();
    }
  });
});

describe('encodeLesson', () => {
  it('writes a teacher’s lesson that decodes to the same lesson', () => {
    const lesson: Lesson = {
      title: 'Mine — with ünïcödé',
      steps: [
        { ...emptyStep(), text: 'Step **one**', preset: 'cosface', params: { s: 32, fallback: false }, highlight: 'logit', trainTo: 200 },
        { ...emptyStep(), text: 'Two', compare: 'softmax,arcface', panels: ['circle', 'stats'] },
      ],
    };
    const encoded = encodeLesson(lesson);
    expect(encoded).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    expect(decodeLesson(encoded)).toEqual({ lesson, problems: [] });
  });
});
