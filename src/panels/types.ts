/**
 * The contract every panel follows. A panel is a React component of (params, size,
 * theme) that draws the slow-changing parts (axes, labels, curves that depend on the
 * margin) in SVG, and paints the per-frame parts (points, histograms, W lines) on a
 * canvas when the snapshot bus publishes — so React never re-renders per frame.
 * The geometry itself lives in pure, exported functions that tests call directly.
 */
import type { Params } from '../core/schema';
import type { TrainerSnapshot } from '../core/snapshot';
import type { SnapshotBus } from './snapshotBus';

export interface PanelSize {
  width: number;
  height: number;
}

export interface PanelTheme {
  name: 'light' | 'dark' | 'projector';
  ink: string;
  muted: string;
  grid: string;
  paper: string;
  /** Highlight for the current curve or selection. */
  accent: string;
  /** Base font size of axis labels, px. */
  fontSize: number;
  /** Width of the bold (current) curve, px. */
  lineWidth: number;
}

/** What panels read from a snapshot; the worker's snapshot adds transport fields. */
export type PanelSnapshot = TrainerSnapshot & { stepsPerSecond?: number; generation?: number; backend?: string };

/**
 * One training run as a panel sees it. Single mode is one run; compare mode trains 2 to
 * 4 in lockstep, so every run's bus publishes in the same animation frame, run 0 first.
 */
export interface PanelRun {
  /** Position in the session, 0 first; wrappers of a run's marks carry `data-testid="run-<index>"`. */
  index: number;
  /** 'A', 'B', 'C' or 'D': how the page names the run beside its colour. */
  letter: string;
  /** The run's preset name ('Softmax', 'ArcFace') or a description of its custom margin. */
  label: string;
  /** The run's colour, from the run palette in core (never an identity colour). */
  colour: string;
  params: Params;
  bus: SnapshotBus;
}

export interface PanelProps {
  /** Every run, in order; one in single mode. */
  runs: readonly PanelRun[];
  size: PanelSize;
  theme: PanelTheme;
}

export const LIGHT_THEME: PanelTheme = { name: 'light', ink: '#1d1d1f', muted: '#5f6368', grid: '#dadce0', paper: '#ffffff', accent: '#c2185b', fontSize: 11, lineWidth: 2.5 };
export const DARK_THEME: PanelTheme = { name: 'dark', ink: '#e8eaed', muted: '#a0a4a8', grid: '#3c4043', paper: '#1f2023', accent: '#ff79b0', fontSize: 11, lineWidth: 2.5 };
export const PROJECTOR_THEME: PanelTheme = { name: 'projector', ink: '#000000', muted: '#333333', grid: '#bbbbbb', paper: '#ffffff', accent: '#c2185b', fontSize: 16, lineWidth: 4 };
