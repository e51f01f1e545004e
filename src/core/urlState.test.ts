import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKEND_ORDER } from './backends';
import { COMPARE_LOSS_KEYS, COMPARE_MAX_RUNS, compareRun, lossSettings, type CompareRun, type LossSettings } from './compare';
import { PRESETS, matchPreset, withPreset } from './presets';
import { PARAM_KEYS, SCHEMA, type Params } from './schema';
import { HIDEABLE_CONTROLS, MAX_LESSON_LENGTH, MAX_VALUE_LENGTH, PANEL_NAMES, SPEED_RANGE, STEPS_LIMIT, THEME_NAMES, decodeUrlState, defaultUrlState, encodeUrlState, type UrlState } from './urlState';

/** Any value the schema allows, for every parameter. */
const paramsArbitrary: fc.Arbitrary<Params> = fc.record(
  Object.fromEntries(
    PARAM_KEYS.map((key) => {
      const spec = SCHEMA[key];
      if (spec.kind === 'number') {
        return [
          key,
          spec.integer
            ? fc.integer({ min: spec.min, max: spec.max })
            : fc.double({ min: spec.min, max: spec.max, noNaN: true, noDefaultInfinity: true }).map((value) => (Object.is(value, -0) ? 0 : value)),
        ];
      }
      if (spec.kind === 'boolean') return [key, fc.boolean()];
      return [key, fc.constantFrom(...spec.options)];
    }),
  ) as unknown as { [K in keyof Params]: fc.Arbitrary<Params[K]> },
) as fc.Arbitrary<Params>;

/** A run's loss settings: preset margins half the time, so that runs often match a preset. */
const lossArbitrary: fc.Arbitrary<LossSettings> = fc
  .tuple(fc.constantFrom(...PRESETS), paramsArbitrary, fc.boolean())
  .map(([preset, random, fromPreset]) => (fromPreset ? { ...lossSettings(random), head: preset.head, m1: preset.m1, m2: preset.m2, m3: preset.m3 } : lossSettings(random)));

/** Off, or 2 to 4 distinct runs on the state's params, built as decoding builds them. */
function compareArbitrary(shared: Params): fc.Arbitrary<CompareRun[] | null> {
  return fc.option(
    fc.uniqueArray(
      lossArbitrary.map((loss) => compareRun(shared, loss)),
      {
        minLength: 2,
        maxLength: COMPARE_MAX_RUNS,
        selector: (run) => COMPARE_LOSS_KEYS.map((key) => String(run.params[key])).join('|'),
      },
    ),
    { nil: null },
  );
}

const stateArbitrary: fc.Arbitrary<UrlState> = fc
  .record({
    params: paramsArbitrary,
    backend: fc.constantFrom('auto' as const, ...BACKEND_ORDER),
    autoplay: fc.boolean(),
    steps: fc.option(fc.integer({ min: 0, max: STEPS_LIMIT }), { nil: null }),
    speed: fc.integer({ min: SPEED_RANGE.min, max: SPEED_RANGE.max }),
    panels: fc.uniqueArray(fc.constantFrom(...PANEL_NAMES), { minLength: 1 }),
    embed: fc.boolean(),
    present: fc.boolean(),
    keys: fc.boolean(),
    lesson: fc.option(fc.stringMatching(/^[A-Za-z0-9_~.-]{1,60}$/), { nil: null }),
    replay: fc.option(
      fc.tuple(fc.integer({ min: 0, max: STEPS_LIMIT }), fc.integer({ min: 0, max: STEPS_LIMIT })).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) })),
      { nil: null },
    ),
    theme: fc.option(fc.constantFrom(...THEME_NAMES), { nil: null }),
    hide: fc.uniqueArray(fc.constantFrom(...HIDEABLE_CONTROLS)),
    fused: fc.boolean(),
    debug: fc.boolean(),
  })
  .chain((partial) => compareArbitrary(partial.params).map((compare) => ({ ...partial, compare, preset: matchPreset(partial.params)?.id ?? 'custom' })));

function expectParamsWithinSchema(params: Params): void {
  for (const key of PARAM_KEYS) {
    const spec = SCHEMA[key];
    const value = params[key];
    if (spec.kind === 'number') {
      expect(typeof value).toBe('number');
      expect(Number.isFinite(value)).toBe(true);
      expect(value as number).toBeGreaterThanOrEqual(spec.min);
      expect(value as number).toBeLessThanOrEqual(spec.max);
      if (spec.integer) expect(Number.isInteger(value)).toBe(true);
    } else if (spec.kind === 'boolean') {
      expect(typeof value).toBe('boolean');
    } else {
      expect(spec.options).toContain(value);
    }
  }
}

function expectWithinSchema(state: UrlState): void {
  expectParamsWithinSchema(state.params);
  if (state.compare !== null) {
    expect(state.compare.length).toBeGreaterThanOrEqual(2);
    expect(state.compare.length).toBeLessThanOrEqual(COMPARE_MAX_RUNS);
    for (const run of state.compare) {
      expectParamsWithinSchema(run.params);
      // Lockstep: a run differs from the link's params only in its loss settings.
      expect({ ...run.params, ...lossSettings(state.params) }).toEqual(state.params);
    }
  }
  expect(state.speed).toBeGreaterThanOrEqual(SPEED_RANGE.min);
  expect(state.speed).toBeLessThanOrEqual(SPEED_RANGE.max);
  expect(state.panels.length).toBeGreaterThan(0);
  for (const panel of state.panels) expect(PANEL_NAMES).toContain(panel);
  for (const control of state.hide) expect(HIDEABLE_CONTROLS).toContain(control);
  if (state.steps !== null) expect(Number.isInteger(state.steps) && state.steps >= 0 && state.steps <= STEPS_LIMIT).toBe(true);
}

describe('share-link codec', () => {
  it('decode(encode(state)) is state, for any state the schema allows', () => {
    fc.assert(
      fc.property(stateArbitrary, (state) => {
        const { state: decoded, corrections } = decodeUrlState(encodeUrlState(state));
        expect(corrections).toEqual([]);
        expect(decoded).toEqual(state);
      }),
      { numRuns: 500 },
    );
  });

  it('no input string makes decode throw or leave the schema', () => {
    const keys = [
      'm1',
      'm2',
      'm3',
      's',
      'lr',
      'seed',
      'n',
      'preset',
      'backend',
      'autoplay',
      'steps',
      'speed',
      'panels',
      'embed',
      'present',
      'theme',
      'hide',
      'v',
      'fallback',
      'opt',
      'head',
      'compare',
    ];
    const compareLike = fc
      .array(fc.constantFrom('softmax', 'arcface', 'cosface', 'nope', ',', '~', '=', 'm2', 's', 'seed', 'head', '0.3', 'NaN', '1e400', '<b>', '\u0000'), { maxLength: 30 })
      .map((parts) => parts.join(''));
    const hostileValue = fc.oneof(
      fc.string(),
      compareLike,
      fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e400', '-0', '', ' ', '<script>alert(1)</script>', 'javascript:alert(1)', '0x10', '１', '\u202e1', 'x'.repeat(10000)),
      fc.double().map(String),
    );
    const query = fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.string()), hostileValue), { maxLength: 12 })
      .map((pairs) => pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&'));
    fc.assert(
      fc.property(fc.oneof(query, fc.string()), (search) => {
        const { state } = decodeUrlState(search);
        expectWithinSchema(state);
      }),
      { numRuns: 1000 },
    );
  });

  it('explicit parameters override the preset', () => {
    const { state, corrections } = decodeUrlState('?preset=cosface&m3=0.2');
    expect(corrections).toEqual([]);
    expect(state.params.m3).toBe(0.2);
    expect(state.params.m1).toBe(1);
    expect(state.preset).toBe('custom');
  });

  it('reports each correction in words and falls back or clamps', () => {
    const { state, corrections } = decodeUrlState(`?m2=NaN&s=1000&seed=abc&bogus=1&m1=1.1&m1=1.2&lr=&panels=circle,nope,circle&theme=neon&n=${'9'.repeat(MAX_VALUE_LENGTH + 1)}`);
    expect(state.params.m2).toBe(SCHEMA.m2.default);
    expect(state.params.s).toBe(SCHEMA.s.max);
    expect(state.params.seed).toBe(SCHEMA.seed.default);
    expect(state.params.m1).toBe(1.1);
    expect(state.panels).toEqual(['circle']);
    expect(state.theme).toBeNull();
    expect(corrections.join('\n')).toMatch(/m2 must be a number/);
    expect(corrections.join('\n')).toMatch(/s must be in \[1, 128\]; clamped to 128/);
    expect(corrections.join('\n')).toMatch(/unknown setting 'bogus'/);
    expect(corrections.join('\n')).toMatch(/'m1' was given more than once; used the first/);
    expect(corrections.join('\n')).toMatch(/lr: empty value/);
    expect(corrections.join('\n')).toMatch(/panels: ignored unknown entry 'nope'/);
    expect(corrections.join('\n')).toMatch(/panels: ignored repeated 'circle'/);
    expect(corrections.join('\n')).toMatch(/theme: unknown 'neon'/);
    expect(corrections.join('\n')).toMatch(/n: value too long/);
    expect(corrections.length).toBe(10);
  });

  it('replay: a range FROM-TO in order within the step limit, anything else ignored with a correction', () => {
    expect(decodeUrlState('?replay=50-300').state.replay).toEqual({ from: 50, to: 300 });
    for (const bad of ['300-50', '50', '-5-10', '1e3-2e3', `0-${STEPS_LIMIT + 1}`, 'a-b']) {
      const { state, corrections } = decodeUrlState(`?replay=${encodeURIComponent(bad)}`);
      expect(state.replay).toBeNull();
      expect(corrections.join('\n')).toMatch(/^replay: must be two whole step numbers/);
    }
  });

  it('lesson: kept as the link wrote it up to its length limit, refused past it; keys is a flag', () => {
    expect(decodeUrlState('?lesson=margins&keys=1').state).toMatchObject({ lesson: 'margins', keys: true });
    const long = decodeUrlState(`?lesson=${'a'.repeat(MAX_LESSON_LENGTH + 1)}`);
    expect(long.state.lesson).toBeNull();
    expect(long.corrections.join('\n')).toMatch(/lesson: value too long/);
    expect(decodeUrlState(`?lesson=${'a'.repeat(MAX_LESSON_LENGTH)}`).state.lesson).toHaveLength(MAX_LESSON_LENGTH);
  });

  it('a clean default link has no corrections and decodes to the defaults', () => {
    expect(decodeUrlState('')).toEqual({ state: defaultUrlState(), corrections: [] });
    expect(encodeUrlState(defaultUrlState())).toBe('preset=arcface&v=1');
  });

  it('never echoes markup longer than a short quote', () => {
    const { corrections } = decodeUrlState(`?${encodeURIComponent('<img src=x onerror=alert(1)>')}=1`);
    expect(corrections[0].length).toBeLessThan(80);
  });

  it('compare: the runs share the link’s params and take their loss settings from the spec', () => {
    const { state, corrections } = decodeUrlState('?preset=cosface&seed=7&s=32&lr=0.003&compare=softmax,arcface~m2=0.3');
    expect(corrections).toEqual([]);
    expect(state.compare?.map((run) => run.label)).toEqual(['Softmax', 'ArcFace (m2 = 0.3)']);
    expect(state.compare?.[1].params).toEqual({ ...withPreset(state.params, 'arcface'), m2: 0.3 });
    expect(state.compare?.[1].params.seed).toBe(7);
    expect(state.compare?.[1].params.s).toBe(32);
    // The link's own preset is the main run's; compare runs do not inherit its margin.
    expect(state.params.m3).toBe(0.35);
    expect(state.compare?.[1].params.m3).toBe(0);
  });

  it('compare: written without percent escapes, and off unless given', () => {
    const { state } = decodeUrlState('?compare=softmax,arcface~m2=0.3~s=32');
    expect(encodeUrlState(state)).toBe('preset=arcface&compare=softmax,arcface~m2=0.3~s=32&v=1');
    expect(decodeUrlState('').state.compare).toBeNull();
  });

  it('compare: corrections join the link’s, and a bad spec leaves compare off', () => {
    const { state, corrections } = decodeUrlState('?compare=arcface~seed=3&seed=2');
    expect(state.compare).toBeNull();
    expect(state.params.seed).toBe(2);
    expect(corrections).toEqual([
      "compare: in 'arcface~seed=3', seed is shared by every run, so that they train in lockstep; ignored it (to change it for all runs, set seed outside compare)",
      "compare: needs 2 to 4 runs, got 1 ('arcface~seed=3'); compare is off",
    ]);
    const long = decodeUrlState(`?compare=softmax,${'arcface~m2=0.3'.repeat(100)}`);
    expect(long.state.compare).toBeNull();
    expect(long.corrections[0]).toMatch(/^compare: value too long/);
  });
});
