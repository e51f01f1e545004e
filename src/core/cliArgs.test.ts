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
    expect(parsed.params).toEqual(defaultParams());
  });

  it('a preset sets the margin and head', () => {
    const cosface = options(parseToyArgs(['--preset', 'cosface'])).params;
    expect([cosface.m1, cosface.m2, cosface.m3]).toEqual([1, 0, 0.35]);
    expect(options(parseToyArgs(['--preset', 'softmax'])).params.head).toBe('softmax');
  });

  it('an explicit parameter overrides the preset, in either order', () => {
    for (const argv of [['--preset', 'cosface', '--m3', '0.2'], ['--m3', '0.2', '--preset', 'cosface']]) {
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
