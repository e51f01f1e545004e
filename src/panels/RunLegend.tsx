/**
 * The marks that name a run beside its colour: a legend of runs in SVG (placed by
 * legendGeometry) and a chip (swatch and letter) for HTML headings.
 */
import type { LegendPlacement } from './legendGeometry';
import { runDashArray } from './runStyle';
import type { PanelRun, PanelTheme } from './types';
import './runs.css';

interface RunLegendProps {
  runs: readonly PanelRun[];
  placement: LegendPlacement;
  /** Top-left of the legend in the enclosing SVG. */
  left: number;
  top: number;
  fontSize: number;
  /** The width the runs' lines have on the plot, so the swatch shows the same dash. */
  lineWidth: number;
  theme: PanelTheme;
}

export function RunLegend({ runs, placement, left, top, fontSize, lineWidth, theme }: RunLegendProps) {
  return (
    <g transform={`translate(${left},${top})`} fontSize={fontSize}>
      {runs.map((run, index) => {
        const item = placement.items[index];
        if (!item) return null;
        return (
          <g key={run.index} data-testid={`legend-run-${run.index}`}>
            <title>{`Run ${run.letter}: ${run.label}`}</title>
            <line x1={item.x} x2={item.x + placement.swatchWidth} y1={item.y} y2={item.y} stroke={run.colour} strokeWidth={lineWidth} strokeDasharray={runDashArray(run.index, lineWidth)} />
            <text x={item.letterX} y={item.y} dominantBaseline="central" fontWeight={700} fill={theme.ink}>
              {run.letter}
            </text>
            <text x={item.textX} y={item.y} dominantBaseline="central" fill={theme.ink}>
              {item.text}
            </text>
          </g>
        );
      })}
    </g>
  );
}

interface RunChipProps {
  run: PanelRun;
  /** Height of the chip, px; the swatch is twice as long. */
  size: number;
  lineWidth: number;
}

/** An inline swatch of the run's line with its letter, for HTML text such as a column header. */
export function RunChip({ run, size, lineWidth }: RunChipProps) {
  const width = Math.round(size * 2);
  return (
    <span className="run-chip">
      <svg width={width} height={size} aria-hidden="true" focusable="false">
        <line x1={0} x2={width} y1={size / 2} y2={size / 2} stroke={run.colour} strokeWidth={lineWidth} strokeDasharray={runDashArray(run.index, lineWidth)} />
      </svg>
      <strong>{run.letter}</strong>
    </span>
  );
}
