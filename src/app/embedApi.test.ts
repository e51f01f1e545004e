import { afterEach, describe, expect, it, vi, type Mock } from 'vitest';
import { PRESETS, withPreset } from '../core/presets';
import { PARAM_KEYS, SCHEMA, defaultParams, type Params } from '../core/schema';
import {
  EMBED_API_VERSION,
  NOT_FOR_THIS_APP,
  installEmbedApi,
  keyEvent,
  parseEmbedCommand,
  postToParent,
  recordErrorEvent,
  recordProgressEvent,
  recordedEvent,
  stateEvent,
  type EmbedCommand,
  type EmbedHandlers,
} from './embedApi';

const TARGET = 'arcface-playground';

function parsedCommand(data: unknown): EmbedCommand {
  const result = parseEmbedCommand(data);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(data)} to parse, got: ${result.reason}`);
  return result.command;
}

function rejection(data: unknown): string {
  const result = parseEmbedCommand(data);
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.command)}`);
  return result.reason;
}

/** A value of the right type at the top of each parameter's range: valid, but not the default. */
function extremeParams(): Partial<Params> {
  return Object.fromEntries(
    PARAM_KEYS.map((key) => {
      const spec = SCHEMA[key];
      if (spec.kind === 'number') return [key, spec.max];
      if (spec.kind === 'boolean') return [key, !spec.default];
      return [key, spec.options[spec.options.length - 1]];
    }),
  ) as Partial<Params>;
}

describe('parseEmbedCommand accepts every valid command', () => {
  it('parses play, pause and reset', () => {
    for (const command of ['play', 'pause', 'reset'] as const) {
      expect(parsedCommand({ target: TARGET, command })).toEqual({ command });
    }
  });

  it('parses step at both ends of its range', () => {
    expect(parsedCommand({ target: TARGET, command: 'step', count: 1 })).toEqual({ command: 'step', count: 1 });
    expect(parsedCommand({ target: TARGET, command: 'step', count: 10000 })).toEqual({ command: 'step', count: 10000 });
  });

  it('parses setPreset for every preset id', () => {
    for (const preset of PRESETS) {
      expect(parsedCommand({ target: TARGET, command: 'setPreset', preset: preset.id })).toEqual({ command: 'setPreset', preset: preset.id });
    }
  });

  it('parses setParams with one key, and with every key at its extreme', () => {
    expect(parsedCommand({ target: TARGET, command: 'setParams', params: { m2: 0.3 } })).toEqual({ command: 'setParams', params: { m2: 0.3 } });
    const all = extremeParams();
    expect(parsedCommand({ target: TARGET, command: 'setParams', params: all })).toEqual({ command: 'setParams', params: all });
  });

  it('accepts the minimum of every number parameter', () => {
    for (const key of PARAM_KEYS) {
      const spec = SCHEMA[key];
      if (spec.kind !== 'number') continue;
      expect(parsedCommand({ target: TARGET, command: 'setParams', params: { [key]: spec.min } })).toEqual({ command: 'setParams', params: { [key]: spec.min } });
    }
  });

  it('accepts a message that came through JSON or a null-prototype object', () => {
    expect(parsedCommand(JSON.parse('{"target":"arcface-playground","command":"setParams","params":{"head":"softmax","fallback":false}}'))).toEqual({
      command: 'setParams',
      params: { head: 'softmax', fallback: false },
    });
    const bare = Object.assign(Object.create(null) as object, { target: TARGET, command: 'step', count: 3 });
    expect(parsedCommand(bare)).toEqual({ command: 'step', count: 3 });
  });

  it('hands back a fresh params object, not the sender’s', () => {
    const params = { m2: 0.3 };
    const command = parsedCommand({ target: TARGET, command: 'setParams', params });
    expect(command.command === 'setParams' && command.params).not.toBe(params);
  });
});

describe('parseEmbedCommand ignores what is not addressed to it', () => {
  const strangers: [string, unknown][] = [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'play'],
    ['a number', 42],
    ['a boolean', true],
    ['a bigint', 10n],
    ['a symbol', Symbol('play')],
    ['a function', () => 'play'],
    ['a function dressed as a command', Object.assign(() => undefined, { target: TARGET, command: 'play' })],
    ['an array', [TARGET, 'play']],
    ['an array with the fields as properties', Object.assign([], { target: TARGET, command: 'play' })],
    ['an empty object', {}],
    ['no target', { command: 'play' }],
    ['another app', { target: 'other-app', command: 'play' }],
    ['the target in other case', { target: 'ArcFace-Playground', command: 'play' }],
    ['the target as a String object', { target: new String(TARGET), command: 'play' }],
    ['the target inherited, not own', Object.create({ target: TARGET, command: 'play' }) as object],
    [
      'a class instance',
      new (class Message {
        target = TARGET;
        command = 'play';
      })(),
    ],
    ['a Date', new Date()],
    [
      'a Map',
      new Map([
        ['target', TARGET],
        ['command', 'play'],
      ]),
    ],
    ['a webpack-style message', { type: 'webpackOk', data: null }],
    ['a React devtools message', { source: 'react-devtools-content-script', payload: {} }],
  ];
  it.each(strangers)('%s → not for this app', (_, data) => {
    expect(rejection(data)).toBe(NOT_FOR_THIS_APP);
  });
});

/** Messages addressed to the app but wrong; each must be rejected with a reason that names the problem. */
const malformed: [string, unknown, RegExp][] = [
  ['unknown command', { target: TARGET, command: 'explode' }, /unknown command 'explode'/],
  ['command missing', { target: TARGET }, /unknown command undefined/],
  ['command as a number', { target: TARGET, command: 1 }, /unknown command 1/],
  ['command in other case', { target: TARGET, command: 'Play' }, /unknown command 'Play'/],
  ['command __proto__', { target: TARGET, command: '__proto__' }, /unknown command '__proto__'/],
  ['command toString', { target: TARGET, command: 'toString' }, /unknown command/],
  ['command as an object', { target: TARGET, command: { name: 'play' } }, /unknown command an object/],
  ['a very long command', { target: TARGET, command: 'x'.repeat(1_000_000) }, /unknown command 'x{24}…'/],
  ['play with an extra field', { target: TARGET, command: 'play', now: true }, /unexpected field 'now'/],
  ['pause with a count', { target: TARGET, command: 'pause', count: 1 }, /unexpected field 'count'/],
  ['reset with params', { target: TARGET, command: 'reset', params: {} }, /unexpected field 'params'/],
  ['step without count', { target: TARGET, command: 'step' }, /missing field 'count'/],
  ['step count 0', { target: TARGET, command: 'step', count: 0 }, /count must be a whole number from 1 to 10000, got 0/],
  ['step count negative', { target: TARGET, command: 'step', count: -5 }, /got -5/],
  ['step count 10001', { target: TARGET, command: 'step', count: 10001 }, /got 10001/],
  ['step count 1.5', { target: TARGET, command: 'step', count: 1.5 }, /got 1.5/],
  ['step count NaN', { target: TARGET, command: 'step', count: Number.NaN }, /got NaN/],
  ['step count Infinity', { target: TARGET, command: 'step', count: Number.POSITIVE_INFINITY }, /got Infinity/],
  ['step count 1e308', { target: TARGET, command: 'step', count: 1e308 }, /got 1e\+308/],
  ['step count as a string', { target: TARGET, command: 'step', count: '10' }, /got '10'/],
  ['step count "lots"', { target: TARGET, command: 'step', count: 'lots' }, /got 'lots'/],
  ['step count as a bigint', { target: TARGET, command: 'step', count: 10n }, /got 10n \(a bigint\)/],
  ['step count as a huge bigint', { target: TARGET, command: 'step', count: 10n ** 5000n }, /got 10{23}…n \(a bigint\)/],
  ['step count as a Number object', { target: TARGET, command: 'step', count: new Number(10) }, /got an object/],
  ['step count null', { target: TARGET, command: 'step', count: null }, /got null/],
  ['step count as an array', { target: TARGET, command: 'step', count: [10] }, /got an array/],
  ['step with an extra field', { target: TARGET, command: 'step', count: 10, speed: 2 }, /unexpected field 'speed'/],
  ['setPreset unknown', { target: TARGET, command: 'setPreset', preset: 'facenet' }, /unknown preset 'facenet' \(one of softmax,/],
  ['setPreset custom', { target: TARGET, command: 'setPreset', preset: 'custom' }, /unknown preset 'custom'/],
  ['setPreset in other case', { target: TARGET, command: 'setPreset', preset: 'ArcFace' }, /unknown preset/],
  ['setPreset as a number', { target: TARGET, command: 'setPreset', preset: 1 }, /unknown preset 1/],
  ['setPreset missing', { target: TARGET, command: 'setPreset' }, /missing field 'preset'/],
  ['setPreset very long', { target: TARGET, command: 'setPreset', preset: 'a'.repeat(100_000) }, /unknown preset 'a{24}…'/],
  ['setPreset with control characters', { target: TARGET, command: 'setPreset', preset: 'arc\nface\u0000' }, /'arc\?face\?'/],
  ['setParams without params', { target: TARGET, command: 'setParams' }, /missing field 'params'/],
  ['setParams with params null', { target: TARGET, command: 'setParams', params: null }, /params must be an object/],
  ['setParams with params an array', { target: TARGET, command: 'setParams', params: [['m2', 0.3]] }, /params must be an object/],
  ['setParams with params a string', { target: TARGET, command: 'setParams', params: 'm2=0.3' }, /params must be an object/],
  ['setParams with empty params', { target: TARGET, command: 'setParams', params: {} }, /params is empty/],
  ['setParams with an unknown key', { target: TARGET, command: 'setParams', params: { m4: 0.1 } }, /unknown parameter 'm4'/],
  ['setParams with a URL name instead of the key', { target: TARGET, command: 'setParams', params: { n: 100 } }, /unknown parameter 'n'/],
  ['setParams with a valid and an unknown key', { target: TARGET, command: 'setParams', params: { m2: 0.3, margin: 0.3 } }, /unknown parameter 'margin'/],
  ['setParams with params beside it', { target: TARGET, command: 'setParams', params: { m2: 0.3 }, m3: 0 }, /unexpected field 'm3'/],
  ['setParams m2 as a string', { target: TARGET, command: 'setParams', params: { m2: '0.3' } }, /m2 must be a number from 0 to 1, got '0.3'/],
  ['setParams m2 above range', { target: TARGET, command: 'setParams', params: { m2: 1.01 } }, /m2 must be a number from 0 to 1, got 1.01/],
  ['setParams m2 below range', { target: TARGET, command: 'setParams', params: { m2: -0.01 } }, /got -0.01/],
  ['setParams s huge', { target: TARGET, command: 'setParams', params: { s: 1e308 } }, /s must be a number from 1 to 128/],
  ['setParams s -Infinity', { target: TARGET, command: 'setParams', params: { s: Number.NEGATIVE_INFINITY } }, /got -Infinity/],
  ['setParams lr NaN', { target: TARGET, command: 'setParams', params: { lr: Number.NaN } }, /lr must be a number/],
  ['setParams seed fractional', { target: TARGET, command: 'setParams', params: { seed: 1.5 } }, /seed must be a whole number from 0 to 999999, got 1.5/],
  ['setParams samplesPerIdentity as a string', { target: TARGET, command: 'setParams', params: { samplesPerIdentity: '300' } }, /samplesPerIdentity must be a whole number/],
  ['setParams m1 as a boolean', { target: TARGET, command: 'setParams', params: { m1: true } }, /m1 must be a number/],
  ['setParams fallback as 1', { target: TARGET, command: 'setParams', params: { fallback: 1 } }, /fallback must be true or false, got 1/],
  ['setParams fallback as "true"', { target: TARGET, command: 'setParams', params: { fallback: 'true' } }, /fallback must be true or false/],
  ['setParams optimizer unknown', { target: TARGET, command: 'setParams', params: { optimizer: 'lbfgs' } }, /optimizer must be one of adam, sgd, got 'lbfgs'/],
  ['setParams head in other case', { target: TARGET, command: 'setParams', params: { head: 'Margin' } }, /head must be one of margin, softmax/],
  ['setParams head as an array', { target: TARGET, command: 'setParams', params: { head: ['margin'] } }, /got an array/],
  ['setParams with a nested object', { target: TARGET, command: 'setParams', params: { m2: { value: 0.3 } } }, /m2 must be a number from 0 to 1, got an object/],
  ['setParams with a function value', { target: TARGET, command: 'setParams', params: { m2: () => 0.3 } }, /got a function/],
  ['setParams with params a Map', { target: TARGET, command: 'setParams', params: new Map([['m2', 0.3]]) }, /params must be an object/],
  ['setParams with a __proto__ key (JSON)', JSON.parse('{"target":"arcface-playground","command":"setParams","params":{"__proto__":{"m2":0.3}}}'), /unknown parameter '__proto__'/],
  ['setParams with a constructor key', { target: TARGET, command: 'setParams', params: { constructor: { prototype: { m2: 0.3 } } } }, /unknown parameter 'constructor'/],
  ['setParams with a toString key', { target: TARGET, command: 'setParams', params: { toString: 'x' } }, /unknown parameter 'toString'/],
  ['setParams with a hasOwnProperty key', { target: TARGET, command: 'setParams', params: { hasOwnProperty: 1 } }, /unknown parameter 'hasOwnProperty'/],
  ['a top-level __proto__ key (JSON)', JSON.parse('{"target":"arcface-playground","command":"play","__proto__":{"polluted":true}}'), /unexpected field '__proto__'/],
  ['a top-level constructor key', { target: TARGET, command: 'reset', constructor: Object }, /unexpected field 'constructor'/],
  ['a symbol key', { target: TARGET, command: 'play', [Symbol('x')]: 1 }, /symbol key/],
  ['a symbol key in params', { target: TARGET, command: 'setParams', params: { m2: 0.3, [Symbol('m3')]: 0 } }, /symbol key/],
];

describe('parseEmbedCommand rejects malformed commands with a reason', () => {
  it('has a corpus of at least 40', () => {
    expect(malformed.length).toBeGreaterThanOrEqual(40);
  });

  it.each(malformed)('%s', (_, data, reason) => {
    const found = rejection(data);
    expect(found).not.toBe(NOT_FOR_THIS_APP);
    expect(found).toMatch(reason);
    // A reason is shown in the console; a hostile value must not make it huge.
    expect(found.length).toBeLessThan(400);
  });
});

describe('parseEmbedCommand survives hostile objects without throwing', () => {
  function throwingGetter(host: Record<string, unknown>, key: string): Record<string, unknown> {
    Object.defineProperty(host, key, {
      enumerable: true,
      get() {
        throw new Error(`getter ${key} ran`);
      },
    });
    return host;
  }

  it('never runs a getter, on the message or on params', () => {
    for (const data of [
      throwingGetter({ command: 'play' }, 'target'),
      throwingGetter({ target: TARGET }, 'command'),
      throwingGetter({ target: TARGET, command: 'step' }, 'count'),
      throwingGetter({ target: TARGET, command: 'setParams' }, 'params'),
      { target: TARGET, command: 'setParams', params: throwingGetter({}, 'm2') },
    ]) {
      expect(() => parseEmbedCommand(data)).not.toThrow();
      expect(parseEmbedCommand(data).ok).toBe(false);
    }
    expect(rejection({ target: TARGET, command: 'setParams', params: throwingGetter({}, 'm2') })).toMatch(/'m2' must be a plain value, not a getter/);
  });

  it('rejects a getter even when it would return a valid value', () => {
    const params = {};
    Object.defineProperty(params, 'm2', { enumerable: true, get: () => 0.3 });
    expect(rejection({ target: TARGET, command: 'setParams', params })).toMatch(/getter/);
  });

  it('returns a rejection when every Proxy trap throws', () => {
    const trap = (): never => {
      throw new Error('trap');
    };
    const hostile = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
    expect(() => parseEmbedCommand(hostile)).not.toThrow();
    expect(parseEmbedCommand(hostile).ok).toBe(false);
    const inParams = { target: TARGET, command: 'setParams', params: new Proxy({ m2: 0.3 }, { ownKeys: trap }) };
    expect(parseEmbedCommand(inParams).ok).toBe(false);
  });

  it('reads each value once, so a Proxy cannot pass the check with one value and deliver another', () => {
    let reads = 0;
    const shifty = new Proxy(
      { m2: 0.3 },
      {
        getOwnPropertyDescriptor(target, key) {
          reads += 1;
          const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
          return descriptor && { ...descriptor, value: reads === 1 ? 0.3 : 99 };
        },
        get: () => 99,
      },
    );
    expect(parsedCommand({ target: TARGET, command: 'setParams', params: shifty })).toEqual({ command: 'setParams', params: { m2: 0.3 } });
  });

  it('handles cyclic messages', () => {
    const cyclic: Record<string, unknown> = { target: TARGET, command: 'setParams' };
    cyclic.params = cyclic;
    expect(rejection(cyclic)).toMatch(/unknown parameter 'target'/);
    const selfParams: Record<string, unknown> = { m2: 0.3 };
    selfParams.self = selfParams;
    expect(rejection({ target: TARGET, command: 'setParams', params: selfParams })).toMatch(/unknown parameter 'self'/);
  });

  it('leaves Object.prototype untouched after prototype-polluting messages', () => {
    for (const text of [
      '{"target":"arcface-playground","command":"setParams","params":{"__proto__":{"polluted":1}}}',
      '{"target":"arcface-playground","command":"setParams","params":{"constructor":{"prototype":{"polluted":1}}}}',
      '{"target":"arcface-playground","command":"play","__proto__":{"polluted":1}}',
    ]) {
      expect(parseEmbedCommand(JSON.parse(text)).ok).toBe(false);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('takes an object whose prototype is a lookalike of Object.prototype for what it is: not plain', () => {
    const lookalike = Object.create(Object.create(Object.prototype) as object) as Record<string, unknown>;
    Object.assign(lookalike, { target: TARGET, command: 'play' });
    expect(rejection(lookalike)).toBe(NOT_FOR_THIS_APP);
  });
});

describe('stateEvent', () => {
  const arcface = withPreset(defaultParams(), 'arcface');

  it('names the preset the params match, and copies them', () => {
    const event = stateEvent({ step: 12, loss: 1.25, accuracy: 0.5, playing: true, params: arcface });
    expect(event).toEqual({ source: 'arcface-playground', event: 'state', step: 12, loss: 1.25, accuracy: 0.5, playing: true, preset: 'arcface', params: arcface });
    expect(event.params).not.toBe(arcface);
  });

  it('says custom for params no preset has, and cosface for CosFace', () => {
    expect(stateEvent({ step: 0, loss: 1, accuracy: 0, playing: false, params: { ...arcface, m2: 0.3 } }).preset).toBe('custom');
    expect(stateEvent({ step: 0, loss: 1, accuracy: 0, playing: false, params: withPreset(arcface, 'cosface') }).preset).toBe('cosface');
  });

  it('turns a NaN or infinite loss into null', () => {
    expect(stateEvent({ step: 0, loss: Number.NaN, accuracy: 0, playing: false, params: arcface }).loss).toBeNull();
    expect(stateEvent({ step: 5, loss: Number.POSITIVE_INFINITY, accuracy: 0, playing: false, params: arcface }).loss).toBeNull();
    expect(stateEvent({ step: 5, loss: 0, accuracy: 1, playing: false, params: arcface }).loss).toBe(0);
  });

  it('survives JSON unchanged, as a host might pass it on', () => {
    const event = stateEvent({ step: 3, loss: Number.NaN, accuracy: 0.25, playing: true, params: arcface });
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });
});

type Listener = (event: MessageEvent) => void;

/** Just enough of a Window for the API: listeners, a parent to post to. */
class FakeWindow {
  readonly listeners = new Set<Listener>();
  readonly posted: { message: unknown; targetOrigin: string }[] = [];
  parent: FakeWindow = this;

  addEventListener(type: string, listener: Listener): void {
    if (type === 'message') this.listeners.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    if (type === 'message') this.listeners.delete(listener);
  }

  postMessage(message: unknown, targetOrigin: string): void {
    this.posted.push({ message, targetOrigin });
  }

  /** Delivers a message as if `source` had posted it to this window. */
  receive(data: unknown, source: FakeWindow | null): void {
    const event = { data, source, origin: 'https://slides.example' } as unknown as MessageEvent;
    for (const listener of this.listeners) listener(event);
  }

  asWindow(): Window {
    return this as unknown as Window;
  }
}

function embeddedFrame(): { frame: FakeWindow; parent: FakeWindow } {
  const parent = new FakeWindow();
  const frame = new FakeWindow();
  frame.parent = parent;
  return { frame, parent };
}

function spyHandlers(): { [K in keyof Required<EmbedHandlers>]: Mock<Required<EmbedHandlers>[K]> } {
  return {
    setParams: vi.fn<EmbedHandlers['setParams']>(),
    setPreset: vi.fn<EmbedHandlers['setPreset']>(),
    play: vi.fn<EmbedHandlers['play']>(),
    pause: vi.fn<EmbedHandlers['pause']>(),
    reset: vi.fn<EmbedHandlers['reset']>(),
    step: vi.fn<EmbedHandlers['step']>(),
    record: vi.fn<Required<EmbedHandlers>['record']>(),
    cancelRecord: vi.fn<Required<EmbedHandlers>['cancelRecord']>(),
  };
}

describe('installEmbedApi', () => {
  afterEach(() => vi.restoreAllMocks());

  it('announces ready to the parent once, with the version', () => {
    const { frame, parent } = embeddedFrame();
    installEmbedApi(frame.asWindow(), spyHandlers());
    expect(parent.posted).toEqual([{ message: { source: 'arcface-playground', event: 'ready', version: EMBED_API_VERSION }, targetOrigin: '*' }]);
    expect(frame.posted).toEqual([]);
  });

  it('dispatches each valid command from the parent to its handler', () => {
    const { frame, parent } = embeddedFrame();
    const handlers = spyHandlers();
    installEmbedApi(frame.asWindow(), handlers);
    frame.receive({ target: TARGET, command: 'setParams', params: { m2: 0.3, seed: 7 } }, parent);
    frame.receive({ target: TARGET, command: 'setPreset', preset: 'cosface' }, parent);
    frame.receive({ target: TARGET, command: 'play' }, parent);
    frame.receive({ target: TARGET, command: 'pause' }, parent);
    frame.receive({ target: TARGET, command: 'reset' }, parent);
    frame.receive({ target: TARGET, command: 'step', count: 10 }, parent);
    // A command that names no run changes run A.
    expect(handlers.setParams).toHaveBeenCalledExactlyOnceWith({ m2: 0.3, seed: 7 }, 0);
    expect(handlers.setPreset).toHaveBeenCalledExactlyOnceWith('cosface', 0);
    expect(handlers.play).toHaveBeenCalledOnce();
    expect(handlers.pause).toHaveBeenCalledOnce();
    expect(handlers.reset).toHaveBeenCalledOnce();
    expect(handlers.step).toHaveBeenCalledExactlyOnceWith(10);
  });

  it('warns about a malformed command and calls no handler', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { frame, parent } = embeddedFrame();
    const handlers = spyHandlers();
    installEmbedApi(frame.asWindow(), handlers);
    frame.receive({ target: TARGET, command: 'step', count: 'lots' }, parent);
    frame.receive({ target: TARGET, command: 'setParams', params: { m2: 5 } }, parent);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0][0]).toBe("ArcFace Playground ignored a message: step: count must be a whole number from 1 to 10000, got 'lots'");
    expect(warn.mock.calls[1][0]).toMatch(/^ArcFace Playground ignored a message: setParams: m2 must be/);
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
  });

  it('stays silent about messages for other apps', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { frame, parent } = embeddedFrame();
    const handlers = spyHandlers();
    installEmbedApi(frame.asWindow(), handlers);
    frame.receive({ type: 'some-extension-ping' }, parent);
    frame.receive('hello', parent);
    frame.receive(null, parent);
    expect(warn).not.toHaveBeenCalled();
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
  });

  it('ignores commands from anything but the parent', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { frame } = embeddedFrame();
    const sibling = new FakeWindow();
    const handlers = spyHandlers();
    installEmbedApi(frame.asWindow(), handlers);
    frame.receive({ target: TARGET, command: 'play' }, sibling);
    frame.receive({ target: TARGET, command: 'play' }, frame);
    frame.receive({ target: TARGET, command: 'play' }, null);
    frame.receive({ target: TARGET, command: 'step', count: 'lots' }, sibling);
    expect(handlers.play).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('the uninstaller removes the listener', () => {
    const { frame, parent } = embeddedFrame();
    const handlers = spyHandlers();
    const uninstall = installEmbedApi(frame.asWindow(), handlers);
    expect(frame.listeners.size).toBe(1);
    uninstall();
    expect(frame.listeners.size).toBe(0);
    frame.receive({ target: TARGET, command: 'play' }, parent);
    expect(handlers.play).not.toHaveBeenCalled();
  });

  it('does nothing when the page is not embedded', () => {
    const top = new FakeWindow();
    const handlers = spyHandlers();
    const uninstall = installEmbedApi(top.asWindow(), handlers);
    expect(top.listeners.size).toBe(0);
    expect(top.posted).toEqual([]);
    top.receive({ target: TARGET, command: 'play' }, top);
    expect(handlers.play).not.toHaveBeenCalled();
    expect(() => uninstall()).not.toThrow();
  });
});

describe('postToParent', () => {
  const event = stateEvent({ step: 1, loss: 2, accuracy: 0.125, playing: false, params: defaultParams() });

  it('posts to the parent with targetOrigin *', () => {
    const { frame, parent } = embeddedFrame();
    postToParent(frame.asWindow(), event);
    expect(parent.posted).toEqual([{ message: event, targetOrigin: '*' }]);
  });

  it('does nothing at the top level', () => {
    const top = new FakeWindow();
    postToParent(top.asWindow(), event);
    expect(top.posted).toEqual([]);
  });
});

describe('keyEvent', () => {
  it("names the key and whether shift was held, under the playground's source", () => {
    expect(keyEvent('ArrowRight', false)).toEqual({ source: 'arcface-playground', event: 'key', key: 'ArrowRight', shiftKey: false });
    expect(keyEvent(' ', true)).toEqual({ source: 'arcface-playground', event: 'key', key: ' ', shiftKey: true });
  });

  it('reaches the parent like the other events', () => {
    const { frame, parent } = embeddedFrame();
    postToParent(frame.asWindow(), keyEvent('PageDown', false));
    expect(parent.posted).toEqual([{ message: { source: 'arcface-playground', event: 'key', key: 'PageDown', shiftKey: false }, targetOrigin: '*' }]);
  });
});

describe('a command addressed to one run', () => {
  it('parses run when the page has that run, and leaves it out when not given', () => {
    expect(parsedCommand({ target: TARGET, command: 'setParams', params: { m2: 0.3 } })).toEqual({ command: 'setParams', params: { m2: 0.3 } });
    const parsed = parseEmbedCommand({ target: TARGET, command: 'setParams', params: { m2: 0.3 }, run: 1 }, 2);
    expect(parsed).toEqual({ ok: true, command: { command: 'setParams', params: { m2: 0.3 }, run: 1 } });
    expect(parseEmbedCommand({ target: TARGET, command: 'setPreset', preset: 'cosface', run: 3 }, 4)).toEqual({ ok: true, command: { command: 'setPreset', preset: 'cosface', run: 3 } });
    expect(parseEmbedCommand({ target: TARGET, command: 'setPreset', preset: 'cosface', run: 0 }, 1)).toEqual({ ok: true, command: { command: 'setPreset', preset: 'cosface', run: 0 } });
  });

  it('rejects a run that is out of range, fractional or not a number', () => {
    const bad: unknown[] = [2, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1', true, null, [1], { valueOf: () => 1 }, 1e300, -0.5];
    for (const run of bad) {
      for (const command of [
        { command: 'setParams', params: { m2: 0.3 } },
        { command: 'setPreset', preset: 'cosface' },
      ]) {
        const result = parseEmbedCommand({ target: TARGET, ...command, run }, 2);
        expect(result.ok, `run ${String(run)}`).toBe(false);
        if (!result.ok) expect(result.reason).toMatch(/run must be a whole number from 0 to 1/);
      }
    }
  });

  it('in single mode accepts only run 0, and says why', () => {
    const result = parseEmbedCommand({ target: TARGET, command: 'setParams', params: { m2: 0.3 }, run: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/run must be only 0 \(the page trains one run/);
  });

  it('rejects run on commands that do not take it', () => {
    for (const command of ['play', 'pause', 'reset']) {
      expect(rejection({ target: TARGET, command, run: 0 })).toMatch(/unexpected field 'run'/);
    }
    expect(parseEmbedCommand({ target: TARGET, command: 'step', count: 1, run: 0 }, 2).ok).toBe(false);
  });

  it('rejects a run given as a getter, without running it', () => {
    let ran = false;
    const message = { target: TARGET, command: 'setParams', params: { m2: 0.3 } };
    Object.defineProperty(message, 'run', {
      enumerable: true,
      get: () => {
        ran = true;
        return 1;
      },
    });
    expect(parseEmbedCommand(message, 2).ok).toBe(false);
    expect(ran).toBe(false);
  });

  it('reaches the handler with the run; a bad one warns and changes nothing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { frame, parent } = embeddedFrame();
    const handlers = spyHandlers();
    let runs = 2;
    installEmbedApi(frame.asWindow(), handlers, () => runs);
    frame.receive({ target: TARGET, command: 'setParams', params: { m2: 0.3 }, run: 1 }, parent);
    frame.receive({ target: TARGET, command: 'setPreset', preset: 'cosface', run: 1 }, parent);
    expect(handlers.setParams).toHaveBeenCalledExactlyOnceWith({ m2: 0.3 }, 1);
    expect(handlers.setPreset).toHaveBeenCalledExactlyOnceWith('cosface', 1);
    // The page went back to one run: the same command is now out of range.
    runs = 1;
    frame.receive({ target: TARGET, command: 'setParams', params: { m2: 0.3 }, run: 1 }, parent);
    frame.receive({ target: TARGET, command: 'setPreset', preset: 'cosface', run: 0.5 }, parent);
    expect(handlers.setParams).toHaveBeenCalledOnce();
    expect(handlers.setPreset).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0][0]).toMatch(/^ArcFace Playground ignored a message: setParams: run must be only 0/);
    vi.restoreAllMocks();
  });
});

describe('stateEvent in compare mode', () => {
  it('adds every run’s label, preset, loss and accuracy; a NaN loss is null', () => {
    const event = stateEvent({
      step: 5,
      loss: 1,
      accuracy: 0.5,
      playing: true,
      params: withPreset(defaultParams(), 'softmax'),
      runs: [
        { letter: 'A', label: 'Softmax', loss: 1, accuracy: 0.5, params: withPreset(defaultParams(), 'softmax') },
        { letter: 'B', label: 'ArcFace (m2 = 0.3)', loss: Number.NaN, accuracy: 0.25, params: { ...withPreset(defaultParams(), 'arcface'), m2: 0.3 } },
      ],
    });
    expect(event.runs).toEqual([
      { letter: 'A', label: 'Softmax', preset: 'softmax', loss: 1, accuracy: 0.5 },
      { letter: 'B', label: 'ArcFace (m2 = 0.3)', preset: 'custom', loss: null, accuracy: 0.25 },
    ]);
  });

  it('has no runs field in single mode', () => {
    expect('runs' in stateEvent({ step: 1, loss: 2, accuracy: 0.125, playing: false, params: defaultParams() })).toBe(false);
  });
});

describe('the record command', () => {
  const record = (fields: Record<string, unknown>) => ({ target: TARGET, command: 'record', ...fields });

  it('accepts the smallest request and a full one, keeping only what was sent', () => {
    expect(parsedCommand(record({ format: 'gif' }))).toEqual({ command: 'record', request: { format: 'gif' } });
    expect(
      parsedCommand(record({ format: 'webm', panels: ['stats', 'circle'], size: '1080p', fps: 60, stepsPerFrame: 10, theme: 'projector', caption: false, from: 0, to: 300, id: 'slide 3' })),
    ).toEqual({
      command: 'record',
      request: { format: 'webm', panels: ['stats', 'circle'], size: '1080p', fps: 60, stepsPerFrame: 10, theme: 'projector', caption: false, from: 0, to: 300, id: 'slide 3' },
    });
    expect(parsedCommand({ target: TARGET, command: 'cancelRecord' })).toEqual({ command: 'cancelRecord' });
  });

  const holey: unknown[] = ['circle'];
  holey.length = 2;
  const getterList = ['circle'];
  Object.defineProperty(getterList, '1', { enumerable: true, get: () => 'logit' });
  const hostile: [string, unknown, RegExp][] = [
    ['no format', record({}), /record: missing field 'format'/],
    ['an unknown format', record({ format: 'avi' }), /format must be one of webm, mp4, gif, got 'avi'/],
    ['a format of another type', record({ format: 1 }), /format must be one of/],
    ['panels not a list', record({ format: 'gif', panels: 'circle' }), /panels must be a list of panel names/],
    ['no panels', record({ format: 'gif', panels: [] }), /panels must name 1 to 6 panels/],
    ['too many panels', record({ format: 'gif', panels: ['circle', 'logit', 'margin', 'training', 'stats', 'pairs', 'circle'] }), /panels must name 1 to 6 panels/],
    ['an unknown panel', record({ format: 'gif', panels: ['circle', 'faces'] }), /each panel must be one of circle, logit/],
    ['a panel twice', record({ format: 'gif', panels: ['circle', 'circle'] }), /names 'circle' twice/],
    ['a panel list with a hole', record({ format: 'gif', panels: holey }), /plain list of names/],
    ['a panel behind a getter', record({ format: 'gif', panels: getterList }), /plain list of names/],
    ['an unknown size', record({ format: 'gif', size: '4k' }), /size must be one of 720p, 1080p, panel/],
    ['a size as an object', record({ format: 'gif', size: { width: 99999, height: 1 } }), /size must be one of/],
    ['fps too high', record({ format: 'webm', fps: 61 }), /fps must be a whole number from 5 to 60, got 61/],
    ['fps a fraction', record({ format: 'webm', fps: 29.97 }), /fps must be a whole number/],
    ['fps NaN', record({ format: 'webm', fps: Number.NaN }), /fps must be a whole number/],
    ['fps as text', record({ format: 'webm', fps: '30' }), /fps must be a whole number/],
    ['no steps per frame', record({ format: 'webm', stepsPerFrame: 0 }), /stepsPerFrame must be a whole number from 1 to 10000/],
    ['infinite steps per frame', record({ format: 'webm', stepsPerFrame: Number.POSITIVE_INFINITY }), /stepsPerFrame must be/],
    ['an unknown theme', record({ format: 'gif', theme: 'neon' }), /theme must be one of light, dark, projector/],
    ['caption as text', record({ format: 'gif', caption: 'yes' }), /caption must be true or false/],
    ['a negative from', record({ format: 'gif', from: -1 }), /from must be a whole number from 0/],
    ['a huge to', record({ format: 'gif', to: 1e300 }), /to must be a whole number from 0 to 1000000000/],
    ['from after to', record({ format: 'gif', from: 50, to: 10 }), /from \(50\) is after to \(10\)/],
    ['an id too long', record({ format: 'gif', id: 'x'.repeat(65) }), /id must be 1 to 64 printable ASCII characters/],
    ['an id with a control character', record({ format: 'gif', id: 'a\u0000b' }), /id must be 1 to 64 printable/],
    ['an id as a number', record({ format: 'gif', id: 7 }), /id must be/],
    ['markup in a field', record({ format: '<img src=x onerror=alert(1)>' }), /format must be one of/],
    ['an unexpected field', record({ format: 'gif', url: 'https://evil.example' }), /record: unexpected field 'url'/],
    ['a __proto__ field', JSON.parse(`{"target":"${TARGET}","command":"record","format":"gif","__proto__":{"fps":1}}`), /unexpected field '__proto__'/],
  ];

  it.each(hostile)('refuses %s, naming why, never throwing', (_, data, reason) => {
    expect(() => parseEmbedCommand(data)).not.toThrow();
    const found = rejection(data);
    expect(found).toMatch(reason);
    expect(found.length).toBeLessThan(400);
  });

  it('a refused request keeps its id when the id itself is sound, so the host can match the error', () => {
    expect(parseEmbedCommand(record({ format: 'avi', id: 'take-2' }))).toMatchObject({ ok: false, record: { id: 'take-2' } });
    expect(parseEmbedCommand(record({ id: 'take-3' }))).toMatchObject({ ok: false, record: { id: 'take-3' } });
    expect(parseEmbedCommand(record({ format: 'gif', id: 'x'.repeat(65) }))).toMatchObject({ ok: false, record: {} });
    // Any other command's rejection is a console warning only.
    expect(parseEmbedCommand({ target: TARGET, command: 'step', count: 0 })).not.toHaveProperty('record');
  });

  it('dispatches record and cancelRecord, and answers a refused record with a recordError event', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { frame, parent } = embeddedFrame();
    const handlers = spyHandlers();
    installEmbedApi(frame.asWindow(), handlers);
    frame.receive(record({ format: 'gif', panels: ['circle'], id: 'a' }), parent);
    frame.receive({ target: TARGET, command: 'cancelRecord' }, parent);
    frame.receive(record({ format: 'gif', fps: 1000, id: 'b' }), parent);
    expect(handlers.record).toHaveBeenCalledExactlyOnceWith({ format: 'gif', panels: ['circle'], id: 'a' });
    expect(handlers.cancelRecord).toHaveBeenCalledOnce();
    expect(parent.posted.at(-1)).toEqual({
      message: { source: 'arcface-playground', event: 'recordError', id: 'b', message: 'The record command was refused: record: fps must be a whole number from 5 to 60, got 1000.' },
      targetOrigin: '*',
    });
  });

  it('a page without a recorder says so instead of staying silent', () => {
    const { frame, parent } = embeddedFrame();
    const { record: _record, cancelRecord: _cancel, ...withoutRecorder } = spyHandlers();
    installEmbedApi(frame.asWindow(), withoutRecorder);
    frame.receive(record({ format: 'webm', id: 'c' }), parent);
    expect(parent.posted.at(-1)?.message).toEqual({ source: 'arcface-playground', event: 'recordError', id: 'c', message: 'This page cannot record.' });
  });

  it('builds the record events with the id only when there is one', () => {
    expect(recordProgressEvent(undefined, 3, 10, 0.3)).toEqual({ source: 'arcface-playground', event: 'recordProgress', encoded: 3, total: 10, fraction: 0.3 });
    const blob = new Blob(['GIF89a'], { type: 'image/gif' });
    expect(recordedEvent('x', { blob, name: 'a.gif', frames: 2, width: 1280, height: 720, fps: 10 })).toEqual({
      source: 'arcface-playground',
      event: 'recorded',
      id: 'x',
      file: blob,
      name: 'a.gif',
      mimeType: 'image/gif',
      frames: 2,
      width: 1280,
      height: 720,
      fps: 10,
    });
    expect(recordErrorEvent(undefined, 'No.')).toEqual({ source: 'arcface-playground', event: 'recordError', message: 'No.' });
  });
});
