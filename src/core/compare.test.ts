import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPARE_LOSS_KEYS,
  COMPARE_MAX_RUNS,
  COMPARE_RUN_STYLES,
  MAX_COMPARE_SPEC_LENGTH,
  compareRun,
  compareRunStyle,
  decodeCompareSpec,
  encodeCompareSpec,
  lossSettings,
  rebaseCompareRuns,
  runLetter,
  type CompareRun,
  type LossSettings,
} from './compare';
import { NO_TERMS, PRESETS, withPreset } from './presets';
import { PARAM_KEYS, SCHEMA, defaultParams, type Params } from './schema';

const shared: Params = { ...defaultParams(), seed: 7, lr: 0.003, s: 48 };

function decode(text: string, on: Params = shared): { runs: CompareRun[]; corrections: string[] } {
  const { runs, corrections } = decodeCompareSpec(text, on);
  if (!runs) throw new Error(`expected runs, got none: ${corrections.join(' | ')}`);
  return { runs, corrections };
}

type LossNumberKey = 'm1' | 'm2' | 'm3' | 's' | 'intra' | 'inter' | 'triplet' | 'tripletMargin' | 'center';

function numberArbitrary(key: LossNumberKey): fc.Arbitrary<number> {
  const spec = SCHEMA[key];
  // Mostly preset values, so runs often match a preset or differ from one in one setting.
  const presetValues = key === 's' ? [16, 32, 64] : key === 'm1' || key === 'm2' || key === 'm3' ? PRESETS.map((preset) => preset[key]) : PRESETS.map((preset) => preset.terms[key]);
  return fc.oneof(
    fc.constantFrom(...presetValues),
    fc.double({ min: spec.min, max: spec.max, noNaN: true, noDefaultInfinity: true }).map((value) => (Object.is(value, -0) ? 0 : value)),
  );
}

const lossArbitrary: fc.Arbitrary<LossSettings> = fc.record({
  head: fc.constantFrom(...SCHEMA.head.options, 'margin' as const, 'margin' as const),
  m1: numberArbitrary('m1'),
  m2: numberArbitrary('m2'),
  m3: numberArbitrary('m3'),
  s: numberArbitrary('s'),
  intra: numberArbitrary('intra'),
  inter: numberArbitrary('inter'),
  triplet: numberArbitrary('triplet'),
  tripletMargin: numberArbitrary('tripletMargin'),
  center: numberArbitrary('center'),
});

/** 2 to 4 distinct runs on the shared params, as decoding would give them. */
function compareRunsArbitrary(on: Params): fc.Arbitrary<CompareRun[]> {
  return fc.uniqueArray(
    lossArbitrary.map((loss) => compareRun(on, loss)),
    {
      minLength: 2,
      maxLength: COMPARE_MAX_RUNS,
      selector: (run) => COMPARE_LOSS_KEYS.map((key) => String(run.params[key])).join('|'),
    },
  );
}

describe('the compare spec', () => {
  it('two presets: Softmax and ArcFace on the shared params', () => {
    const { runs, corrections } = decode('softmax,arcface');
    expect(corrections).toEqual([]);
    expect(runs.map((run) => [run.preset, run.label])).toEqual([
      ['softmax', 'Softmax'],
      ['arcface', 'ArcFace (0.5)'],
    ]);
    expect(runs[0].params).toEqual({ ...withPreset(shared, 'softmax') });
    expect(runs[1].params).toEqual({ ...withPreset(shared, 'arcface') });
    for (const run of runs) expect([run.params.seed, run.params.lr, run.params.s]).toEqual([7, 0.003, 48]);
  });

  it('overrides after the preset, with ~; s comes from the link unless a run sets it', () => {
    const { runs, corrections } = decode('arcface,arcface~m2=0.3~s=32');
    expect(corrections).toEqual([]);
    expect(runs.map((run) => run.label)).toEqual(['ArcFace (0.5)', 'ArcFace (m2 = 0.3), s = 32']);
    expect(runs[1].preset).toBe('custom');
    expect(runs[1].params).toEqual({ ...shared, head: 'margin', m1: 1, m2: 0.3, m3: 0, s: 32 });
    expect(runs[0].params.s).toBe(48);
  });

  it('is forgiving about case and spaces, and skips empty entries', () => {
    const { runs, corrections } = decode(' SoftMax , ,ArcFace ~ M2 = 0.3 ,');
    expect(corrections).toEqual([]);
    expect(encodeCompareSpec(runs, shared)).toBe('softmax,arcface~m2=0.3');
  });

  it.each([
    ['arcface-0.4~m3=0.1', 'arcface~m2=0.4~m3=0.1', 'ArcFace (m2 = 0.4, m3 = 0.1)'],
    ['arcface~m2=0.4', 'arcface-0.4', 'ArcFace (0.4)'],
    ['norm-softmax~m2=0.5', 'arcface', 'ArcFace (0.5)'],
    ['norm-softmax~m3=0.2', 'cosface~m3=0.2', 'CosFace (m3 = 0.2)'],
    ['norm-softmax~m1=1.2', 'sphereface~m1=1.2', 'SphereFace (m1 = 1.2)'],
    ['cm1~m3=0.1', 'cm1~m3=0.1', 'CM1 (m3 = 0.1)'],
    ['cosface~s=64', 'cosface~s=64', 'CosFace (0.35), s = 64'],
    ['arcface~s=48', 'arcface', 'ArcFace (0.5)'],
    ['softmax~head=margin', 'norm-softmax', 'Norm-Softmax'],
    ['arcface~head=softmax', 'softmax', 'Softmax'],
    ['softmax~head=margin~m2=0.3', 'arcface~m2=0.3', 'ArcFace (m2 = 0.3)'],
  ])('%s is written %s and labelled %s', (written, canonical, label) => {
    const { runs, corrections } = decode(`${written},softmax~head=margin~m1=0.77`);
    expect(corrections).toEqual([]);
    expect(runs[0].label).toBe(label);
    expect(encodeCompareSpec(runs, shared).split(',')[0]).toBe(canonical);
    expect(decode(encodeCompareSpec(runs, shared)).runs).toEqual(runs);
  });

  it('decode(encode(runs)) is runs, for any 2 to 4 distinct runs on any shared params', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(shared, defaultParams(), { ...defaultParams(), s: 1.5, head: 'softmax' as const }).chain((on) => fc.tuple(fc.constant(on), compareRunsArbitrary(on))),
        ([on, runs]) => {
          const spec = encodeCompareSpec(runs, on);
          expect(spec.length).toBeLessThanOrEqual(MAX_COMPARE_SPEC_LENGTH);
          const { runs: decoded, corrections } = decodeCompareSpec(spec, on);
          expect(corrections).toEqual([]);
          expect(decoded).toEqual(runs);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rebasing on new shared params keeps each run’s loss settings and takes the rest', () => {
    const { runs } = decode('softmax,arcface~m2=0.3~s=32,cosface');
    const moved = rebaseCompareRuns(runs, { ...shared, seed: 99, s: 20 });
    expect(moved.map((run) => run.params.seed)).toEqual([99, 99, 99]);
    expect(moved.map((run) => lossSettings(run.params))).toEqual([
      { head: 'softmax', m1: 1, m2: 0, m3: 0, s: 20, ...NO_TERMS },
      { head: 'margin', m1: 1, m2: 0.3, m3: 0, s: 32, ...NO_TERMS },
      { head: 'margin', m1: 1, m2: 0, m3: 0.35, s: 48, ...NO_TERMS },
    ]);
    expect(moved[2].label).toBe('CosFace (0.35), s = 48');
  });
});

function corrected(text: string): { runs: CompareRun[] | null; said: string } {
  const { runs, corrections } = decodeCompareSpec(text, shared);
  for (const correction of corrections) expect(correction).toMatch(/^compare: /);
  return { runs, said: corrections.join('\n') };
}

describe('runs with the extra terms (issue 14)', () => {
  it('Table 3’s columns side by side: each run keeps its own terms and its preset name', () => {
    const { runs, corrections } = decode('norm-softmax,ns-intra,ns-inter,triplet');
    expect(corrections).toEqual([]);
    expect(runs.map((run) => run.label)).toEqual(['Norm-Softmax', 'NS + Intra', 'NS + Inter', 'Triplet (0.35)']);
    expect(runs.map((run) => [run.params.head, run.params.intra, run.params.inter, run.params.triplet])).toEqual([
      ['margin', 0, 0, 0],
      ['margin', 1, 0, 0],
      ['margin', 0, 1, 0],
      ['triplet', 0, 0, 1],
    ]);
    expect(encodeCompareSpec(runs, shared)).toBe('norm-softmax,ns-intra,ns-inter,triplet');
  });

  it('a term overridden on a run is written as an override and named in its label', () => {
    const { runs } = decode('arcface,arcface~intra=0.5,center~center=0.1');
    expect(runs.map((run) => run.label)).toEqual(['ArcFace (0.5)', 'ArcFace (intra = 0.5)', 'Centre loss (center = 0.1)']);
    expect(encodeCompareSpec(runs, shared)).toBe('arcface,arcface~intra=0.5,center~center=0.1');
  });

  it('Softmax takes the centre loss but no angular term', () => {
    const { runs, said } = corrected('softmax~intra=1~center=0.2,arcface');
    expect(runs?.[0].params).toMatchObject({ head: 'softmax', intra: 0, center: 0.2 });
    expect(said).toBe("compare: in 'softmax~intra=1~center=0…', Softmax takes only the centre loss among the extra terms; ignored intra");
  });
});

describe('compare corrections', () => {
  it('more than 4 runs: keeps the first 4 and says which were dropped', () => {
    const { runs, said } = corrected('softmax,norm-softmax,sphereface,cosface,arcface,cm1');
    expect(runs?.map((run) => run.preset)).toEqual(['softmax', 'norm-softmax', 'sphereface', 'cosface']);
    expect(said).toBe("compare: at most 4 runs; kept the first 4 and dropped 2 more ('arcface', 'cm1')");
  });

  it('fewer than 2 runs: compare is off', () => {
    expect(corrected('arcface')).toEqual({ runs: null, said: "compare: needs 2 to 4 runs, got 1 ('arcface'); compare is off" });
    const none = corrected('nope,~m2=1');
    expect(none.runs).toBeNull();
    expect(none.said).toMatch(/no usable run; compare is off/);
  });

  it('an unknown preset or a run without one is dropped', () => {
    const { runs, said } = corrected('softmax,arcfac,~m2=0.3,arcface');
    expect(runs?.map((run) => run.preset)).toEqual(['softmax', 'arcface']);
    expect(said).toMatch(/unknown preset 'arcfac'; dropped that run \(choose from softmax, norm-softmax/);
    expect(said).toMatch(/'~m2=0.3' names no preset; dropped that run/);
  });

  it('a run that trains exactly as an earlier one is dropped, however it is written', () => {
    const { runs, said } = corrected('arcface,norm-softmax~m2=0.5,arcface~s=48,softmax,arcface~head=softmax~m2=0.2,cosface');
    expect(runs?.map((run) => run.preset)).toEqual(['arcface', 'softmax', 'cosface']);
    expect(said).toMatch(/'norm-softmax~m2=0.5' trains exactly as run A \('arcface'\); dropped it/);
    expect(said).toMatch(/'arcface~s=48' trains exactly as run A/);
    expect(said).toMatch(/'arcface~head=softmax~m2=…' trains exactly as run B/);
  });

  it('refuses a seed, data or training override in one run: the runs must stay in lockstep', () => {
    const { runs, said } = corrected('softmax,arcface~seed=2~n=100~lr=0.1~batch=32~m2=0.3');
    expect(runs?.[1].params).toEqual({ ...withPreset(shared, 'arcface'), m2: 0.3 });
    expect(said).toMatch(/in 'arcface~seed=2~n=100~lr=…', seed is shared by every run, so that they train in lockstep; ignored it \(to change it for all runs, set seed outside compare\)/);
    for (const name of ['n', 'lr', 'batch']) expect(said).toContain(`, ${name} is shared by every run`);
  });

  it('unknown, repeated and empty overrides are ignored with a reason', () => {
    const { runs, said } = corrected('softmax,arcface~bogus=1~m2=0.2~m2=0.4~m3~s=~~');
    expect(lossSettings(runs?.[1].params ?? shared)).toEqual({ head: 'margin', m1: 1, m2: 0.2, m3: 0, s: 48, ...NO_TERMS });
    expect(said).toMatch(/ignored unknown setting 'bogus' \(a run can set head, m1, m2, m3, s, intra, inter, triplet, tm, center\)/);
    expect(said).toMatch(/m2 was given more than once; used the first/);
    expect(said).toMatch(/m3 has no value; ignored it \(write m3=value\)/);
    expect(said).toMatch(/s has no value; ignored it/);
  });

  it('numbers go through the schema: out of range is clamped, NaN, Infinity and text are ignored', () => {
    const { runs, said } = corrected('softmax,arcface~m2=5~s=0.5~m1=NaN~m3=Infinity,cosface~m3=1e400~head=neon,arcface~m2=0x1');
    expect(lossSettings(runs?.[1].params ?? shared)).toEqual({ head: 'margin', m1: 1, m2: 1, m3: 0, s: 1, ...NO_TERMS });
    expect(lossSettings(runs?.[2].params ?? shared)).toEqual({ head: 'margin', m1: 1, m2: 0, m3: 0.35, s: 48, ...NO_TERMS });
    // 'arcface~m2=0x1' keeps ArcFace's own m2, and plain ArcFace is no twin of the others.
    expect(runs?.[3].label).toBe('ArcFace (0.5)');
    expect(said).toMatch(/m2 must be in \[0, 1\]; clamped to 1/);
    expect(said).toMatch(/s must be in \[1, 128\]; clamped to 1/);
    expect(said).toMatch(/m1 must be 0.5 to 2, got 'NaN'; ignored it/);
    expect(said).toMatch(/m3 must be 0 to 0.8, got 'Infinity'; ignored it/);
    expect(said).toMatch(/m3 must be 0 to 0.8, got '1e400'; ignored it/);
    expect(said).toMatch(/head must be margin \| softmax \| triplet \| sphereface4 \| curricularface \| adaface \| elasticface \| magface, got 'neon'; ignored it/);
    expect(said).toMatch(/m2 must be 0 to 1, got '0x1'; ignored it/);
  });

  it('Softmax ignores margin and scale overrides, and says so', () => {
    const { runs, said } = corrected('softmax~m2=0.3~s=10,arcface');
    expect(runs?.[0].params).toEqual(withPreset(shared, 'softmax'));
    expect(said).toBe("compare: in 'softmax~m2=0.3~s=10', Softmax has no margin and no scale; ignored m2, s");
  });

  it('hostile text: markup and control characters are quoted short, a huge value turns compare off', () => {
    const { runs, said } = corrected('<script>alert(1)</script>,arcface~\u0000m2=\u202e1,softmax');
    expect(runs?.map((run) => run.preset)).toEqual(['arcface', 'softmax']);
    expect(said).toMatch(/unknown preset '<script>alert\(1\)<\/script…'/);
    expect(said).toMatch(/ignored unknown setting '\?m2'/);
    for (const line of said.split('\n')) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters that must not reach a message
      expect(line).not.toMatch(/[\u0000-\u001f]/);
      // The longest lists the 24 presets to choose from.
      expect(line.length).toBeLessThan(420);
    }
    const huge = corrected(`softmax,arcface${'~m2=0.3'.repeat(200)}`);
    expect(huge.runs).toBeNull();
    expect(huge.said).toMatch(/value too long \(\d+ characters, at most 1200\); compare is off/);
  });

  it('no input makes decode throw or leave the schema', () => {
    const pieces = fc.constantFrom(
      'softmax',
      'arcface',
      'cm2',
      'custom',
      '',
      '~',
      ',',
      '=',
      'm1',
      'm2',
      'm3',
      's',
      'head',
      'seed',
      'NaN',
      '-0',
      '1e400',
      '0.5',
      '64',
      'margin',
      '<b>',
      '\u0000',
      '\n',
      ' ',
    );
    const spec = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(spec, (text) => {
        const { runs, corrections } = decodeCompareSpec(text, shared);
        for (const correction of corrections) {
          // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters that must not reach a message
          expect(correction).not.toMatch(/[\u0000-\u001f]/);
          expect(correction.length).toBeLessThan(450);
        }
        if (runs === null) return;
        expect(runs.length).toBeGreaterThanOrEqual(2);
        expect(runs.length).toBeLessThanOrEqual(COMPARE_MAX_RUNS);
        const keys = new Set(runs.map((run) => COMPARE_LOSS_KEYS.map((key) => String(run.params[key])).join('|')));
        expect(keys.size).toBe(runs.length);
        for (const run of runs) {
          for (const key of PARAM_KEYS) {
            const spec = SCHEMA[key];
            const value = run.params[key];
            if (!COMPARE_LOSS_KEYS.includes(key as (typeof COMPARE_LOSS_KEYS)[number])) expect(value).toBe(shared[key]);
            if (spec.kind === 'number') {
              expect(Number.isFinite(value)).toBe(true);
              expect(value as number).toBeGreaterThanOrEqual(spec.min);
              expect(value as number).toBeLessThanOrEqual(spec.max);
            }
          }
          expect(run.label).toMatch(/^[A-Za-z0-9 ().,=+-]+$/);
        }
        // What decode keeps is canonical: written again, it reads back the same.
        expect(decodeCompareSpec(encodeCompareSpec(runs, shared), shared)).toEqual({ runs, corrections: [] });
      }),
      { numRuns: 1000 },
    );
  });
});

/** CIE L* and chroma of a #rrggbb colour (sRGB, D65). */
describe('run letters and styles', () => {
  it('A to D, each with its own dash pattern', () => {
    expect([0, 1, 2, 3].map(runLetter)).toEqual(['A', 'B', 'C', 'D']);
    expect(COMPARE_RUN_STYLES.map((style) => style.letter)).toEqual(['A', 'B', 'C', 'D']);
    expect(new Set(COMPARE_RUN_STYLES.map((style) => style.dash.join(','))).size).toBe(4);
    expect(compareRunStyle(2)).toBe(COMPARE_RUN_STYLES[2]);
  });
});
