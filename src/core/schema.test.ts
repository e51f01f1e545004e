import { describe, expect, it } from 'vitest';
import { PARAM_KEYS, SCHEMA, checkNumber, defaultParams, needsReset, parseNumberStrict, parseParam } from './schema';

describe('defaults', () => {
  it('defaultParams takes every default from SCHEMA', () => {
    const params = defaultParams();
    expect(Object.keys(params).sort()).toEqual([...PARAM_KEYS].sort());
    for (const key of PARAM_KEYS) expect(params[key], key).toBe(SCHEMA[key].default);
  });

  it('the defaults are the ArcFace toy: m = (1, 0.5, 0), s = 64, 8 identities', () => {
    const params = defaultParams();
    expect([params.m1, params.m2, params.m3, params.s, params.identities]).toEqual([1, 0.5, 0, 64, 8]);
    expect(params.head).toBe('margin');
  });

  it('every numeric default lies in [min, max], every choice default is an option', () => {
    for (const key of PARAM_KEYS) {
      const spec = SCHEMA[key];
      if (spec.kind === 'number') {
        expect(spec.min, key).toBeLessThanOrEqual(spec.default);
        expect(spec.default, key).toBeLessThanOrEqual(spec.max);
        if (spec.integer) expect(Number.isInteger(spec.default), key).toBe(true);
      } else if (spec.kind === 'choice') {
        expect(spec.options, key).toContain(spec.default);
      }
    }
  });

  it('URL names are unique', () => {
    const names = PARAM_KEYS.map((key) => SCHEMA[key].urlName);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('parseNumberStrict', () => {
  it.each(['', ' ', 'NaN', 'Infinity', '-Infinity', '1e400', '0x10', '1,5', 'abc', '1.2.3', '--1'])('rejects %j', (text) => {
    expect(parseNumberStrict(text)).toBeNaN();
  });

  it.each([
    ['0.5', 0.5],
    ['-1', -1],
    ['1e-3', 0.001],
    ['.5', 0.5],
    [' 2 ', 2],
    ['+3', 3],
    ['1.', 1],
    ['2E2', 200],
  ])('accepts %j as %d', (text, value) => {
    expect(parseNumberStrict(text)).toBe(value);
  });
});

describe('checkNumber', () => {
  it('replaces a non-finite number by the default', () => {
    expect(checkNumber(SCHEMA.m2, Number.POSITIVE_INFINITY)).toEqual({ value: 0.5, problem: expect.stringContaining('m2') });
  });
});

describe('parseParam', () => {
  it('takes an in-range value as given, with no problem', () => {
    expect(parseParam('m2', '0.3')).toEqual({ value: 0.3 });
  });

  it('clamps out-of-range values and names the URL parameter', () => {
    const high = parseParam('m2', '5');
    expect(high.value).toBe(1);
    expect(high.problem).toMatch(/^m2 /);
    expect(high.problem).toContain('clamped to 1');
    const low = parseParam('samplesPerIdentity', '3');
    expect(low.value).toBe(20);
    expect(low.problem).toMatch(/^n /); // the URL name, not the key
  });

  it('rejects non-numbers: the default is used and the problem says so', () => {
    for (const text of ['abc', '', 'NaN', '1e400']) {
      const checked = parseParam('m3', text);
      expect(checked.value, text).toBe(0);
      expect(checked.problem, text).toMatch(/^m3 must be a number/);
    }
  });

  it('rounds integer parameters', () => {
    expect(parseParam('seed', '41.6')).toEqual({ value: 42 });
    expect(parseParam('identities', '7.4')).toEqual({ value: 7 });
  });

  it('parses booleans from 1/0/true/false', () => {
    expect(parseParam('fallback', '1')).toEqual({ value: true });
    expect(parseParam('fallback', 'true')).toEqual({ value: true });
    expect(parseParam('fallback', '0')).toEqual({ value: false });
    expect(parseParam('fallback', 'FALSE')).toEqual({ value: false });
    const bad = parseParam('fallback', 'maybe');
    expect(bad.value).toBe(true);
    expect(bad.problem).toContain('fallback');
  });

  it('accepts known choices and rejects unknown ones', () => {
    expect(parseParam('optimizer', 'sgd')).toEqual({ value: 'sgd' });
    expect(parseParam('head', 'softmax')).toEqual({ value: 'softmax' });
    const bad = parseParam('optimizer', 'rmsprop');
    expect(bad.value).toBe('adam');
    expect(bad.problem).toContain('opt');
  });
});

describe('needsReset', () => {
  it('is true when the seed changes', () => {
    expect(needsReset(defaultParams(), { ...defaultParams(), seed: 2 })).toBe(true);
  });
  it('is false when only m2 changes (a live parameter)', () => {
    expect(needsReset(defaultParams(), { ...defaultParams(), m2: 0.3 })).toBe(false);
  });
  it('is false for identical params', () => {
    expect(needsReset(defaultParams(), defaultParams())).toBe(false);
  });
});
