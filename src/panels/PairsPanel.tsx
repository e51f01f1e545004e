/**
 * Fig. 6 of the paper: how far apart the angles of positive pairs (two samples of one
 * identity) and negative pairs (two identities) lie, on the held-out test samples of the
 * trained identities and on identities never trained on. Each plot shows both
 * distributions as shares of their kind (red positive, blue negative, as in the paper),
 * the best verification threshold as a line, and a bracket from the positives' 99th
 * percentile to the negatives' 1st. Above each plot its figures are written out.
 *
 * The axes and labels are SVG; the distributions change every frame, so they are
 * painted on a canvas and the figures written into their text elements from the same
 * paint, which runs once all runs have published.
 */
import { useCallback, useMemo, useRef } from 'react';
import type { PairSummary } from '../core/snapshot';
import { PAIRS_TITLE, accuracyText, overlapText, pairScales, pairsLayout, shareOutline, sharedMaxShare, type PairPart, type PairsCell, type PairsLayout } from './pairsGeometry';
import { RunLegend } from './RunLegend';
import { isCompare, runDashArray } from './runStyle';
import type { PanelProps, PanelSnapshot, PanelTheme } from './types';
import { useRunsPainter } from './useRunsPainter';

interface KindColours {
  positive: string;
  negative: string;
}

/** Red positives and blue negatives, as the paper's Fig. 6; lighter on dark paper. */
function kindColours(theme: PanelTheme): KindColours {
  return theme.name === 'dark' ? { positive: '#ff8a80', negative: '#8ab4f8' } : { positive: '#c62828', negative: '#1565c0' };
}

const FILL_OPACITY = 0.3;

function tracePath(context: CanvasRenderingContext2D, vertices: readonly [number, number][]): void {
  context.beginPath();
  vertices.forEach(([x, y], index) => {
    if (index === 0) context.moveTo(x, y);
    else context.lineTo(x, y);
  });
}

function paintCell(
  context: CanvasRenderingContext2D,
  cell: PairsCell,
  summary: PairSummary,
  maxShare: number,
  colours: KindColours,
  theme: PanelTheme,
  lineWidth: number,
  ticks: readonly number[],
): void {
  const { x, y } = pairScales(cell.plot, maxShare);
  // The θ grid goes under the distributions (on the SVG it would cover the threshold line).
  context.strokeStyle = theme.grid;
  context.lineWidth = 1;
  context.beginPath();
  for (const tick of ticks) {
    const at = Math.round(x(tick)) + 0.5;
    context.moveTo(at, cell.plot.top);
    context.lineTo(at, cell.plot.top + cell.plot.height);
  }
  context.stroke();
  const { edges, positiveShare, negativeShare } = summary.histogram;
  // Negatives first: the positives' narrow peak stays on top of the broad negatives.
  for (const [shares, colour] of [
    [negativeShare, colours.negative],
    [positiveShare, colours.positive],
  ] as const) {
    const outline = shareOutline(edges, shares, x, y);
    if (outline.length === 0) continue;
    tracePath(context, outline);
    context.closePath();
    context.globalAlpha = FILL_OPACITY;
    context.fillStyle = colour;
    context.fill();
    context.globalAlpha = 1;
    context.strokeStyle = colour;
    context.lineWidth = lineWidth;
    context.stroke();
  }
  const { plot } = cell;
  if (summary.p99Positive !== null && summary.p1Negative !== null) {
    // From the positives' 99th percentile to the negatives' 1st: the gap (or overlap) the text names.
    const from = x(summary.p99Positive);
    const to = x(summary.p1Negative);
    const at = plot.top + 3;
    context.strokeStyle = theme.muted;
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(from, at + 4);
    context.lineTo(from, at);
    context.lineTo(to, at);
    context.lineTo(to, at + 4);
    context.stroke();
  }
  if (summary.verification) {
    const at = Math.round(x(summary.verification.threshold)) + 0.5;
    context.strokeStyle = theme.ink;
    context.lineWidth = Math.max(1.5, lineWidth);
    context.setLineDash([4, 3]);
    context.beginPath();
    context.moveTo(at, plot.top);
    context.lineTo(at, plot.top + plot.height);
    context.stroke();
    context.setLineDash([]);
  }
}

function textKey(run: number, part: PairPart, line: 'accuracy' | 'overlap'): string {
  return `${run}:${part}:${line}`;
}

function writeFigures(texts: Map<string, SVGTextElement>, run: number, part: PairPart, summary: PairSummary | undefined, layout: PairsLayout): void {
  const accuracy = texts.get(textKey(run, part, 'accuracy'));
  const overlap = texts.get(textKey(run, part, 'overlap'));
  // Where the plot is too narrow for the full wording, a screen reader still gets it.
  // aria-label needs a role that takes a name: an SVG <text> has none of its own.
  const spoken = (element: SVGTextElement, full: string): void => {
    if (layout.wording === 'long') {
      element.removeAttribute('role');
      element.removeAttribute('aria-label');
    } else {
      element.setAttribute('role', 'img');
      element.setAttribute('aria-label', full);
    }
  };
  if (accuracy) {
    const verification = summary?.verification ?? null;
    accuracy.textContent = accuracyText(verification, layout.wording);
    spoken(accuracy, accuracyText(verification, 'long'));
    // Test contract (e2e): the raw balanced accuracy (a fraction) and threshold (degrees) behind the text.
    if (verification) {
      accuracy.dataset.value = String(verification.accuracy);
      accuracy.dataset.threshold = String(verification.threshold);
    } else {
      delete accuracy.dataset.value;
      delete accuracy.dataset.threshold;
    }
  }
  if (overlap) {
    overlap.textContent = summary ? overlapText(summary, layout.wording) : '–';
    spoken(overlap, summary ? overlapText(summary, 'long') : 'no pairs');
    // p99 positive − p1 negative, degrees: below 0 the distributions are apart.
    if (summary && summary.overlap !== null) overlap.dataset.value = String(summary.overlap);
    else delete overlap.dataset.value;
  }
}

export function PairsPanel({ runs, size, theme }: PanelProps) {
  const compare = isCompare(runs);
  const lineWidth = Math.max(1.25, theme.lineWidth * 0.5);
  const legendEntries = useMemo(() => runs.map((run) => ({ letter: run.letter, text: run.label })), [runs]);
  const layout = useMemo(() => pairsLayout(size, theme.fontSize, lineWidth, compare ? legendEntries : []), [size, theme.fontSize, lineWidth, compare, legendEntries]);
  const texts = useRef(new Map<string, SVGTextElement>());
  const colours = kindColours(theme);

  const paint = useCallback(
    (context: CanvasRenderingContext2D, snapshots: readonly PanelSnapshot[]) => {
      const summaries = snapshots.flatMap((snapshot) => [snapshot.pairs?.test, snapshot.pairs?.unseen]);
      const maxShare = sharedMaxShare(summaries);
      const palette = kindColours(theme);
      let plots = 0;
      for (const cell of layout.cells) {
        const summary = snapshots[cell.run]?.pairs?.[cell.part];
        writeFigures(texts.current, cell.run, cell.part, summary, layout);
        if (!summary) continue;
        paintCell(context, cell, summary, maxShare, palette, theme, lineWidth, layout.ticks);
        plots++;
      }
      // Test contract (e2e): how many plots this paint filled, and for which step.
      context.canvas.dataset.plots = String(plots);
      context.canvas.dataset.step = String(snapshots[snapshots.length - 1].step);
    },
    [layout, theme, lineWidth],
  );
  const canvasRef = useRunsPainter(runs, size, paint);

  const small = layout.smallFont;
  const textRef = (run: number, part: PairPart, line: 'accuracy' | 'overlap') => (element: SVGTextElement | null) => {
    if (element) texts.current.set(textKey(run, part, line), element);
    else texts.current.delete(textKey(run, part, line));
  };
  const swatch = (x: number, colour: string) => (
    <rect x={x} y={layout.kindLegend.y - small * 0.4} width={layout.swatchWidth} height={small * 0.8} fill={colour} fillOpacity={FILL_OPACITY} stroke={colour} strokeWidth={lineWidth} />
  );
  const description = compare
    ? `Angles between positive and negative pairs of runs ${runs.map((run) => `${run.letter} (${run.label})`).join(', ')}, on held-out samples of the trained identities and on unseen identities, with the best verification threshold.`
    : 'Angles between positive pairs (same identity) and negative pairs (different identities), on held-out samples of the trained identities and on unseen identities, with the best verification threshold.';

  return (
    <figure className="panel" data-testid="panel-pairs" style={{ width: size.width, height: size.height, color: theme.ink }}>
      <figcaption className="panel-title" style={{ height: layout.titleHeight, boxSizing: 'border-box' }}>
        {PAIRS_TITLE}
      </figcaption>
      <canvas ref={canvasRef} className="panel-layer" data-testid="pairs-histograms" style={{ width: size.width, height: size.height }} />
      {/* No role="img": the figures written above the plots are text a screen reader should reach. */}
      <svg className="panel-layer" width={size.width} height={size.height} fontSize={small}>
        <title>{description}</title>
        <g>
          {swatch(layout.kindLegend.positiveX, colours.positive)}
          <text x={layout.kindLegend.positiveX + layout.swatchWidth + 4} y={layout.kindLegend.y} dominantBaseline="central" fill={theme.ink}>
            {layout.kindLegend.positiveText}
          </text>
          {swatch(layout.kindLegend.negativeX, colours.negative)}
          <text x={layout.kindLegend.negativeX + layout.swatchWidth + 4} y={layout.kindLegend.y} dominantBaseline="central" fill={theme.ink}>
            {layout.kindLegend.negativeText}
          </text>
        </g>
        {compare && <RunLegend runs={runs} placement={layout.runLegend} left={layout.runLegendLeft} top={layout.runLegendTop} fontSize={small} lineWidth={lineWidth} theme={theme} />}
        {layout.columnTitles.map((title) => (
          <text key={title.x} x={title.x} y={title.y} fill={theme.muted} fontWeight={600}>
            {title.text}
          </text>
        ))}
        {layout.cells.map((cell) => (
          <g key={`${cell.run}:${cell.part}`}>
            <line x1={cell.plot.left} x2={cell.plot.left + cell.plot.width} y1={cell.plot.top + cell.plot.height} y2={cell.plot.top + cell.plot.height} stroke={theme.muted} />
            {cell.title && (
              <text x={cell.plot.left} y={cell.title.y} fill={theme.muted} fontWeight={600}>
                {cell.title.text}
              </text>
            )}
          </g>
        ))}
        {layout.axes.map((axis) => (
          <g key={axis.left} fill={theme.muted} textAnchor="middle">
            {layout.ticks.map((tick) => (
              <text key={tick} x={axis.left + (tick / 180) * axis.width} y={axis.y}>
                {tick}°
              </text>
            ))}
          </g>
        ))}
        {runs.map((run, position) => {
          const band = layout.runBands[position];
          return (
            <g key={run.index} data-testid={`run-${run.index}`}>
              {compare && band && (
                <g>
                  <title>{`Run ${run.letter}: ${run.label}`}</title>
                  <line
                    x1={layout.runLegendLeft + 1}
                    x2={layout.runLegendLeft + 1}
                    y1={band.top}
                    y2={band.bottom}
                    stroke={run.colour}
                    strokeWidth={lineWidth * 1.5}
                    strokeDasharray={runDashArray(run.index, lineWidth * 1.5)}
                  />
                  <text x={layout.runLegendLeft + layout.gutter / 2 + 2} y={band.letterY} textAnchor="middle" dominantBaseline="central" fontWeight={700} fontSize={layout.fontSize} fill={theme.ink}>
                    {run.letter}
                  </text>
                </g>
              )}
              {layout.cells
                .filter((cell) => cell.run === position)
                .map((cell) => (
                  <g key={cell.part}>
                    <text ref={textRef(position, cell.part, 'accuracy')} data-testid={`pairs-accuracy-${cell.part}`} x={cell.plot.left} y={cell.lineYs[0]} fill={theme.ink}>
                      –
                    </text>
                    <text ref={textRef(position, cell.part, 'overlap')} data-testid={`pairs-overlap-${cell.part}`} x={cell.plot.left} y={cell.lineYs[1]} fill={theme.muted}>
                      –
                    </text>
                  </g>
                ))}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
