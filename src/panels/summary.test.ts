import { describe, expect, it } from 'vitest';
import { PANEL_NAMES } from '../core/urlState';
import {
  PANEL_ACCESSIBLE_NAMES,
  SUMMARY_PAUSED_INTERVAL_MS,
  SUMMARY_TRAINING_INTERVAL_MS,
  WAITING_SUMMARY,
  framePlaying,
  panelSummary,
  shareClearingMargin,
  spokenDegrees,
  spokenPercent,
  summaryDelay,
  summaryRuns,
  type SummaryRun,
} from './summary';
import { testRuns, testSnapshot } from './testFixtures';
import type { PanelSnapshot } from './types';

/**
 * The fixture's four samples: identity 0 at 0° and 36.87° from W0, identity 1 likewise
 * from W1, with W0 ⟂ W1. With ArcFace's m2 = 0.5 the 36.87° sample of identity 0 has
 * ψ = cos(36.87° + 28.6°) ≈ 0.41 against its rival's cosine 0.6, so it fails its margin;
 * the other three clear theirs. Plain softmax (ψ = cos θ = 0.8) clears all four.
 */
function summaryRun(preset: string, step = 300, extra: Partial<PanelSnapshot> = {}): SummaryRun {
  const [run] = testRuns([preset]);
  return {
    letter: run.letter,
    label: run.label,
    params: run.params,
    snapshot: { ...testSnapshot(step), ...extra },
    initialThetas: new Float32Array([80, 90, 100, 90]),
    history: { steps: [0, 10, step], losses: [2.08, 1.5, 1 / (step + 1)], accuracies: [0.1, 0.4, 0.75] },
  };
}

function compareRuns(presets: string[]): SummaryRun[] {
  return testRuns(presets).map((run) => ({ ...summaryRun('arcface'), letter: run.letter, label: run.label, params: run.params }));
}

describe('panelSummary, one run', () => {
  it('Fig. 3: names the run and step, the smallest gap and the accuracy', () => {
    expect(panelSummary('circle', [summaryRun('arcface')])).toBe('ArcFace, step 300: smallest gap 53°, accuracy 75%.');
  });

  it('Fig. 3: a negative gap is said as an overlap, with the sign Table 3 prints', () => {
    const run = summaryRun('arcface');
    run.snapshot = { ...run.snapshot, angles: { ...run.snapshot.angles, gapTrain: -4.6 } };
    expect(panelSummary('circle', [run])).toBe('ArcFace, step 300: arcs still overlap, smallest gap −5°, accuracy 75%.');
  });

  it('Fig. 4: θ_y now against step 0, and where ψ turns back up only without the fallback', () => {
    const guarded = summaryRun('arcface');
    expect(panelSummary('logit', [guarded])).toBe('ArcFace, step 300: median θ_y 37°, 90% of samples within 37° (median 90° at step 0).');
    const unguarded = { ...guarded, params: { ...guarded.params, fallback: false } };
    expect(panelSummary('logit', [unguarded])).toContain('; ψ turns back up past 151°');
  });

  it('Figs. 4 and 5: say when the margin is still warming up, and how far', () => {
    const warming = summaryRun('arcface', 200);
    expect(panelSummary('logit', [warming])).toContain('; warming up, the margin at 67% (m = (1, 0.33, 0))');
    expect(panelSummary('margin', [warming])).toContain('clear their margin; warming up, the margin at 67%');
    expect(panelSummary('margin', [summaryRun('arcface', 300)])).not.toContain('warming up');
    expect(panelSummary('logit', [summaryRun('softmax', 200)])).not.toContain('warming up');
  });

  it('Fig. 5: the constant margin and the share of samples past their own boundary', () => {
    expect(panelSummary('margin', [summaryRun('arcface')])).toBe('ArcFace, step 300: the boundaries are 57° apart everywhere; 75% of training samples clear their margin.');
    expect(panelSummary('margin', [summaryRun('softmax')])).toBe('Softmax, step 300: no margin: the two boundaries coincide; 100% of training samples clear their margin.');
    expect(panelSummary('margin', [summaryRun('cosface')])).toContain('the boundaries bend, so the margin changes with the angle');
  });

  it('Fig. 5: the share is counted against the full margin, sample by sample', () => {
    const arcface = summaryRun('arcface');
    expect(shareClearingMargin(arcface.snapshot, arcface.params)).toBe(0.75);
    expect(shareClearingMargin(arcface.snapshot, { ...arcface.params, m2: 0 })).toBe(1);
    // A margin past 90° leaves no sample clear, even those sitting on their own W.
    expect(shareClearingMargin(arcface.snapshot, { ...arcface.params, m2: 1.6 })).toBe(0);
  });

  it('training: the loss now and at the first step kept, and the accuracy; the rate only while playing', () => {
    expect(panelSummary('training', [summaryRun('arcface')])).toBe('ArcFace, step 300: loss 0.0033 (2.1 at step 0), train accuracy 75%.');
    const playing = summaryRun('arcface', 300, { playing: true, stepsPerSecond: 54.6 } as Partial<PanelSnapshot>);
    expect(panelSummary('training', [playing])).toBe('ArcFace, step 300: loss 0.0033 (2.1 at step 0), train accuracy 75%. Training at 55 steps per second.');
  });

  it('training: before the first step there is no loss to compare with', () => {
    const run = summaryRun('arcface', 0, { loss: Number.NaN });
    run.history = { steps: [0], losses: [Number.NaN], accuracies: [0.1] };
    expect(panelSummary('training', [run])).toBe('ArcFace, step 0: loss –, train accuracy 75%.');
  });

  it('Table 3: within against between identities, and verification accuracy', () => {
    expect(panelSummary('stats', [summaryRun('arcface')])).toBe('ArcFace, step 300: within identities 18°, between identities 90°, verification accuracy 99.8%.');
  });

  it('Fig. 6: threshold, accuracy and separation on held-out samples and on unseen identities', () => {
    expect(panelSummary('pairs', [summaryRun('arcface')])).toBe(
      'ArcFace, step 300: held-out samples: threshold 31°, accuracy 99.8%, p99 positive 12° vs p1 negative 50°: apart by 38°; unseen identities: threshold 31°, accuracy 99.8%, p99 positive 41° vs p1 negative 35°: overlap by 6°.',
    );
  });

  it('waits for the first snapshot', () => {
    for (const panel of PANEL_NAMES) {
      expect(panelSummary(panel, null)).toBe(WAITING_SUMMARY);
      expect(panelSummary(panel, [])).toBe(WAITING_SUMMARY);
    }
  });
});

describe('panelSummary, compare mode', () => {
  it('says the shared step once, then each run by letter and name', () => {
    expect(panelSummary('margin', compareRuns(['softmax', 'arcface']))).toBe(
      'Step 300. Run A, Softmax: no margin: the two boundaries coincide; 100% of training samples clear their margin. Run B, ArcFace: the boundaries are 57° apart everywhere; 75% of training samples clear their margin.',
    );
  });

  it('names every one of four runs in every panel', () => {
    const runs = compareRuns(['softmax', 'norm-softmax', 'cosface', 'arcface']);
    for (const panel of PANEL_NAMES) {
      const text = panelSummary(panel, runs);
      for (const letter of ['A', 'B', 'C', 'D']) expect(text).toContain(`Run ${letter}, `);
      expect(text.startsWith('Step 300. ')).toBe(true);
    }
  });
});

describe('summaryRuns', () => {
  it('is null until every run has published, then reads each bus', () => {
    const runs = testRuns(['softmax', 'arcface']);
    expect(summaryRuns(runs)).toBeNull();
    runs[0].bus.publish(testSnapshot(0));
    expect(summaryRuns(runs)).toBeNull();
    runs[1].bus.publish(testSnapshot(0));
    runs[1].bus.publish(testSnapshot(10));
    const views = summaryRuns(runs);
    expect(views?.map((view) => [view.letter, view.snapshot.step])).toEqual([
      ['A', 0],
      ['B', 10],
    ]);
    expect(views?.[1].history.steps).toEqual([0, 10]);
    expect(Array.from(views?.[1].initialThetas ?? [])).toEqual(Array.from(testSnapshot(0).thetaTarget));
  });
});

describe('spoken numbers', () => {
  it('rounds degrees with a real minus sign and says unknowns as a dash', () => {
    expect(spokenDegrees(37.6)).toBe('38°');
    expect(spokenDegrees(-4.6)).toBe('−5°');
    expect(spokenDegrees(Number.NaN)).toBe('–');
    expect(spokenDegrees(null)).toBe('–');
  });

  it('never rounds a share short of 1 up to 100%', () => {
    expect(spokenPercent(0.9823)).toBe('98%');
    expect(spokenPercent(0.998)).toBe('99.8%');
    expect(spokenPercent(0.99996)).toBe('99.9%');
    expect(spokenPercent(1)).toBe('100%');
    expect(spokenPercent(undefined)).toBe('–');
  });
});

describe('accessible names', () => {
  it('names every panel', () => {
    for (const panel of PANEL_NAMES) expect(PANEL_ACCESSIBLE_NAMES[panel].length).toBeGreaterThan(5);
    expect(new Set(Object.values(PANEL_ACCESSIBLE_NAMES)).size).toBe(PANEL_NAMES.length);
  });
});

describe('when to rewrite a summary', () => {
  it('holds a training frame back until the interval since the last write has passed', () => {
    expect(summaryDelay(true, 0)).toBe(SUMMARY_TRAINING_INTERVAL_MS);
    expect(summaryDelay(true, 1500)).toBe(SUMMARY_TRAINING_INTERVAL_MS - 1500);
    expect(summaryDelay(true, 5000)).toBe(0);
  });

  it('writes a paused or stepped frame at once unless one was written just now', () => {
    expect(summaryDelay(false, 10_000)).toBe(0);
    expect(summaryDelay(false, SUMMARY_PAUSED_INTERVAL_MS)).toBe(0);
    expect(summaryDelay(false, 100)).toBe(SUMMARY_PAUSED_INTERVAL_MS - 100);
  });

  it('reads whether a frame says training is running', () => {
    expect(framePlaying({ ...testSnapshot(1), playing: true } as PanelSnapshot)).toBe(true);
    expect(framePlaying({ ...testSnapshot(1), playing: false } as PanelSnapshot)).toBe(false);
    expect(framePlaying(testSnapshot(1))).toBe(false);
  });
});
