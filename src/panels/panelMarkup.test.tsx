/**
 * The test contract of the panels' markup (what the end-to-end tests find by test id),
 * rendered on the server: no canvas paints here, only the structure React renders once.
 */
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CirclePanel } from './CirclePanel';
import { LogitPanel } from './LogitPanel';
import { MarginPanel } from './MarginPanel';
import { PairsPanel } from './PairsPanel';
import { STAT_ROWS, StatsPanel, statValue } from './StatsPanel';
import { testRuns, testSnapshot } from './testFixtures';
import { TrainingPanel } from './TrainingPanel';
import { LIGHT_THEME, type PanelProps } from './types';

const SIZE = { width: 420, height: 330 };

/** The markup from `data-testid="<id>"` to the element's end (its tag's matching close at the same depth). */
function element(html: string, id: string): string {
  const start = html.indexOf(`data-testid="${id}"`);
  expect(start, `no element with data-testid="${id}"`).toBeGreaterThanOrEqual(0);
  const open = html.lastIndexOf('<', start);
  const tag = /^<([a-zA-Z]+)/.exec(html.slice(open))?.[1] ?? '';
  const pattern = new RegExp(`<(/?)${tag}\\b[^>]*?(/?)>`, 'g');
  pattern.lastIndex = open;
  let depth = 0;
  for (let match = pattern.exec(html); match; match = pattern.exec(html)) {
    if (match[2] === '/') continue;
    depth += match[1] === '/' ? -1 : 1;
    if (depth === 0) return html.slice(open, pattern.lastIndex);
  }
  throw new Error(`unclosed <${tag}> for ${id}`);
}

function render(Panel: (props: PanelProps) => ReactNode, presets: string[]): string {
  return renderToString(<Panel runs={testRuns(presets)} size={SIZE} theme={LIGHT_THEME} />);
}

const STAT_KEYS = ['wEC', 'wInter', 'intraTrain', 'interTrain', 'gapTrain', 'intraHeldout', 'interHeldout', 'trainAccuracy', 'verifyAccuracy'];

describe('Table 3 (StatsPanel)', () => {
  it('puts every statistic of each run inside that run’s own element, once', () => {
    for (const presets of [['arcface'], ['softmax', 'arcface', 'cosface', 'sphereface']]) {
      const html = render(StatsPanel, presets);
      presets.forEach((_, index) => {
        const column = element(html, `run-${index}`);
        for (const key of STAT_KEYS) expect(column.split(`data-testid="stat-${key}"`)).toHaveLength(2);
      });
      expect(html.split('data-testid="stat-wEC"')).toHaveLength(presets.length + 1);
    }
  });

  it('names each column and each row for a screen reader', () => {
    const html = render(StatsPanel, ['softmax', 'arcface']);
    const column = element(html, 'run-1');
    expect(column).toContain('aria-label="Run B: ArcFace (0.5)"');
    expect(column).toContain('<th scope="row" class="table3-row-name">W-EC</th>');
    expect(column).toContain('<th scope="row" class="table3-row-name">Verif. acc.</th>');
    // The visible label column repeats the row headers, so screen readers skip it.
    expect(html).toMatch(/<table class="table3-column table3-labels" aria-hidden="true"/);
  });

  it('reads each statistic’s raw number: degrees, or a fraction for the accuracies', () => {
    const snapshot = testSnapshot(10);
    expect(STAT_ROWS.map((row) => row.key)).toEqual(['wEC', 'wInter', 'intraTrain', 'interTrain', 'intraHeldout', 'interHeldout', 'gapTrain', 'trainAccuracy', 'verifyAccuracy']);
    expect(statValue(snapshot, 'wEC')).toBe(18.4);
    expect(statValue(snapshot, 'trainAccuracy')).toBe(0.75);
    expect(statValue(snapshot, 'verifyAccuracy')).toBe(0.998);
    expect(statValue({ ...snapshot, pairs: { ...snapshot.pairs, test: { ...snapshot.pairs.test, verification: null } } }, 'verifyAccuracy')).toBeNull();
  });
});

describe('Fig. 6 (PairsPanel)', () => {
  it('has its title and, per run, the accuracy and overlap of both parts inside the run’s element', () => {
    for (const presets of [['arcface'], ['softmax', 'arcface', 'cosface']]) {
      const html = render(PairsPanel, presets);
      expect(html).toContain('data-testid="panel-pairs"');
      expect(html).toContain('Positive and negative pairs (Fig. 6)');
      presets.forEach((_, index) => {
        const run = element(html, `run-${index}`);
        for (const id of ['pairs-accuracy-test', 'pairs-accuracy-unseen', 'pairs-overlap-test', 'pairs-overlap-unseen']) expect(run.split(`data-testid="${id}"`)).toHaveLength(2);
      });
      // Each run's figures stand over its own row of plots, lower for each later run.
      const baselines = presets.map((_, index) => Number(/data-testid="pairs-accuracy-test"[^>]*\sy="([\d.]+)"/.exec(element(html, `run-${index}`))?.[1]));
      for (let index = 1; index < baselines.length; index++) expect(baselines[index]).toBeGreaterThan(baselines[index - 1]);
    }
  });
});

describe('Fig. 3 (CirclePanel)', () => {
  it('gives each run its own sub-figure, canvas and title: (a) Softmax, (b) ArcFace', () => {
    const html = render(CirclePanel, ['softmax', 'arcface']);
    const a = element(html, 'run-0');
    const b = element(html, 'run-1');
    expect(a).toContain('(a) Softmax');
    expect(b).toContain('(b) ArcFace<');
    for (const run of [a, b]) expect(run.split('<canvas')).toHaveLength(2);
  });

  it('wraps the single circle in run-0, without a sub-figure title', () => {
    const html = render(CirclePanel, ['arcface']);
    const only = element(html, 'run-0');
    expect(only).toContain(`width:${SIZE.width}px;height:${SIZE.height}px`);
    expect(only).not.toContain('circle-subtitle');
    expect(html.split('<canvas')).toHaveLength(2);
  });
});

describe('the other panels in compare mode', () => {
  it('name every run in a legend and keep single mode free of one', () => {
    for (const Panel of [TrainingPanel, MarginPanel]) {
      const compare = render(Panel, ['softmax', 'arcface', 'cosface']);
      for (const index of [0, 1, 2]) expect(compare).toContain(`data-testid="legend-run-${index}"`);
      expect(render(Panel, ['arcface'])).not.toContain('legend-run-');
    }
  });

  it('draw one ψ per run in Fig. 4, and the single current curve otherwise', () => {
    const compare = render(LogitPanel, ['softmax', 'arcface']);
    expect(compare).toContain('data-testid="logit-curve-run-0"');
    expect(compare).toContain('data-testid="logit-curve-run-1"');
    expect(compare).toContain('A Softmax');
    expect(compare).not.toContain('logit-curve-current');
    expect(render(LogitPanel, ['arcface'])).toContain('data-testid="logit-curve-current"');
  });

  it('draw each run’s boundaries in Fig. 5, and offer the runs for the dots', () => {
    const compare = render(MarginPanel, ['softmax', 'arcface']);
    expect(compare).toContain('data-testid="margin-run-0"');
    expect(compare).toContain('data-testid="margin-run-1"');
    expect(compare).toContain('data-testid="margin-dots-run"');
    expect(render(MarginPanel, ['arcface'])).not.toContain('margin-dots-run');
  });
});
