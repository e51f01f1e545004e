import { describe, expect, it } from 'vitest';
import { withPreset } from '../core/presets';
import { defaultParams, type Params } from '../core/schema';
import type { PairSummary } from '../core/snapshot';
import type { MetricsHistory } from '../panels/snapshotBus';
import type { PanelSnapshot } from '../panels/types';
import {
  COMPARE_SNAPSHOT_VERSION,
  SNAPSHOT_FORMAT,
  compareSettingName,
  compareSnapshotJson,
  exportFileName,
  featuresCsv,
  featuresCsvOfRuns,
  historyCsv,
  historyCsvOfRuns,
  parameterCaption,
  runsCaption,
  snapshotJson,
  weightsCsv,
  weightsCsvOfRuns,
  type ExportRun,
} from './exportData';

function params(overrides: Partial<Params> = {}): Params {
  return { ...withPreset(defaultParams(), 'arcface'), ...overrides };
}

/**
 * Four samples of two identities. Sample 2 is a zero feature whose angle is undefined
 * (NaN), as the trainer reports it; values like 0.1 are not exact in Float32, which is
 * what the round-trip checks need.
 */
function fakeSnapshot(): PanelSnapshot {
  const embeddings = Float32Array.from([3, 4, 0.1, -2.5, Number.NaN, 0, -1e-7, 123456.789]);
  const unitEmbeddings = Float32Array.from([0.6, 0.8, 0.0399680383, -0.999200958, Number.NaN, Number.NaN, -8.1e-13, 1]);
  return {
    step: 300,
    loss: 0.125,
    trainAccuracy: 0.75,
    classes: 2,
    embeddings,
    unitEmbeddings,
    labels: Int32Array.from([0, 1, 1, 0]),
    weights: Float32Array.from([1, 0, 0, 2]),
    bias: Float32Array.from([0, 0]),
    thetaTarget: Float32Array.from([53.13, 87.7, Number.NaN, 90]),
    heldoutEmbeddings: Float32Array.from([1, 1, -1, 1]),
    heldoutLabels: Int32Array.from([0, 1]),
    heldoutClasses: 2,
    arcs: [],
    angles: { wEC: 12.5, wInter: 90, intraTrain: 30, interTrain: 88, gapTrain: -4, intraHeldout: Number.NaN, interHeldout: 70 },
    pairs: { test: pairSummary(), unseen: pairSummary() },
  };
}

function pairSummary(): PairSummary {
  const histogram = { edges: [0, 90, 180], positive: [3, 0], negative: [1, 2], positiveShare: [1, 0], negativeShare: [1 / 3, 2 / 3] };
  return { positivePairs: 3, negativePairs: 3, verification: { threshold: 45, accuracy: 0.9 }, p99Positive: 20, p1Negative: 60, overlap: -40, histogram };
}

function parseCsv(text: string): string[][] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => line.split(','));
}

describe('parameterCaption', () => {
  it('names ArcFace with its margin in radians and degrees', () => {
    expect(parameterCaption(params(), 300)).toBe('ArcFace (0.5) · m1 = 1, m2 = 0.5 rad (28.6°), m3 = 0, s = 64 · seed 1 · step 300');
  });

  it('names CosFace by its additive cosine margin', () => {
    expect(parameterCaption(withPreset(params({ seed: 7, s: 30 }), 'cosface'), 12)).toBe('CosFace (0.35) · m1 = 1, m2 = 0 rad (0°), m3 = 0.35, s = 30 · seed 7 · step 12');
  });

  it('calls a margin that matches no preset custom and trims slider noise', () => {
    expect(parameterCaption(params({ m1: 1.1, m2: 0.30000000000000004, m3: 0.1, s: 32 }), 0)).toBe('custom · m1 = 1.1, m2 = 0.3 rad (17.2°), m3 = 0.1, s = 32 · seed 1 · step 0');
  });

  it('gives plain softmax no margin or scale, whatever the sliders hold', () => {
    expect(parameterCaption(params({ head: 'softmax', m2: 0.5, s: 64 }), 300)).toBe('Softmax · seed 1 · step 300');
  });
});

describe('featuresCsv', () => {
  const snapshot = fakeSnapshot();
  const rows = parseCsv(featuresCsv(snapshot));

  it('has a header and one row per training sample', () => {
    expect(rows[0]).toEqual(['index', 'identity', 'x', 'y', 'x_unit', 'y_unit', 'theta_y_deg']);
    expect(rows).toHaveLength(snapshot.labels.length + 1);
    expect(rows.every((row) => row.length === 7)).toBe(true);
  });

  it('writes values that parse back to the same Float32 numbers', () => {
    rows.slice(1).forEach((row, index) => {
      expect(Number(row[0])).toBe(index);
      expect(Number(row[1])).toBe(snapshot.labels[index]);
      const columns: [Float32Array, number, number][] = [
        [snapshot.embeddings, 2, index * 2],
        [snapshot.embeddings, 3, index * 2 + 1],
        [snapshot.unitEmbeddings, 4, index * 2],
        [snapshot.unitEmbeddings, 5, index * 2 + 1],
        [snapshot.thetaTarget, 6, index],
      ];
      for (const [source, column, position] of columns) {
        if (Number.isNaN(source[position])) continue;
        expect(Math.fround(Number(row[column]))).toBe(source[position]);
      }
    });
  });

  it('prints a Float32 without float64 noise', () => {
    expect(rows[2][2]).toBe('0.100000001');
  });

  it('leaves NaN cells empty rather than writing NaN', () => {
    expect(rows[3][2]).toBe('');
    expect(rows[3][3]).toBe('0');
    expect(rows[3][6]).toBe('');
    expect(featuresCsv(snapshot)).not.toMatch(/nan/i);
  });
});

describe('weightsCsv', () => {
  it('lists each W_j with its angle on the circle', () => {
    const rows = parseCsv(weightsCsv(fakeSnapshot()));
    expect(rows).toEqual([
      ['identity', 'w_x', 'w_y', 'w_angle_deg'],
      ['0', '1', '0', '0'],
      ['1', '0', '2', '90'],
    ]);
  });
});

describe('historyCsv', () => {
  it('writes one row per recorded step and empties a NaN loss', () => {
    const history: MetricsHistory = { steps: [0, 10, 20], losses: [Number.NaN, 2.5, 1.25], accuracies: [0.125, 0.5, 1] };
    expect(parseCsv(historyCsv(history))).toEqual([
      ['step', 'loss', 'train_accuracy'],
      ['0', '', '0.125'],
      ['10', '2.5', '0.5'],
      ['20', '1.25', '1'],
    ]);
  });

  it('is just the header before the first step', () => {
    expect(historyCsv({ steps: [], losses: [], accuracies: [] })).toBe('step,loss,train_accuracy\n');
  });
});

describe('snapshotJson', () => {
  const snapshot = fakeSnapshot();
  const history: MetricsHistory = { steps: [0, 300], losses: [Number.NaN, 0.125], accuracies: [0.5, 0.75] };
  const text = snapshotJson(snapshot, params(), history);
  const parsed = JSON.parse(text);

  it('is tagged with its format, version, step and setting', () => {
    expect(parsed.format).toBe(SNAPSHOT_FORMAT);
    expect(parsed.version).toBe(1);
    expect(parsed.step).toBe(300);
    expect(parsed.params).toEqual(params());
    expect(parsed.caption).toBe(parameterCaption(params(), 300));
    expect(parsed.loss).toBe(0.125);
    expect(parsed.trainAccuracy).toBe(0.75);
  });

  it('round-trips the labels and the features', () => {
    expect(parsed.labels).toEqual([0, 1, 1, 0]);
    expect(parsed.features).toHaveLength(4);
    parsed.features.forEach((row: (number | null)[], index: number) => {
      row.forEach((value, k) => {
        const original = snapshot.embeddings[index * 2 + k];
        if (Number.isNaN(original)) expect(value).toBeNull();
        else expect(Math.fround(value as number)).toBe(original);
      });
    });
    expect(parsed.weights).toEqual([
      [1, 0],
      [0, 2],
    ]);
    expect(parsed.heldout).toEqual({
      classes: 2,
      features: [
        [1, 1],
        [-1, 1],
      ],
      labels: [0, 1],
    });
  });

  it('writes NaN as null everywhere', () => {
    expect(text).not.toMatch(/NaN/);
    expect(parsed.features[2]).toEqual([null, 0]);
    expect(parsed.unitFeatures[2]).toEqual([null, null]);
    expect(parsed.thetaTarget[2]).toBeNull();
    expect(parsed.angles.intraHeldout).toBeNull();
    expect(parsed.angles.gapTrain).toBe(-4);
    expect(parsed.history).toEqual({ steps: [0, 300], losses: [null, 0.125], accuracies: [0.5, 0.75] });
  });
});

describe('exportFileName', () => {
  it('names the setting, seed, step and panel', () => {
    expect(exportFileName('circle', params(), 300, 'png')).toBe('arcface-playground_arcface_seed1_step300_circle.png');
    expect(exportFileName('features', params({ m1: 1.2 }), 5, 'csv')).toBe('arcface-playground_custom_seed1_step5_features.csv');
    expect(exportFileName('history', withPreset(params(), 'arcface-0.45'), 0, 'csv')).toBe('arcface-playground_arcface-0.45_seed1_step0_history.csv');
  });

  it('uses only safe characters, whatever it is given', () => {
    const names = [
      exportFileName('Circle Panel/../../etc', params(), 12.7, 'PNG'),
      exportFileName('..', params({ head: 'softmax' }), Number.NaN, '.svg'),
      exportFileName('θ «plot» & co', params({ seed: 999999 }), -3, 'json'),
    ];
    for (const name of names) {
      expect(name).toMatch(/^[a-z0-9._-]+$/);
      expect(name).not.toContain('..');
    }
    expect(names[0]).toBe('arcface-playground_arcface_seed1_step12_circle-panel-etc.png');
  });
});

/** Run A Softmax, run B ArcFace with m2 = 0.3, on the same snapshot shape (B's first feature moved). */
function compareRuns(): ExportRun[] {
  const b = fakeSnapshot();
  b.embeddings = Float32Array.from(b.embeddings);
  b.embeddings[0] = 7;
  return [
    { letter: 'A', label: 'Softmax', params: withPreset(params(), 'softmax'), snapshot: fakeSnapshot(), history: { steps: [0, 300], losses: [Number.NaN, 1.5], accuracies: [0.1, 0.6] } },
    { letter: 'B', label: 'ArcFace (m2 = 0.3)', params: params({ m2: 0.3 }), snapshot: b, history: { steps: [0, 300], losses: [Number.NaN, 0.5], accuracies: [0.1, 0.9] } },
  ];
}

describe('compare mode captions', () => {
  it('gives each run its own line, named by its letter and label, with its own margin', () => {
    expect(runsCaption(compareRuns(), 300).split('\n')).toEqual(['A: Softmax · seed 1 · step 300', 'B: ArcFace (m2 = 0.3) · m1 = 1, m2 = 0.3 rad (17.2°), m3 = 0, s = 64 · seed 1 · step 300']);
  });

  it('names a run by its label rather than "custom"', () => {
    expect(parameterCaption(params({ m2: 0.3 }), 1, 'ArcFace (m2 = 0.3)')).toMatch(/^ArcFace \(m2 = 0\.3\) · /);
    expect(parameterCaption(params({ m2: 0.3 }), 1)).toMatch(/^custom · /);
  });
});

describe('compare mode CSVs', () => {
  it('prefix a run column and hold one row set per run, A first', () => {
    const runs = compareRuns();
    const rows = parseCsv(featuresCsvOfRuns(runs));
    const samples = runs[0].snapshot.labels.length;
    expect(rows[0]).toEqual(['run', 'index', 'identity', 'x', 'y', 'x_unit', 'y_unit', 'theta_y_deg']);
    expect(rows).toHaveLength(1 + 2 * samples);
    expect(rows.slice(1, 1 + samples).every((row) => row[0] === 'A')).toBe(true);
    expect(rows.slice(1 + samples).every((row) => row[0] === 'B')).toBe(true);
    // Each run's rows are its own features, not a copy of A's.
    expect(rows[1].slice(1)).toEqual(parseCsv(featuresCsv(runs[0].snapshot))[1]);
    expect(rows[1 + samples][3]).toBe('7');
  });

  it('do the same for W and the history', () => {
    const runs = compareRuns();
    expect(parseCsv(weightsCsvOfRuns(runs))).toEqual([
      ['run', 'identity', 'w_x', 'w_y', 'w_angle_deg'],
      ['A', '0', '1', '0', '0'],
      ['A', '1', '0', '2', '90'],
      ['B', '0', '1', '0', '0'],
      ['B', '1', '0', '2', '90'],
    ]);
    expect(parseCsv(historyCsvOfRuns(runs))).toEqual([
      ['run', 'step', 'loss', 'train_accuracy'],
      ['A', '0', '', '0.1'],
      ['A', '300', '1.5', '0.6'],
      ['B', '0', '', '0.1'],
      ['B', '300', '0.5', '0.9'],
    ]);
  });
});

describe('compareSnapshotJson', () => {
  const runs = compareRuns();
  const parsed = JSON.parse(compareSnapshotJson(runs));

  it('holds every run with its letter, label, caption, settings and numbers', () => {
    expect(parsed).toMatchObject({ format: SNAPSHOT_FORMAT, version: COMPARE_SNAPSHOT_VERSION, step: 300, caption: runsCaption(runs, 300) });
    expect(parsed.runs.map((run: { run: string; label: string }) => [run.run, run.label])).toEqual([
      ['A', 'Softmax'],
      ['B', 'ArcFace (m2 = 0.3)'],
    ]);
    expect(parsed.runs[1].params).toEqual(params({ m2: 0.3 }));
    expect(parsed.runs[1].features[0]).toEqual([7, 4]);
    expect(parsed.runs[0].features[0]).toEqual([3, 4]);
    expect(parsed.runs[1].history.losses).toEqual([null, 0.5]);
  });

  it('has each run carry the fields of a single-run snapshot file', () => {
    const single = JSON.parse(snapshotJson(runs[0].snapshot, runs[0].params, runs[0].history));
    const { format: _format, version: _version, caption: _caption, ...fields } = single;
    expect(parsed.runs[0]).toMatchObject(fields);
  });
});

describe('compareSettingName', () => {
  it('names a comparison by its runs, for file names', () => {
    const runs = compareRuns();
    expect(compareSettingName(runs)).toBe('softmax-vs-custom');
    expect(exportFileName('circle', runs[0].params, 300, 'svg', compareSettingName(runs))).toBe('arcface-playground_softmax-vs-custom_seed1_step300_circle.svg');
  });
});
