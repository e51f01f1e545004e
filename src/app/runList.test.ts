import { describe, expect, it } from 'vitest';
import { compareRun, encodeCompareSpec, lossSettings, rebaseCompareRuns } from '../core/compare';
import { withPreset } from '../core/presets';
import { defaultParams, type Params } from '../core/schema';
import { decodeUrlState, encodeUrlState, defaultUrlState } from '../core/urlState';
import { SnapshotBus } from '../panels/snapshotBus';
import { LIGHT_THEME, DARK_THEME } from '../panels/types';
import {
  addRun,
  changeRunParams,
  chooseRunPreset,
  compareRunsOf,
  exportRunsOf,
  isComparing,
  panelRuns,
  removeRun,
  runListOf,
  selectRun,
  selectedRun,
  singleRunList,
  startComparing,
  stopComparing,
  type RunList,
} from './runList';

const bus = (): SnapshotBus => new SnapshotBus();

function preset(id: string, overrides: Partial<Params> = {}): Params {
  return { ...withPreset(defaultParams(), id), ...overrides };
}

function single(id: string, overrides: Partial<Params> = {}): RunList {
  return singleRunList(preset(id, overrides), bus);
}

/** A comparison as a link gives it: `compare=softmax,arcface` on the default params. */
function softmaxVsArcface(): RunList {
  const shared = preset('arcface');
  const decoded = decodeUrlState('?compare=softmax,arcface');
  return runListOf(shared, decoded.state.compare, bus);
}

const labels = (list: RunList): string[] => list.runs.map((run) => run.label);
const presets = (list: RunList): string[] => list.runs.map((run) => run.preset);

describe('single mode', () => {
  it('is one run with its label and preset, selected', () => {
    const list = single('cosface');
    expect(isComparing(list)).toBe(false);
    expect(list.selected).toBe(0);
    expect(presets(list)).toEqual(['cosface']);
    expect(labels(list)).toEqual(['CosFace (0.35)']);
    expect(list.shared).toEqual(preset('cosface'));
  });

  it('keeps the params exactly as the controls set them, and calls a changed margin custom', () => {
    const list = single('arcface');
    const next = changeRunParams(list, 0, { ...list.shared, m2: 0.3, seed: 4 });
    expect(next.runs[0].params).toEqual(preset('arcface', { m2: 0.3, seed: 4 }));
    expect(next.shared).toEqual(next.runs[0].params);
    expect(next.runs[0].preset).toBe('custom');
    expect(next.runs[0].label).toBe('ArcFace (m2 = 0.3)');
    // The bus stays: the panels keep painting from it.
    expect(next.runs[0].bus).toBe(list.runs[0].bus);
  });

  it('a link without compare starts single mode', () => {
    expect(isComparing(runListOf(preset('arcface'), null, bus))).toBe(false);
  });
});

describe('a link’s comparison', () => {
  it('becomes the runs, A first, each with a bus of its own', () => {
    const list = softmaxVsArcface();
    expect(isComparing(list)).toBe(true);
    expect(labels(list)).toEqual(['Softmax', 'ArcFace (0.5)']);
    expect(list.selected).toBe(0);
    expect(list.runs[0].bus).not.toBe(list.runs[1].bus);
  });

  it('writes back into the same link', () => {
    const list = softmaxVsArcface();
    const state = { ...defaultUrlState(), params: list.shared, compare: compareRunsOf(list) };
    const again = decodeUrlState(`?${encodeUrlState(state)}`);
    expect(again.corrections).toEqual([]);
    expect(again.state.compare?.map((run) => run.params)).toEqual(list.runs.map((run) => run.params));
    expect(encodeCompareSpec(compareRunsOf(list) ?? [], list.shared)).toBe('softmax,arcface');
  });
});

describe('selectRun', () => {
  it('selects an existing run and ignores anything else', () => {
    const list = softmaxVsArcface();
    expect(selectRun(list, 1).selected).toBe(1);
    expect(selectedRun(selectRun(list, 1)).label).toBe('ArcFace (0.5)');
    for (const bad of [-1, 2, 0.5, Number.NaN]) expect(selectRun(list, bad)).toBe(list);
    expect(selectRun(list, 0)).toBe(list);
  });
});

describe('changeRunParams in compare mode', () => {
  it('changes a loss setting of that run only; its label follows, the others stay', () => {
    const list = selectRun(softmaxVsArcface(), 1);
    const next = changeRunParams(list, 1, { ...selectedRun(list).params, m2: 0.3 });
    expect(next.runs[0]).toEqual(list.runs[0]);
    expect(next.runs[1].params.m2).toBe(0.3);
    expect(next.runs[1].preset).toBe('custom');
    expect(next.runs[1].label).toBe('ArcFace (m2 = 0.3)');
    expect(next.shared).toEqual(list.shared);
    expect(next.runs[1].bus).toBe(list.runs[1].bus);
  });

  it('gives a run its own s, and names it in the label', () => {
    const list = softmaxVsArcface();
    const next = changeRunParams(list, 1, { ...list.runs[1].params, s: 32 });
    expect(next.runs[1].label).toBe('ArcFace (0.5), s = 32');
    expect(next.runs[0].params.s).toBe(64);
  });

  it('moves every run with a shared setting (rebased), each keeping its own loss settings', () => {
    const list = changeRunParams(softmaxVsArcface(), 1, { ...softmaxVsArcface().runs[1].params, m2: 0.3, s: 32 });
    const next = changeRunParams(list, 0, { ...list.runs[0].params, seed: 9, lr: 0.002, warmupSteps: 0 });
    for (const run of next.runs) expect(run.params).toMatchObject({ seed: 9, lr: 0.002, warmupSteps: 0 });
    expect(next.runs.map((run) => lossSettings(run.params))).toEqual(list.runs.map((run) => lossSettings(run.params)));
    // The same as core's rebase of the runs on the new shared settings.
    expect(next.runs.map((run) => run.params)).toEqual(rebaseCompareRuns(list.runs, next.shared).map((run) => run.params));
    // The shared settings keep the link's own loss settings: a run's margin is not the link's.
    expect(lossSettings(next.shared)).toEqual(lossSettings(list.shared));
  });

  it('keeps a Softmax run plain: no margin or s of its own', () => {
    const list = softmaxVsArcface();
    const next = changeRunParams(list, 0, { ...list.runs[0].params, m2: 0.4, s: 16 });
    expect(lossSettings(next.runs[0].params)).toEqual(lossSettings(list.runs[0].params));
  });

  it('ignores a run that does not exist', () => {
    const list = softmaxVsArcface();
    expect(changeRunParams(list, 2, preset('cosface'))).toBe(list);
  });

  it('chooses a preset for one run', () => {
    const list = softmaxVsArcface();
    const next = chooseRunPreset(list, 0, 'cosface');
    expect(labels(next)).toEqual(['CosFace (0.35)', 'ArcFace (0.5)']);
    expect(chooseRunPreset(list, 0, 'nope').runs[0].params).toEqual(list.runs[0].params);
  });
});

describe('startComparing', () => {
  it('compares the current run with ArcFace, the current one still selected', () => {
    const list = single('cosface', { seed: 3 });
    const next = startComparing(list, bus);
    expect(labels(next)).toEqual(['CosFace (0.35)', 'ArcFace (0.5)']);
    expect(next.selected).toBe(0);
    expect(next.runs[0].bus).toBe(list.runs[0].bus);
    expect(next.runs.every((run) => run.params.seed === 3)).toBe(true);
  });

  it('puts Softmax first when the current run is ArcFace: the paper’s Fig. 3', () => {
    const list = single('arcface');
    const next = startComparing(list, bus);
    expect(labels(next)).toEqual(['Softmax', 'ArcFace (0.5)']);
    expect(next.selected).toBe(1);
    expect(next.runs[1].bus).toBe(list.runs[0].bus);
  });

  it('compares a custom margin with ArcFace, and Softmax with ArcFace', () => {
    expect(labels(startComparing(single('arcface', { m2: 0.3 }), bus))).toEqual(['ArcFace (m2 = 0.3)', 'ArcFace (0.5)']);
    expect(labels(startComparing(single('softmax'), bus))).toEqual(['Softmax', 'ArcFace (0.5)']);
  });

  it('builds the runs as the link decoder would', () => {
    const next = startComparing(single('cosface'), bus);
    expect(next.runs.map((run) => run.params)).toEqual([compareRun(next.shared, lossSettings(preset('cosface'))).params, compareRun(next.shared, lossSettings(preset('arcface'))).params]);
  });

  it('does nothing when already comparing', () => {
    const list = softmaxVsArcface();
    expect(startComparing(list, bus)).toBe(list);
  });
});

describe('stopComparing', () => {
  it('keeps the selected run with its settings and bus', () => {
    const list = changeRunParams(selectRun(softmaxVsArcface(), 1), 1, { ...softmaxVsArcface().runs[1].params, m2: 0.3 });
    const next = stopComparing(list);
    expect(isComparing(next)).toBe(false);
    expect(next.runs[0].params).toEqual(list.runs[1].params);
    expect(next.runs[0].bus).toBe(list.runs[1].bus);
    expect(next.shared).toEqual(list.runs[1].params);
    expect(next.selected).toBe(0);
  });

  it('does nothing in single mode', () => {
    const list = single('arcface');
    expect(stopComparing(list)).toBe(list);
  });
});

describe('addRun and removeRun', () => {
  it('adds runs up to four, each a preset not yet compared, and selects the new one', () => {
    let list = softmaxVsArcface();
    list = addRun(list, bus);
    expect(labels(list)).toEqual(['Softmax', 'ArcFace (0.5)', 'CosFace (0.35)']);
    expect(list.selected).toBe(2);
    list = addRun(list, bus);
    expect(labels(list)).toEqual(['Softmax', 'ArcFace (0.5)', 'CosFace (0.35)', 'SphereFace (1.35)']);
    expect(addRun(list, bus)).toBe(list);
    expect(new Set(list.runs.map((run) => run.bus)).size).toBe(4);
  });

  it('adds nothing in single mode (turn compare on first)', () => {
    const list = single('arcface');
    expect(addRun(list, bus)).toBe(list);
  });

  it('removes down to two runs, keeping the selection on the same run', () => {
    let list = addRun(addRun(softmaxVsArcface(), bus), bus);
    list = selectRun(list, 3);
    const withoutA = removeRun(list, 0);
    expect(labels(withoutA)).toEqual(['ArcFace (0.5)', 'CosFace (0.35)', 'SphereFace (1.35)']);
    expect(selectedRun(withoutA).label).toBe('SphereFace (1.35)');
    const withoutSelected = removeRun(withoutA, 2);
    expect(labels(withoutSelected)).toEqual(['ArcFace (0.5)', 'CosFace (0.35)']);
    expect(withoutSelected.selected).toBe(1);
    expect(removeRun(withoutSelected, 0)).toBe(withoutSelected);
    // A run before the selected one goes: the selection moves down with its run.
    const cosfaceSelected = removeRun(selectRun(list, 2), 1);
    expect(labels(cosfaceSelected)).toEqual(['Softmax', 'CosFace (0.35)', 'SphereFace (1.35)']);
    expect(selectedRun(cosfaceSelected).label).toBe('CosFace (0.35)');
    expect(removeRun(list, 7)).toBe(list);
  });
});

describe('panelRuns', () => {
  it('gives each run its letter, label and run colour for the paper', () => {
    const list = softmaxVsArcface();
    const light = panelRuns(list, LIGHT_THEME);
    expect(light.map((run) => [run.index, run.letter, run.label])).toEqual([
      [0, 'A', 'Softmax'],
      [1, 'B', 'ArcFace (0.5)'],
    ]);
    expect(light.map((run) => run.colour)).toEqual(['#000000', '#332288']);
    expect(panelRuns(list, DARK_THEME).map((run) => run.colour)).toEqual(['#ffffff', '#e6edff']);
    expect(light[1].bus).toBe(list.runs[1].bus);
  });
});

describe('exportRunsOf', () => {
  it('is null until every run has drawn', () => {
    expect(exportRunsOf(softmaxVsArcface())).toBeNull();
  });
});
