/**
 * The share-link codec: everything a user sees, in the query string, read through the
 * parameter schema. `decodeUrlState` never throws and never lets a value outside the
 * schema through; each thing it had to correct is reported in plain words, so the page
 * can tell the user instead of silently running something else.
 */
import { BACKEND_ORDER, isBackendName, type BackendRequest } from './backends';
import { MAX_COMPARE_SPEC_LENGTH, decodeCompareSpec, encodeCompareSpec, quoteInput as quote, type CompareRun } from './compare';
import { DEFAULT_PRESET_ID, PRESETS, findPreset, matchPreset, withPreset } from './presets';
import { PARAM_KEYS, SCHEMA, defaultParams, parseNumberStrict, parseParam, type Params } from './schema';

export const URL_FORMAT_VERSION = 1;
export const PANEL_NAMES = ['circle', 'logit', 'margin', 'training', 'stats', 'pairs'] as const;
export type PanelName = (typeof PANEL_NAMES)[number];
export const THEME_NAMES = ['light', 'dark', 'projector'] as const;
export type ThemeName = (typeof THEME_NAMES)[number];
/** Controls a lecturer can hide for a classroom (as TensorFlow Playground does). */
export const HIDEABLE_CONTROLS = ['controls', 'formula', 'status', 'preset', 'play', 'step', 'reset', 'speed', 'm1', 'm2', 'm3', 's', 'lr', 'seed', 'n', 'checks', 'theme'] as const;
export type HideableControl = (typeof HIDEABLE_CONTROLS)[number];

export const SPEED_RANGE = { min: 1, max: 64, default: 4 } as const;
export const STEPS_LIMIT = 100000;
/** Longer values are refused outright: no real setting needs them. */
export const MAX_VALUE_LENGTH = 200;

export interface UrlState {
  /** The preset the link names, or 'custom' when the params match none. */
  preset: string;
  params: Params;
  backend: BackendRequest;
  autoplay: boolean;
  /** Train to this step and pause; null to just play (or not, per autoplay). */
  steps: number | null;
  speed: number;
  panels: PanelName[];
  embed: boolean;
  /**
   * In embed mode, take the navigation keys (→, ←, PageDown, PageUp, space) for the
   * playground; without it they go back to the slide deck around the frame.
   */
  keys: boolean;
  /**
   * A guided lesson: a built-in lesson's id or an encoded lesson, as the link gave it.
   * Only its length is checked here; the lesson codec reads it and reports its problems.
   */
  lesson: string | null;
  /** A replayed range of the timeline, from step `from` to step `to`; null when live. */
  replay: { from: number; to: number } | null;
  /** Open in the present layout: the figures fill the screen, the controls fold into a drawer (P toggles it). */
  present: boolean;
  /** null follows the system's light or dark setting. */
  theme: ThemeName | null;
  hide: HideableControl[];
  /** Use the fused WebGPU kernels where the backend has them (0 shows the unfused path). */
  fused: boolean;
  /** Expose test and benchmark hooks on window.__arcfaceDebug. */
  debug: boolean;
  /**
   * Compare mode: 2 to 4 runs on `params`, each with its own loss settings (see
   * core/compare.ts); null when off. Only the runs' loss settings are written to the
   * link, so build them with compareRun or rebaseCompareRuns on `params`.
   */
  compare: CompareRun[] | null;
}

export function defaultUrlState(): UrlState {
  return {
    preset: DEFAULT_PRESET_ID,
    params: withPreset(defaultParams(), DEFAULT_PRESET_ID),
    backend: 'auto',
    autoplay: true,
    steps: null,
    speed: SPEED_RANGE.default,
    panels: [...PANEL_NAMES],
    embed: false,
    present: false,
    keys: false,
    lesson: null,
    replay: null,
    theme: null,
    hide: [],
    fused: true,
    debug: false,
    compare: null,
  };
}

export interface Decoded {
  state: UrlState;
  /** One plain sentence per corrected setting; empty when the link was clean. */
  corrections: string[];
}

const STATE_KEYS = ['preset', 'backend', 'autoplay', 'steps', 'speed', 'panels', 'embed', 'present', 'keys', 'lesson', 'replay', 'theme', 'hide', 'fused', 'debug', 'compare', 'v'] as const;

/**
 * The longest encoded lesson a link may carry. A lesson of a dozen steps with a paragraph
 * each fits; a link much longer than this is cut by chat apps and some browsers anyway.
 */
export const MAX_LESSON_LENGTH = 6000;

/** A compare spec holds up to 4 runs with their overrides, a lesson its steps; every other value is short. */
function maxValueLength(key: string): number {
  if (key === 'compare') return MAX_COMPARE_SPEC_LENGTH;
  if (key === 'lesson') return MAX_LESSON_LENGTH;
  return MAX_VALUE_LENGTH;
}

function parseFlag(text: string): boolean | null {
  const lowered = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lowered)) return true;
  if (['0', 'false', 'no', 'off'].includes(lowered)) return false;
  return null;
}

function parseWhole(text: string, min: number, max: number): number | null {
  const value = parseNumberStrict(text);
  if (!Number.isFinite(value)) return null;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/** A comma list of known names: unknown and repeated entries are dropped and reported. */
function parseList<T extends string>(key: string, text: string, allowed: readonly T[], corrections: string[]): T[] {
  const result: T[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if (!(allowed as readonly string[]).includes(name)) {
      corrections.push(`${key}: ignored unknown entry ${quote(raw)}`);
      continue;
    }
    if (result.includes(name as T)) {
      corrections.push(`${key}: ignored repeated ${quote(raw)}`);
      continue;
    }
    result.push(name as T);
  }
  return result;
}

/** "FROM-TO", two whole steps in order within STEPS_LIMIT; null for anything else. */
function parseReplay(text: string): { from: number; to: number } | null {
  const match = /^\s*(\d{1,6})\s*-\s*(\d{1,6})\s*$/.exec(text);
  if (!match) return null;
  const from = Number(match[1]);
  const to = Number(match[2]);
  return from <= to && to <= STEPS_LIMIT ? { from, to } : null;
}

export function decodeUrlState(search: string): Decoded {
  const state = defaultUrlState();
  const corrections: string[] = [];
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  } catch {
    return { state, corrections: ['the link could not be read; using the defaults'] };
  }

  // First value of each key; the rest reported.
  const values = new Map<string, string>();
  for (const [key, value] of query) {
    if (values.has(key)) {
      corrections.push(`${quote(key)} was given more than once; used the first`);
      continue;
    }
    values.set(key, value);
  }

  const paramByUrlName = new Map(PARAM_KEYS.map((key) => [SCHEMA[key].urlName, key] as const));
  const usable = new Map<string, string>();
  for (const [key, value] of values) {
    if (!paramByUrlName.has(key) && !(STATE_KEYS as readonly string[]).includes(key)) {
      corrections.push(`ignored unknown setting ${quote(key)}`);
      continue;
    }
    if (value.length > maxValueLength(key)) {
      corrections.push(`${key}: value too long (${value.length} characters); using the default`);
      continue;
    }
    if (value.trim() === '') {
      corrections.push(`${key}: empty value; using the default`);
      continue;
    }
    usable.set(key, value);
  }

  const version = usable.get('v');
  if (version !== undefined && parseNumberStrict(version) !== URL_FORMAT_VERSION) {
    corrections.push(`v: this link is format ${quote(version)}; read it as format ${URL_FORMAT_VERSION}`);
  }

  const presetText = usable.get('preset');
  if (presetText !== undefined) {
    const presetId = presetText.trim().toLowerCase();
    if (findPreset(presetId)) state.preset = presetId;
    else if (presetId !== 'custom') corrections.push(`preset: unknown ${quote(presetText)}; using ${DEFAULT_PRESET_ID} (choose from ${PRESETS.map((preset) => preset.id).join(', ')})`);
  }
  // Explicit parameters override the preset.
  let params = withPreset(defaultParams(), findPreset(state.preset) ? state.preset : DEFAULT_PRESET_ID);
  for (const key of PARAM_KEYS) {
    const text = usable.get(SCHEMA[key].urlName);
    if (text === undefined) continue;
    const checked = parseParam(key, text);
    if (checked.problem) corrections.push(checked.problem);
    params = { ...params, [key]: checked.value };
  }
  state.params = params;
  state.preset = matchPreset(params)?.id ?? 'custom';

  const backendText = usable.get('backend');
  if (backendText !== undefined) {
    const name = backendText.trim().toLowerCase();
    if (name === 'auto' || isBackendName(name)) state.backend = name;
    else corrections.push(`backend: unknown ${quote(backendText)}; choosing automatically (one of auto, ${BACKEND_ORDER.join(', ')})`);
  }

  for (const key of ['autoplay', 'embed', 'present', 'keys', 'fused', 'debug'] as const) {
    const text = usable.get(key);
    if (text === undefined) continue;
    const flag = parseFlag(text);
    if (flag === null) corrections.push(`${key}: must be 1 or 0, got ${quote(text)}; using ${state[key] ? 1 : 0}`);
    else state[key] = flag;
  }

  const stepsText = usable.get('steps');
  if (stepsText !== undefined) {
    const steps = parseWhole(stepsText, 0, STEPS_LIMIT);
    if (steps === null) corrections.push(`steps: must be a whole number from 0 to ${STEPS_LIMIT}, got ${quote(stepsText)}; ignored`);
    else {
      if (String(steps) !== stepsText.trim()) corrections.push(`steps: ${quote(stepsText)} read as ${steps} (0 to ${STEPS_LIMIT})`);
      state.steps = steps;
    }
  }

  const speedText = usable.get('speed');
  if (speedText !== undefined) {
    const speed = parseWhole(speedText, SPEED_RANGE.min, SPEED_RANGE.max);
    if (speed === null) corrections.push(`speed: must be a whole number from ${SPEED_RANGE.min} to ${SPEED_RANGE.max}, got ${quote(speedText)}; using ${SPEED_RANGE.default}`);
    else {
      if (String(speed) !== speedText.trim()) corrections.push(`speed: ${quote(speedText)} read as ${speed} (${SPEED_RANGE.min} to ${SPEED_RANGE.max})`);
      state.speed = speed;
    }
  }

  const panelsText = usable.get('panels');
  if (panelsText !== undefined) {
    const panels = parseList('panels', panelsText, PANEL_NAMES, corrections);
    if (panels.length === 0) corrections.push('panels: none of the named panels exist; showing all');
    else state.panels = panels;
  }

  const themeText = usable.get('theme');
  if (themeText !== undefined) {
    const theme = themeText.trim().toLowerCase();
    if ((THEME_NAMES as readonly string[]).includes(theme)) state.theme = theme as ThemeName;
    else corrections.push(`theme: unknown ${quote(themeText)}; using the system theme (one of ${THEME_NAMES.join(', ')})`);
  }

  const lessonText = usable.get('lesson');
  if (lessonText !== undefined) state.lesson = lessonText;

  const replayText = usable.get('replay');
  if (replayText !== undefined) {
    const replay = parseReplay(replayText);
    if (replay) state.replay = replay;
    else corrections.push(`replay: must be two whole step numbers FROM-TO with FROM ≤ TO ≤ ${STEPS_LIMIT}, got ${quote(replayText)}; ignored`);
  }

  const hideText = usable.get('hide');
  if (hideText !== undefined) state.hide = parseList('hide', hideText, HIDEABLE_CONTROLS, corrections);

  // After the params: the runs share them and take only their loss settings from the spec.
  const compareText = usable.get('compare');
  if (compareText !== undefined) {
    const compare = decodeCompareSpec(compareText, state.params);
    corrections.push(...compare.corrections);
    state.compare = compare.runs;
  }

  return { state, corrections };
}

/**
 * The query string for a state, without the '?'. Only what differs from the preset and
 * the defaults is written, so links stay short; `v` pins the format.
 */
export function encodeUrlState(state: UrlState): string {
  const defaults = defaultUrlState();
  const query = new URLSearchParams();
  const preset = matchPreset(state.params);
  const base = withPreset(defaultParams(), preset ? preset.id : DEFAULT_PRESET_ID);
  if (preset) query.set('preset', preset.id);
  for (const key of PARAM_KEYS) {
    if (state.params[key] === base[key]) continue;
    const value = state.params[key];
    query.set(SCHEMA[key].urlName, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  if (state.backend !== defaults.backend) query.set('backend', state.backend);
  if (state.autoplay !== defaults.autoplay) query.set('autoplay', state.autoplay ? '1' : '0');
  if (state.steps !== null) query.set('steps', String(state.steps));
  if (state.speed !== defaults.speed) query.set('speed', String(state.speed));
  if (state.panels.join(',') !== defaults.panels.join(',')) query.set('panels', state.panels.join(','));
  if (state.embed) query.set('embed', '1');
  if (state.present) query.set('present', '1');
  if (state.keys) query.set('keys', '1');
  if (state.lesson !== null) query.set('lesson', state.lesson);
  if (state.replay !== null) query.set('replay', `${state.replay.from}-${state.replay.to}`);
  if (!state.fused) query.set('fused', '0');
  if (state.debug) query.set('debug', '1');
  if (state.theme !== null) query.set('theme', state.theme);
  if (state.hide.length > 0) query.set('hide', state.hide.join(','));
  if (state.compare !== null && state.compare.length > 0) query.set('compare', encodeCompareSpec(state.compare, state.params));
  query.set('v', String(URL_FORMAT_VERSION));
  // URLSearchParams escapes commas; lists read better without. '~' is unreserved in URLs,
  // and '=' inside a value is safe because a query pair splits at its first '='.
  return query.toString().replace(/%2C/g, ',').replace(/%7E/g, '~').replace(/%3D/g, '=');
}
