import { describe, expect, it } from 'vitest';
import { parseToyArgs, usage, withPreset, type ParseResult, type ToyOptions } from './cliArgs';
import { defaultParams } from './schema';

function options(result: ParseResult): ToyOptions {
  if (!result.ok) throw new Error(`expected ok, got: ${result.message}`);
  return result.options;
}

function message(result: ParseResult): string {
  if (result.ok) throw new Error('expected an error');
  return result.message;
}

describe('parseToyArgs', () => {
  it('defaults: ArcFace preset, 3000 steps, wasm, table output', () => {
    const parsed = options(parseToyArgs([]));
    expect(parsed.preset).toBe('arcface');
    expect(parsed.steps).toBe(3000);
    expect(parsed.backend).toBe('wasm');
    expect(parsed.json).toBe(false);
    expect(parsed.help).toBe(false);
    expect(parsed.compare).toBeNull();
    expect(parsed.params).toEqual(defaultParams());
  });

  it('a preset sets the margin and head', () => {
    const cosface = options(parseToyArgs(['--preset', 'cosface'])).params;
    expect([cosface.m1, cosface.m2, cosface.m3]).toEqual([1, 0, 0.35]);
    expect(options(parseToyArgs(['--preset', 'softmax'])).params.head).toBe('softmax');
  });

  it('an explicit parameter overrides the preset, in either order', () => {
    for (const argv of [
      ['--preset', 'cosface', '--m3', '0.2'],
      ['--m3', '0.2', '--preset', 'cosface'],
    ]) {
      const params = options(parseToyArgs(argv)).params;
      expect(params.m3).toBe(0.2);
      expect(params.m1).toBe(1);
      expect(params.m2).toBe(0);
    }
  });

  it('--name=value works', () => {
    expect(options(parseToyArgs(['--m2=0.3'])).params.m2).toBe(0.3);
    expect(options(parseToyArgs(['--steps=10'])).steps).toBe(10);
  });

  it('--json and --help are switches; --backend cpu and --steps are read', () => {
    const parsed = options(parseToyArgs(['--json', '--backend', 'cpu', '--steps', '500', '--help']));
    expect(parsed.json).toBe(true);
    expect(parsed.help).toBe(true);
    expect(parsed.backend).toBe('cpu');
    expect(parsed.steps).toBe(500);
  });

  it('URL names map to params (--n, --ids, --opt)', () => {
    const params = options(parseToyArgs(['--n', '100', '--ids', '4', '--opt', 'sgd', '--fallback', '0'])).params;
    expect(params.samplesPerIdentity).toBe(100);
    expect(params.identities).toBe(4);
    expect(params.optimizer).toBe('sgd');
    expect(params.fallback).toBe(false);
  });

  it.each([
    [['--steps', 'abc'], '--steps'],
    [['--steps', '0'], '--steps'],
    [['--m2', '5'], '--m2'],
    [['--m1', 'abc'], '--m1'],
    [['--bogus', '1'], '--bogus'],
    [['--backend', 'gpu'], '--backend'],
    [['--preset', 'nope'], '--preset'],
    [['--m1'], '--m1'],
    [['--m1', '--json'], '--m1'],
    [['m1', '1'], 'm1'],
  ])('%j is refused with a message naming %s', (argv, flag) => {
    expect(message(parseToyArgs(argv))).toContain(flag);
  });

  it('refuses instead of clamping: --m2 5 is not silently run as 1', () => {
    expect(parseToyArgs(['--m2', '5']).ok).toBe(false);
  });
});

describe('--compare', () => {
  it('reads the link’s spec syntax into runs on the other flags’ params, in either order', () => {
    for (const argv of [
      ['--compare', 'softmax,arcface~m2=0.3', '--seed', '5', '--s', '32'],
      ['--seed', '5', '--s=32', '--compare=softmax,arcface~m2=0.3'],
    ]) {
      const { compare, params } = options(parseToyArgs(argv));
      expect(compare?.map((run) => run.label)).toEqual(['Softmax', 'ArcFace (m2 = 0.3)']);
      expect(compare?.map((run) => run.params.seed)).toEqual([5, 5]);
      expect(compare?.[1].params).toEqual({ ...withPreset(params, 'arcface'), m2: 0.3 });
    }
  });

  it.each([
    ['arcface', "--compare: needs 2 to 4 runs, got 1 ('arcface'); compare is off"],
    ['softmax,nope', "--compare: unknown preset 'nope'; dropped that run"],
    ['softmax,arcface~seed=2', "--compare: in 'arcface~seed=2', seed is shared by every run"],
    ['softmax,arcface~m2=5', "--compare: in 'arcface~m2=5', m2 must be in [0, 1]; clamped to 1"],
    ['softmax,arcface,arcface', "--compare: 'arcface' trains exactly as run B ('arcface'); dropped it"],
    ['softmax,norm-softmax,sphereface,cosface,arcface', '--compare: at most 4 runs'],
    ['softmax,arcface~m2=NaN', "--compare: in 'arcface~m2=NaN', m2 must be 0 to 1, got 'NaN'; ignored it"],
  ])('refuses %j with one line: %s', (spec, start) => {
    const text = message(parseToyArgs(['--compare', spec]));
    expect(text.startsWith(start)).toBe(true);
    expect(text).not.toContain('\n');
  });

  it('needs a value, and is listed in the usage', () => {
    expect(message(parseToyArgs(['--compare']))).toBe('--compare needs a value');
    expect(usage()).toContain('--compare');
  });
});

describe('withPreset and usage', () => {
  it('withPreset copies the preset margin and leaves unknown ids alone', () => {
    const base = defaultParams();
    expect(withPreset(base, 'cm2')).toMatchObject({ m1: 0.9, m2: 0.4, m3: 0.15, head: 'margin' });
    expect(withPreset(base, 'nope')).toBe(base);
  });

  it('usage lists every flag', () => {
    const text = usage();
    for (const flag of ['--preset', '--steps', '--backend', '--json', '--m1', '--m2', '--m3', '--seed', '--fallback']) {
      expect(text).toContain(flag);
    }
  });
});
