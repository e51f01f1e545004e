/**
 * Guided lessons (issue 12): a title and a list of steps, each with a short text and
 * the settings to apply when a reader enters it.
 *
 * A lesson reaches the page from a link, as a built-in id (`lesson=margins`) or encoded
 * (`lesson=1.` + base64url of a compact JSON with one-letter keys). Nothing from a link is
 * trusted: `decodeLesson` never throws, checks every field against the parameter schema
 * and fixed lists, drops what it cannot use and says so in plain words. Step text is
 * plain text with a small Markdown subset; `parseLessonText` turns it into tokens that
 * the page renders as text nodes, so HTML or a `javascript:` URL in it is only ever
 * shown, never run.
 */
import { MAX_COMPARE_SPEC_LENGTH, decodeCompareSpec, quoteInput } from './compare';
import { BUILT_IN_LESSONS } from './lessons/builtIn';
import { PRESETS, findPreset } from './presets';
import { PARAM_KEYS, SCHEMA, defaultParams, parseParam, type Params } from './schema';
import { MAX_LESSON_LENGTH, PANEL_NAMES, STEPS_LIMIT, type PanelName } from './urlState';

/** What a step may outline: a panel or one of the controls, never an arbitrary selector. */
export const HIGHLIGHT_TARGETS = [...PANEL_NAMES, 'formula', 'status', 'preset', 'compare', 'play', 'step', 'm1', 'm2', 'm3', 's'] as const;
export type HighlightTarget = (typeof HIGHLIGHT_TARGETS)[number];

export const MAX_LESSON_STEPS = 30;
export const MAX_STEP_TEXT_LENGTH = 1500;
export const MAX_TITLE_LENGTH = 120;
/** A lesson that trains further than this makes a reader wait too long on one step. */
export const MAX_TRAIN_TO = STEPS_LIMIT;
/** More problems than this are summed up as a count: one notice must stay readable. */
const MAX_REPORTED_PROBLEMS = 6;
export const LESSON_FORMAT_PREFIX = '1.';

export interface LessonStep {
  text: string;
  /** A preset id to apply first, or null. */
  preset: string | null;
  /** Schema values applied over the preset. */
  params: Partial<Params>;
  /** A compare spec (`softmax,arcface`) checked by core/compare, or null for a single run. */
  compare: string | null;
  /** The panels the step is about, or null for whatever is shown. */
  panels: PanelName[] | null;
  highlight: HighlightTarget | null;
  /** Train from a fresh start to this step and pause; null to train on. */
  trainTo: number | null;
}

export interface Lesson {
  title: string;
  steps: LessonStep[];
}

export interface DecodedLesson {
  lesson: Lesson | null;
  /** Plain clauses, one per problem; empty when the lesson was clean. */
  problems: string[];
}

export function emptyStep(): LessonStep {
  return { text: '', preset: null, params: {}, compare: null, panels: null, highlight: null, trainTo: null };
}

/** Whether entering the step changes what trains (otherwise the run carries on). */
export function stepChangesRun(step: LessonStep): boolean {
  return step.preset !== null || Object.keys(step.params).length > 0 || step.compare !== null || step.trainTo !== null;
}

// ---------------------------------------------------------------------------
// The Markdown subset

export type InlineToken = { kind: 'text' | 'bold' | 'italic' | 'code'; text: string };
export type TextBlock = { kind: 'paragraph'; inline: InlineToken[] } | { kind: 'list'; ordered: boolean; items: InlineToken[][] };

// `code` first, so that stars inside code stay stars; unmatched markers stay literal text.
const INLINE_PATTERN = /`([^`\n]+)`|\*\*([^*\n]+)\*\*|\*([^*\n]+)\*/g;

export function parseInline(text: string): InlineToken[] {
  const tokens: InlineToken[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE_PATTERN)) {
    const start = match.index ?? 0;
    if (start > last) tokens.push({ kind: 'text', text: text.slice(last, start) });
    if (match[1] !== undefined) tokens.push({ kind: 'code', text: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: 'bold', text: match[2] });
    else tokens.push({ kind: 'italic', text: match[3] ?? '' });
    last = start + match[0].length;
  }
  if (last < text.length) tokens.push({ kind: 'text', text: text.slice(last) });
  return tokens;
}

const BULLET = /^\s*[-*]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;

/** Paragraphs (split at blank lines; single line breaks join with a space) and `-` or `1.` lists. */
export function parseLessonText(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flushParagraph = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', inline: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };
  const flushList = (): void => {
    if (list) blocks.push({ kind: 'list', ordered: list.ordered, items: list.items.map(parseInline) });
    list = null;
  };
  for (const line of text.split('\n')) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      flushParagraph();
      const ordered = numbered !== null;
      if (list && list.ordered !== ordered) flushList();
      if (!list) list = { ordered, items: [] };
      list.items.push(item[1].trim());
    } else if (line.trim() === '') {
      flushParagraph();
      flushList();
    } else if (list && /^\s{2,}/.test(line)) {
      // An indented line continues the list item above it.
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else {
      flushList();
      paragraph.push(line.trim());
    }
  }
  flushParagraph();
  flushList();
  return blocks;
}

// ---------------------------------------------------------------------------
// The link encoding

/** The compact form: one-letter keys, empty fields left out. */
interface WireStep {
  x?: string;
  p?: string;
  m?: Record<string, number | string | boolean>;
  c?: string;
  v?: string[];
  h?: string;
  n?: number;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** null for anything that is not base64url of valid UTF-8. */
function fromBase64Url(encoded: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) return null;
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function encodeLesson(lesson: Lesson): string {
  const steps: WireStep[] = lesson.steps.map((step) => {
    const wire: WireStep = {};
    if (step.text !== '') wire.x = step.text;
    if (step.preset !== null) wire.p = step.preset;
    const params = PARAM_KEYS.filter((key) => step.params[key] !== undefined);
    if (params.length > 0) wire.m = Object.fromEntries(params.map((key) => [SCHEMA[key].urlName, step.params[key] as number | string | boolean]));
    if (step.compare !== null) wire.c = step.compare;
    if (step.panels !== null) wire.v = step.panels;
    if (step.highlight !== null) wire.h = step.highlight;
    if (step.trainTo !== null) wire.n = step.trainTo;
    return wire;
  });
  return LESSON_FORMAT_PREFIX + toBase64Url(JSON.stringify({ t: lesson.title, s: steps }));
}

// ---------------------------------------------------------------------------
// Decoding

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(record: Record<string, Json>, key: string): Json {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being removed
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
const LOOKS_LIKE_HTML = /<\s*\/?\s*[a-z!?][^>]*>?/i;
const SCRIPT_URL = /\b(?:javascript|vbscript|data)\s*:/i;

function hasControlCharacters(text: string): boolean {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ') !== cleanText(text);
}

/** Plain text: no control or direction-override characters, Windows line ends made Unix. */
function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROL_CHARACTERS, '');
}

const PARAM_BY_URL_NAME = new Map(PARAM_KEYS.map((key) => [SCHEMA[key].urlName, key] as const));

function decodeParams(where: string, input: Json, problems: string[]): Partial<Params> {
  if (!isRecord(input)) {
    problems.push(`${where}: its parameters are not a list of names and values, so they were ignored`);
    return {};
  }
  const params: Partial<Params> = {};
  for (const [name, value] of Object.entries(input)) {
    const key = PARAM_BY_URL_NAME.get(name);
    if (key === undefined) {
      problems.push(`${where}: ignored unknown parameter ${quoteInput(name)}`);
      continue;
    }
    if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
      problems.push(`${where}: ignored ${name}, which is not a number or a word`);
      continue;
    }
    const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value).slice(0, 40);
    const checked = parseParam(key, text);
    if (checked.problem) {
      problems.push(`${where}: ignored ${name} = ${quoteInput(String(value))} (${SCHEMA[key].kind === 'number' ? `it must be from ${rangeOf(key)}` : 'not an allowed value'})`);
      continue;
    }
    (params as Record<string, unknown>)[key] = checked.value;
  }
  return params;
}

function rangeOf(key: keyof Params): string {
  const spec = SCHEMA[key];
  return spec.kind === 'number' ? `${spec.min} to ${spec.max}` : '';
}

function decodeStep(where: string, input: Json, problems: string[]): LessonStep | null {
  if (!isRecord(input)) {
    problems.push(`${where} is not a lesson step and was left out`);
    return null;
  }
  const step = emptyStep();
  for (const key of Object.keys(input)) {
    if (!['x', 'p', 'm', 'c', 'v', 'h', 'n'].includes(key)) problems.push(`${where}: ignored unknown field ${quoteInput(key)}`);
  }

  const text = own(input, 'x');
  if (text !== undefined) {
    if (typeof text !== 'string') problems.push(`${where}: its text is not text and was left out`);
    else {
      let clean = cleanText(text);
      if (hasControlCharacters(text)) problems.push(`${where}: invisible control characters were removed from its text`);
      if (clean.length > MAX_STEP_TEXT_LENGTH) {
        problems.push(`${where}: its text was cut to ${MAX_STEP_TEXT_LENGTH} characters`);
        clean = clean.slice(0, MAX_STEP_TEXT_LENGTH);
      }
      if (LOOKS_LIKE_HTML.test(clean)) problems.push(`${where}: its text contains HTML, which is shown as plain text`);
      if (SCRIPT_URL.test(clean)) problems.push(`${where}: its text contains a script address, which is shown as plain text and never followed`);
      step.text = clean;
    }
  }

  const preset = own(input, 'p');
  if (preset !== undefined) {
    if (typeof preset === 'string' && findPreset(preset)) step.preset = preset;
    else
      problems.push(
        `${where}: ignored unknown preset ${typeof preset === 'string' ? quoteInput(preset) : ''} (choose from ${PRESETS.map((entry) => entry.id).join(', ')})`.replace(' preset  (', ' preset ('),
      );
  }

  const params = own(input, 'm');
  if (params !== undefined) step.params = decodeParams(where, params, problems);

  const compare = own(input, 'c');
  if (compare !== undefined) {
    if (typeof compare !== 'string' || compare.length > MAX_COMPARE_SPEC_LENGTH) problems.push(`${where}: ignored a comparison that is not a short list of runs`);
    else {
      const decoded = decodeCompareSpec(compare, defaultParams());
      if (decoded.runs === null || decoded.corrections.length > 0)
        problems.push(`${where}: ignored the comparison ${quoteInput(compare)}${decoded.corrections.length > 0 ? ` (${decoded.corrections[0]})` : ''}`);
      else step.compare = compare.trim();
    }
  }

  const panels = own(input, 'v');
  if (panels !== undefined) {
    if (!Array.isArray(panels)) problems.push(`${where}: ignored its panels, which are not a list`);
    else {
      const known: PanelName[] = [];
      for (const name of panels) {
        if (typeof name === 'string' && (PANEL_NAMES as readonly string[]).includes(name)) {
          if (!known.includes(name as PanelName)) known.push(name as PanelName);
        } else problems.push(`${where}: ignored unknown panel ${typeof name === 'string' ? quoteInput(name) : 'entry'}`);
      }
      if (known.length > 0) step.panels = known;
    }
  }

  const highlight = own(input, 'h');
  if (highlight !== undefined) {
    if (typeof highlight === 'string' && (HIGHLIGHT_TARGETS as readonly string[]).includes(highlight)) step.highlight = highlight as HighlightTarget;
    else
      problems.push(`${where}: ignored the highlight ${typeof highlight === 'string' ? quoteInput(highlight) : ''} (one of ${HIGHLIGHT_TARGETS.join(', ')})`.replace(' highlight  (', ' highlight ('));
  }

  const trainTo = own(input, 'n');
  if (trainTo !== undefined) {
    if (typeof trainTo === 'number' && Number.isInteger(trainTo) && trainTo >= 0 && trainTo <= MAX_TRAIN_TO) step.trainTo = trainTo;
    else problems.push(`${where}: ignored "train to step", which must be a whole number from 0 to ${MAX_TRAIN_TO}`);
  }
  return step;
}

/** Check a lesson's JSON form; null when nothing usable is left. */
function decodeWire(input: Json, problems: string[]): Lesson | null {
  if (!isRecord(input)) {
    problems.push('the lesson in this link is not a lesson, so no lesson is shown');
    return null;
  }
  let title = 'Untitled lesson';
  const rawTitle = own(input, 't');
  if (typeof rawTitle === 'string' && cleanText(rawTitle).replace(/\n/g, ' ').trim() !== '') {
    title = cleanText(rawTitle).replace(/\n/g, ' ').trim();
    if (title.length > MAX_TITLE_LENGTH) {
      problems.push(`the lesson's title was cut to ${MAX_TITLE_LENGTH} characters`);
      title = title.slice(0, MAX_TITLE_LENGTH);
    }
    if (LOOKS_LIKE_HTML.test(title)) problems.push("the lesson's title contains HTML, which is shown as plain text");
  } else if (rawTitle !== undefined) problems.push("the lesson's title is not usable text; it is called 'Untitled lesson'");

  const rawSteps = own(input, 's');
  if (!Array.isArray(rawSteps) || rawSteps.length === 0) {
    problems.push('the lesson in this link has no steps, so no lesson is shown');
    return null;
  }
  if (rawSteps.length > MAX_LESSON_STEPS) problems.push(`the lesson has ${rawSteps.length} steps; only the first ${MAX_LESSON_STEPS} are shown`);
  const steps: LessonStep[] = [];
  rawSteps.slice(0, MAX_LESSON_STEPS).forEach((raw, index) => {
    const step = decodeStep(`step ${index + 1}`, raw, problems);
    if (step) steps.push(step);
  });
  if (steps.length === 0) {
    problems.push("none of the lesson's steps could be used, so no lesson is shown");
    return null;
  }
  return { title, steps };
}

const LESSON_ID = /^[a-z][a-z0-9-]{0,31}$/;

/** A link's `lesson` value: a built-in id or an encoded lesson. Never throws. */
export function decodeLesson(raw: string): DecodedLesson {
  const problems: string[] = [];
  const text = raw.trim();
  const done = (lesson: Lesson | null): DecodedLesson => ({ lesson, problems: summarise(problems) });
  if (text === '') return done(null);
  if (text.length > MAX_LESSON_LENGTH) {
    problems.push(`the lesson in this link is too long (${text.length} characters, at most ${MAX_LESSON_LENGTH}), so no lesson is shown`);
    return done(null);
  }
  if (LESSON_ID.test(text)) {
    const builtIn = BUILT_IN_LESSONS[text];
    if (builtIn && Object.hasOwn(BUILT_IN_LESSONS, text)) return done(builtIn);
    problems.push(`there is no lesson called ${quoteInput(text)} (the built-in lessons are ${Object.keys(BUILT_IN_LESSONS).join(', ')})`);
    return done(null);
  }
  if (!text.startsWith(LESSON_FORMAT_PREFIX)) {
    if (/^\d+\./.test(text)) problems.push('this lesson was written by a newer version of the playground, so no lesson is shown');
    else problems.push(`the lesson ${quoteInput(text)} is neither a built-in lesson nor an encoded one, so no lesson is shown`);
    return done(null);
  }
  const json = fromBase64Url(text.slice(LESSON_FORMAT_PREFIX.length));
  let parsed: Json;
  try {
    parsed = json === null ? undefined : JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined) {
    problems.push('the lesson in this link is damaged (perhaps cut short when it was copied), so no lesson is shown');
    return done(null);
  }
  return done(decodeWire(parsed, problems));
}

function summarise(problems: string[]): string[] {
  if (problems.length <= MAX_REPORTED_PROBLEMS) return problems;
  const extra = problems.length - MAX_REPORTED_PROBLEMS;
  return [...problems.slice(0, MAX_REPORTED_PROBLEMS), `and ${extra} more problem${extra === 1 ? '' : 's'}`];
}

/** The one notice for a lesson's problems, or none. */
export function lessonNotice(problems: readonly string[]): string | null {
  return problems.length > 0 ? `Lesson: ${problems.join('; ')}.` : null;
}
