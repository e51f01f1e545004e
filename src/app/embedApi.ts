/**
 * The postMessage API that lets a slide deck drive a playground embedded in an iframe.
 * This module is the pure part: message parsing, event building, and the listener that
 * wires both to a window. It knows nothing of React or the worker; App hands it handlers.
 *
 * Commands, parent → frame (each must carry `target: 'arcface-playground'`):
 *   { target, command: 'setParams', params: { m1?, m2?, m3?, s?, lr?, seed?, samplesPerIdentity?, …any Params key }, run?: <index> }
 *   { target, command: 'setPreset', preset: '<preset id>', run?: <index> }
 *   { target, command: 'play' }
 *   { target, command: 'pause' }
 *   { target, command: 'reset' }
 *   { target, command: 'step', count: <whole number 1..10000> }
 *   { target, command: 'record', format: 'webm' | 'mp4' | 'gif', panels?: ['circle', …], size?: '720p' | '1080p' | 'panel',
 *     fps?: <5..60>, stepsPerFrame?: <1..10000>, theme?: 'light' | 'dark' | 'projector', caption?: boolean,
 *     from?: <step>, to?: <step>, id?: '<up to 64 characters>' }
 *   { target, command: 'cancelRecord' }
 *
 * Events, frame → parent (each carries `source: 'arcface-playground'`):
 *   { source, event: 'ready', version: 1 }
 *   { source, event: 'state', step, loss: number | null, accuracy, playing, preset: '<preset id>' | 'custom', params,
 *     runs?: [{ letter, label, preset, loss, accuracy }] }   (runs: compare mode only; the top-level fields are run A's)
 *   { source, event: 'key', key: ' ' | 'ArrowRight' | 'ArrowLeft' | 'PageDown' | 'PageUp', shiftKey }
 *     (a deck key pressed inside the frame without keys=1 in its link; the frame has just
 *     given the focus back to the parent, which may act on this key)
 *   { source, event: 'recordProgress', id?, encoded, total, fraction }
 *   { source, event: 'recorded', id?, file: Blob, name, mimeType, frames, width, height, fps }
 *   { source, event: 'recordError', id?, message }   (one sentence; also for a malformed record command)
 *
 * `run` picks one run of a comparison (0 is A); without it a command changes run A. A
 * shared setting (seed, learning rate…) changes every run whichever run is named.
 *
 * Parsing is strict where the share-link codec is forgiving: a link is typed by a person
 * who is better served by a corrected value, but a command comes from a program, and
 * quietly running something other than what it asked for would hide its bug. So a value
 * out of range rejects the whole message, and the reason says why.
 */
import { PRESETS, findPreset, matchPreset } from '../core/presets';
import { PARAM_KEYS, SCHEMA, type Params } from '../core/schema';
import { PANEL_NAMES, type PanelName, type ThemeName } from '../core/urlState';
import { MAX_FPS, MIN_FPS, RECORD_FORMATS, type RecordFormat } from './record/formats';

const EMBED_TARGET = 'arcface-playground';
const EMBED_SOURCE = 'arcface-playground';
/** Bumped only when a host written for an older version would misread the messages. */
export const EMBED_API_VERSION = 1;
const STEP_COUNT_RANGE = { min: 1, max: 10000 } as const;
/** The reason the caller must ignore silently: other scripts post messages too. */
export const NOT_FOR_THIS_APP = 'not for this app';

const EMBED_COMMAND_NAMES = ['setParams', 'setPreset', 'play', 'pause', 'reset', 'step', 'record', 'cancelRecord'] as const;
const RECORD_SIZES = ['720p', '1080p', 'panel'] as const;
const RECORD_THEMES: readonly ThemeName[] = ['light', 'dark', 'projector'];
const RECORD_STEPS_PER_FRAME = { min: 1, max: 10000 } as const;
/** A host's label for a recording, echoed in its events: short, printable text. */
const RECORD_ID_PATTERN = /^[\x20-\x7e]{1,64}$/;
/** Far beyond any run the page can keep, yet small enough to be exact in a double. */
const MAX_STEP = 1e9;

/** What a host asks to record; fields it left out are absent (the page fills in its defaults). */
export interface EmbedRecordRequest {
  format: RecordFormat;
  panels?: PanelName[];
  size?: (typeof RECORD_SIZES)[number];
  fps?: number;
  stepsPerFrame?: number;
  theme?: ThemeName;
  caption?: boolean;
  from?: number;
  to?: number;
  id?: string;
}
type EmbedCommandName = (typeof EMBED_COMMAND_NAMES)[number];

export type EmbedCommand =
  /** `run` is present only when the sender named one. */
  | { command: 'setParams'; params: Partial<Params>; run?: number }
  | { command: 'setPreset'; preset: string; run?: number }
  | { command: 'play' }
  | { command: 'pause' }
  | { command: 'reset' }
  | { command: 'step'; count: number }
  | { command: 'record'; request: EmbedRecordRequest }
  | { command: 'cancelRecord' };

interface EmbedReadyEvent {
  source: typeof EMBED_SOURCE;
  event: 'ready';
  version: typeof EMBED_API_VERSION;
}

export interface EmbedStateEvent {
  source: typeof EMBED_SOURCE;
  event: 'state';
  step: number;
  /** null before the first step, and whenever the loss is not a finite number. */
  loss: number | null;
  accuracy: number;
  playing: boolean;
  /** The preset these params match, or 'custom'. */
  preset: string;
  params: Params;
  /** Compare mode only: every run, A first (the top-level loss, accuracy, preset and params are A's). */
  runs?: EmbedRunState[];
}

export interface EmbedRunState {
  letter: string;
  label: string;
  preset: string;
  loss: number | null;
  accuracy: number;
}

/**
 * A key that moves a slide deck, pressed while the frame had the focus. The frame does
 * not act on it; it hands the focus back to the deck and reports the key, since the
 * press itself cannot reach the deck's document.
 */
export interface EmbedKeyEvent {
  source: typeof EMBED_SOURCE;
  event: 'key';
  /** KeyboardEvent.key: ' ', 'ArrowRight', 'ArrowLeft', 'PageDown' or 'PageUp'. */
  key: string;
  /** Shift+space means "back" in reveal.js and most other decks. */
  shiftKey: boolean;
}

export interface EmbedRecordProgressEvent {
  source: typeof EMBED_SOURCE;
  event: 'recordProgress';
  id?: string;
  encoded: number;
  total: number;
  fraction: number;
}

/** The finished recording: a Blob, which postMessage clones (its bytes are not copied into the message). */
export interface EmbedRecordedEvent {
  source: typeof EMBED_SOURCE;
  event: 'recorded';
  id?: string;
  file: Blob;
  name: string;
  mimeType: string;
  frames: number;
  width: number;
  height: number;
  fps: number;
}

export interface EmbedRecordErrorEvent {
  source: typeof EMBED_SOURCE;
  event: 'recordError';
  id?: string;
  /** One sentence, for the host to show as is. */
  message: string;
}

type EmbedEvent = EmbedReadyEvent | EmbedStateEvent | EmbedKeyEvent | EmbedRecordProgressEvent | EmbedRecordedEvent | EmbedRecordErrorEvent;

/** A rejected record command names its `id` (when that part could be read), so the host can match the error to its request. */
export type ParseResult = { ok: true; command: EmbedCommand } | { ok: false; reason: string; record?: { id?: string } };

export interface EmbedHandlers {
  /** `run`: the run's index, 0 when the command named none. */
  setParams(partial: Partial<Params>, run: number): void;
  setPreset(id: string, run: number): void;
  play(): void;
  pause(): void;
  reset(): void;
  step(count: number): void;
  /** Absent on a page that cannot record: a record command then gets a recordError event. */
  record?(request: EmbedRecordRequest): void;
  cancelRecord?(): void;
}

/** Besides `target` and `command`, the fields each command must carry. */
const FIELDS_OF: { [C in EmbedCommandName]: readonly string[] } = {
  setParams: ['params'],
  setPreset: ['preset'],
  play: [],
  pause: [],
  reset: [],
  step: ['count'],
  record: ['format'],
  cancelRecord: [],
};

/** Fields a command may carry or leave out. */
const OPTIONAL_FIELDS_OF: { [C in EmbedCommandName]: readonly string[] } = {
  setParams: ['run'],
  setPreset: ['run'],
  play: [],
  pause: [],
  reset: [],
  step: [],
  record: ['panels', 'size', 'fps', 'stepsPerFrame', 'theme', 'caption', 'from', 'to', 'id'],
  cancelRecord: [],
};

const PARAM_KEY_SET: ReadonlySet<string> = new Set(PARAM_KEYS);

/** Thrown inside the parser only, so that each check can bail out in one line. */
class Rejection {
  constructor(
    readonly reason: string,
    readonly record?: { id?: string },
  ) {}
}

function shortened(text: string): string {
  const head = text.length > 24 ? `${text.slice(0, 24)}…` : text;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point: they are replaced before user text is shown
  return head.replace(/[\u0000-\u001f\u007f]/g, '?');
}

/** Shows a sender's value in a reason without letting a huge or odd one take over the console. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `'${shortened(value)}'`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${shortened(String(value))}n (a bigint)`;
    // Anything else could run the sender's code if turned into text (toString, Proxy traps).
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** Built-in prototypes only: an instance of some class, or an object dressed as one, is not data. */
function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Own string keys, and their values read from property descriptors rather than by `obj[key]`:
 * a getter never runs, an inherited field never counts, and each value is read exactly once,
 * so a Proxy cannot show one value to the check and another to the handler.
 */
function ownFields(value: object, where: string): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== 'string') throw new Rejection(`${where} has a symbol key`);
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined) continue;
    if (!('value' in descriptor)) throw new Rejection(`${where}: ${describe(key)} must be a plain value, not a getter`);
    fields.set(key, descriptor.value);
  }
  return fields;
}

function checkParam(key: keyof Params, value: unknown): Params[keyof Params] {
  const spec = SCHEMA[key];
  if (spec.kind === 'number') {
    const wanted = `a ${spec.integer ? 'whole number' : 'number'} from ${spec.min} to ${spec.max}`;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.min || value > spec.max || (spec.integer && !Number.isInteger(value))) {
      throw new Rejection(`setParams: ${key} must be ${wanted}, got ${describe(value)}`);
    }
    // -0 passes the range check but would print as 0 and compare oddly later.
    return value === 0 ? 0 : value;
  }
  if (spec.kind === 'boolean') {
    if (typeof value !== 'boolean') throw new Rejection(`setParams: ${key} must be true or false, got ${describe(value)}`);
    return value;
  }
  const options: readonly string[] = spec.options;
  if (typeof value !== 'string' || !options.includes(value)) {
    throw new Rejection(`setParams: ${key} must be one of ${options.join(', ')}, got ${describe(value)}`);
  }
  return value as typeof spec.default;
}

function parseParams(value: unknown): Partial<Params> {
  if (!isPlainObject(value)) throw new Rejection(`setParams: params must be an object of parameters, got ${describe(value)}`);
  const fields = ownFields(value, 'setParams: params');
  if (fields.size === 0) throw new Rejection(`setParams: params is empty; give at least one of ${PARAM_KEYS.join(', ')}`);
  const checked: [keyof Params, Params[keyof Params]][] = [];
  for (const [key, field] of fields) {
    // A Set of known names, not `key in SCHEMA`: that would also accept '__proto__' or 'constructor'.
    if (!PARAM_KEY_SET.has(key)) throw new Rejection(`setParams: unknown parameter ${describe(key)} (known: ${PARAM_KEYS.join(', ')})`);
    const paramKey = key as keyof Params;
    checked.push([paramKey, checkParam(paramKey, field)]);
  }
  // A fresh object built from checked pairs: nothing of the sender's object survives.
  return Object.fromEntries(checked) as Partial<Params>;
}

/**
 * A run index, checked against the runs the page has now: a host that names a run the
 * page lacks (run 1 in single mode, or 1.5) has its own idea of the page, and acting on
 * some other run would hide that.
 */
function parseRun(command: EmbedCommandName, value: unknown, runCount: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= runCount) {
    const range = runCount === 1 ? 'only 0 (the page trains one run; compare=… in its link trains more)' : `a whole number from 0 to ${runCount - 1}`;
    throw new Rejection(`${command}: run must be ${range}, got ${describe(value)}`);
  }
  return value;
}

/** `{ run }` when the sender named one, else nothing, so a command without it reads as before. */
function runField(command: EmbedCommandName, fields: Map<string, unknown>, runCount: number): { run?: number } {
  return fields.has('run') ? { run: parseRun(command, fields.get('run'), runCount) } : {};
}

function oneOf<T extends string>(field: string, value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) throw new Rejection(`record: ${field} must be one of ${options.join(', ')}, got ${describe(value)}`);
  return value as T;
}

function wholeNumber(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new Rejection(`record: ${field} must be a whole number from ${min} to ${max}, got ${describe(value)}`);
  return value === 0 ? 0 : value;
}

function parsePanels(value: unknown): PanelName[] {
  if (!Array.isArray(value)) throw new Rejection(`record: panels must be a list of panel names (${PANEL_NAMES.join(', ')}), got ${describe(value)}`);
  // Read as a plain array: its length and items from own data properties only (no getters, no holes).
  const length = Reflect.getOwnPropertyDescriptor(value, 'length')?.value;
  if (typeof length !== 'number' || length < 1 || length > PANEL_NAMES.length) throw new Rejection(`record: panels must name 1 to ${PANEL_NAMES.length} panels`);
  const panels: PanelName[] = [];
  for (let index = 0; index < length; index++) {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, String(index));
    if (!descriptor || !('value' in descriptor)) throw new Rejection('record: panels must be a plain list of names');
    const name = oneOf('each panel', descriptor.value, PANEL_NAMES);
    if (panels.includes(name)) throw new Rejection(`record: panels names ${describe(name)} twice`);
    panels.push(name);
  }
  return panels;
}

function parseRecord(fields: Map<string, unknown>): EmbedRecordRequest {
  const rawId = fields.get('id');
  const id = typeof rawId === 'string' && RECORD_ID_PATTERN.test(rawId) ? rawId : undefined;
  try {
    if (fields.has('id') && id === undefined) throw new Rejection(`record: id must be 1 to 64 printable ASCII characters, got ${describe(rawId)}`);
    const request: EmbedRecordRequest = { format: oneOf('format', fields.get('format'), RECORD_FORMATS) };
    if (fields.has('panels')) request.panels = parsePanels(fields.get('panels'));
    if (fields.has('size')) request.size = oneOf('size', fields.get('size'), RECORD_SIZES);
    if (fields.has('fps')) request.fps = wholeNumber('fps', fields.get('fps'), MIN_FPS, MAX_FPS);
    if (fields.has('stepsPerFrame')) request.stepsPerFrame = wholeNumber('stepsPerFrame', fields.get('stepsPerFrame'), RECORD_STEPS_PER_FRAME.min, RECORD_STEPS_PER_FRAME.max);
    if (fields.has('theme')) request.theme = oneOf('theme', fields.get('theme'), RECORD_THEMES);
    if (fields.has('caption')) {
      const caption = fields.get('caption');
      if (typeof caption !== 'boolean') throw new Rejection(`record: caption must be true or false, got ${describe(caption)}`);
      request.caption = caption;
    }
    if (fields.has('from')) request.from = wholeNumber('from', fields.get('from'), 0, MAX_STEP);
    if (fields.has('to')) request.to = wholeNumber('to', fields.get('to'), 0, MAX_STEP);
    if (request.from !== undefined && request.to !== undefined && request.from > request.to) throw new Rejection(`record: from (${request.from}) is after to (${request.to})`);
    if (id !== undefined) request.id = id;
    return request;
  } catch (error) {
    if (error instanceof Rejection) throw new Rejection(error.reason, id === undefined ? {} : { id });
    throw error;
  }
}

function parseFields(command: EmbedCommandName, fields: Map<string, unknown>, runCount: number): EmbedCommand {
  switch (command) {
    case 'setParams': {
      const run = runField(command, fields, runCount);
      return { command, params: parseParams(fields.get('params')), ...run };
    }
    case 'setPreset': {
      const run = runField(command, fields, runCount);
      const preset = fields.get('preset');
      if (typeof preset !== 'string' || findPreset(preset) === undefined) {
        throw new Rejection(`setPreset: unknown preset ${describe(preset)} (one of ${PRESETS.map((known) => known.id).join(', ')})`);
      }
      return { command, preset, ...run };
    }
    case 'step': {
      const count = fields.get('count');
      if (typeof count !== 'number' || !Number.isInteger(count) || count < STEP_COUNT_RANGE.min || count > STEP_COUNT_RANGE.max) {
        throw new Rejection(`step: count must be a whole number from ${STEP_COUNT_RANGE.min} to ${STEP_COUNT_RANGE.max}, got ${describe(count)}`);
      }
      return { command, count };
    }
    case 'record':
      return { command, request: parseRecord(fields) };
    case 'play':
    case 'pause':
    case 'reset':
    case 'cancelRecord':
      return { command };
  }
}

function parseOrReject(data: unknown, runCount: number): EmbedCommand {
  if (!isPlainObject(data)) throw new Rejection(NOT_FOR_THIS_APP);
  const fields = ownFields(data, 'message');
  if (fields.get('target') !== EMBED_TARGET) throw new Rejection(NOT_FOR_THIS_APP);

  const name = fields.get('command');
  if (typeof name !== 'string' || !(EMBED_COMMAND_NAMES as readonly string[]).includes(name)) {
    throw new Rejection(`unknown command ${describe(name)} (one of ${EMBED_COMMAND_NAMES.join(', ')})`);
  }
  const command = name as EmbedCommandName;
  try {
    const allowed = ['target', 'command', ...FIELDS_OF[command], ...OPTIONAL_FIELDS_OF[command]];
    for (const key of fields.keys()) {
      if (!allowed.includes(key)) throw new Rejection(`${command}: unexpected field ${describe(key)} (allowed: ${allowed.join(', ')})`);
    }
    for (const key of FIELDS_OF[command]) {
      if (!fields.has(key)) throw new Rejection(`${command}: missing field '${key}'`);
    }
    return parseFields(command, fields, runCount);
  } catch (error) {
    // A host waits for a record command's answer: it gets the reason as a recordError event too.
    if (command === 'record' && error instanceof Rejection && error.record === undefined) {
      const id = fields.get('id');
      throw new Rejection(error.reason, typeof id === 'string' && RECORD_ID_PATTERN.test(id) ? { id } : {});
    }
    throw error;
  }
}

/**
 * Checks a message's data against the API, for a page of `runCount` runs (1 in single
 * mode, 2 to 4 comparing). Never throws, whatever it is given.
 */
export function parseEmbedCommand(data: unknown, runCount = 1): ParseResult {
  try {
    return { ok: true, command: parseOrReject(data, runCount) };
  } catch (error) {
    if (error instanceof Rejection) return error.record ? { ok: false, reason: error.reason, record: error.record } : { ok: false, reason: error.reason };
    // A Proxy trap or an exotic object threw while being inspected.
    return { ok: false, reason: 'the message could not be read as plain data' };
  }
}

/** NaN (no step yet, or a diverged run) would reach a JSON-minded host as null anyway; say so up front. */
function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

interface RunStateArgs {
  letter: string;
  label: string;
  loss: number;
  accuracy: number;
  params: Params;
}

export function stateEvent(args: { step: number; loss: number; accuracy: number; playing: boolean; params: Params; runs?: readonly RunStateArgs[] }): EmbedStateEvent {
  const event: EmbedStateEvent = {
    source: EMBED_SOURCE,
    event: 'state',
    step: args.step,
    loss: finiteOrNull(args.loss),
    accuracy: args.accuracy,
    playing: args.playing,
    preset: matchPreset(args.params)?.id ?? 'custom',
    // A copy, so the event stays what it was when later state changes the app's object.
    params: { ...args.params },
  };
  if (args.runs) {
    event.runs = args.runs.map((run) => ({ letter: run.letter, label: run.label, preset: matchPreset(run.params)?.id ?? 'custom', loss: finiteOrNull(run.loss), accuracy: run.accuracy }));
  }
  return event;
}

export function keyEvent(key: string, shiftKey: boolean): EmbedKeyEvent {
  return { source: EMBED_SOURCE, event: 'key', key, shiftKey };
}

/** `{ id }` when the request had one, so a host can tell its recordings apart. */
function withId(id: string | undefined): { id?: string } {
  return id === undefined ? {} : { id };
}

export function recordProgressEvent(id: string | undefined, encoded: number, total: number, fraction: number): EmbedRecordProgressEvent {
  return { source: EMBED_SOURCE, event: 'recordProgress', ...withId(id), encoded, total, fraction };
}

export function recordedEvent(id: string | undefined, file: { blob: Blob; name: string; frames: number; width: number; height: number; fps: number }): EmbedRecordedEvent {
  return {
    source: EMBED_SOURCE,
    event: 'recorded',
    ...withId(id),
    file: file.blob,
    name: file.name,
    mimeType: file.blob.type,
    frames: file.frames,
    width: file.width,
    height: file.height,
    fps: file.fps,
  };
}

export function recordErrorEvent(id: string | undefined, message: string): EmbedRecordErrorEvent {
  return { source: EMBED_SOURCE, event: 'recordError', ...withId(id), message };
}

/** The page cannot record (a host page without a timeline): said once, as a record error. */
const CANNOT_RECORD = 'This page cannot record.';

function isEmbedded(target: Window): boolean {
  return target.parent !== target;
}

/**
 * targetOrigin '*': the lecturer's deck may live on any origin, which the frame cannot
 * know, and the events carry only the toy's public training state, nothing secret.
 */
export function postToParent(target: Window, event: EmbedEvent): void {
  if (!isEmbedded(target)) return;
  target.parent.postMessage(event, '*');
}

function dispatch(command: EmbedCommand, handlers: EmbedHandlers, target: Window): void {
  switch (command.command) {
    case 'setParams':
      handlers.setParams(command.params, command.run ?? 0);
      return;
    case 'setPreset':
      handlers.setPreset(command.preset, command.run ?? 0);
      return;
    case 'play':
      handlers.play();
      return;
    case 'pause':
      handlers.pause();
      return;
    case 'reset':
      handlers.reset();
      return;
    case 'step':
      handlers.step(command.count);
      return;
    case 'record':
      if (handlers.record) handlers.record(command.request);
      else postToParent(target, recordErrorEvent(command.request.id, CANNOT_RECORD));
      return;
    case 'cancelRecord':
      handlers.cancelRecord?.();
      return;
  }
}

/**
 * Listens for commands from the embedding page and announces 'ready' to it. Only the
 * direct parent may drive the frame: a sibling frame or a popup has no business to.
 * Any origin is accepted, since decks are hosted anywhere and a command can do no more
 * than the page's own buttons can. `runCount` says how many runs the page has at the
 * moment a command arrives. Not embedded, it does nothing. Returns the uninstaller.
 */
export function installEmbedApi(target: Window, handlers: EmbedHandlers, runCount: () => number = () => 1): () => void {
  if (!isEmbedded(target)) return () => {};
  const onMessage = (event: MessageEvent): void => {
    if (event.source !== target.parent) return;
    const parsed = parseEmbedCommand(event.data, runCount());
    if (parsed.ok) dispatch(parsed.command, handlers, target);
    else if (parsed.reason !== NOT_FOR_THIS_APP) {
      console.warn(`ArcFace Playground ignored a message: ${parsed.reason}`);
      if (parsed.record) postToParent(target, recordErrorEvent(parsed.record.id, `The record command was refused: ${parsed.reason}.`));
    }
  };
  target.addEventListener('message', onMessage);
  postToParent(target, { source: EMBED_SOURCE, event: 'ready', version: EMBED_API_VERSION });
  return () => target.removeEventListener('message', onMessage);
}
