import { useCallback, useEffect, useRef, type ComponentType } from 'react';
import type { PanelName } from '../core/urlState';
import { PANEL_ACCESSIBLE_NAMES, WAITING_SUMMARY, framePlaying, panelSummary, summaryDelay, summaryRuns } from '../panels/summary';
import type { PanelProps, PanelRun, PanelTheme } from '../panels/types';
import { subscribeRuns } from '../panels/useRunsPainter';
import { PanelExportButtons } from './ExportButtons';
import { compareSettingName, exportFileName, parameterCaption, runsCaption } from './exportData';
import { useElementSize } from './useElementSize';
import './a11y.css';

interface PanelSlotProps {
  area: PanelName;
  panel: ComponentType<PanelProps>;
  /** Every run, A first; one in single mode. */
  runs: readonly PanelRun[];
  theme: PanelTheme;
  /** Spans two columns of an embed's grid (compare mode's side-by-side circles). */
  wide?: boolean;
  onError: (message: string) => void;
}

/** What a panel's export says it shows: the setting, or in compare mode one line per run. */
function captionOf(runs: readonly PanelRun[]): string {
  const step = runs[0]?.bus.latest?.step ?? 0;
  if (runs.length > 1) return runsCaption(runs, step);
  return runs[0] ? parameterCaption(runs[0].params, step) : '';
}

/**
 * Keeps the panel's text summary in `element` up to date from the runs' buses, outside
 * React, and decides when a screen reader hears it.
 *
 * While training, the summary is rewritten at most every 2 s and the region is
 * aria-live="off": six panels changing every 2 s would be a stream of speech nobody
 * could follow, yet a reader who moves onto the summary still finds numbers at most 2 s
 * old. A paused or stepped frame turns the region to "polite" and is written at once
 * (after 0.5 s at most, when → is held down), so a pause or a step is read out when the
 * reader is next idle, once. The aria-live value is set before the text changes, so the
 * change is judged by the new value.
 */
function usePanelSummary(area: PanelName, runs: readonly PanelRun[]) {
  const summaryRef = useRef<HTMLParagraphElement | null>(null);
  useEffect(() => {
    const element = summaryRef.current;
    if (!element) return undefined;
    let lastWrite = Number.NEGATIVE_INFINITY;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let due = Number.POSITIVE_INFINITY;
    const write = (): void => {
      timer = undefined;
      due = Number.POSITIVE_INFINITY;
      const latest = runs[0]?.bus.latest;
      // The first summary replaces "waiting" as the page loads: not worth interrupting for.
      const announce = Number.isFinite(lastWrite) && latest !== null && latest !== undefined && !framePlaying(latest);
      element.setAttribute('aria-live', announce ? 'polite' : 'off');
      element.textContent = panelSummary(area, summaryRuns(runs));
      lastWrite = performance.now();
    };
    element.textContent = WAITING_SUMMARY;
    const unsubscribe = subscribeRuns(
      runs.map((run) => run.bus),
      (snapshots) => {
        const now = performance.now();
        const delay = summaryDelay(framePlaying(snapshots[0]), now - lastWrite);
        // A frame never pushes a planned write later, but a pause may bring it forward.
        if (now + delay >= due) return;
        if (timer !== undefined) clearTimeout(timer);
        if (delay === 0) {
          write();
          return;
        }
        due = now + delay;
        timer = setTimeout(write, delay);
      },
    );
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [area, runs]);
  return summaryRef;
}

/**
 * A grid cell that measures itself, hands its size to the panel inside, and offers its
 * export. In compare mode the panel draws every run, so its export is one figure of all
 * of them. For screen readers it is a named group whose description is the panel's
 * text summary.
 */
export function PanelSlot({ area, panel: Panel, runs, theme, wide = false, onError }: PanelSlotProps) {
  const [ref, size] = useElementSize<HTMLDivElement>();
  // Read when a button is clicked, so the callbacks stay stable while the runs change.
  const runsRef = useRef(runs);
  runsRef.current = runs;
  const summaryRef = usePanelSummary(area, runs);
  const getFigure = useCallback(() => ref.current?.querySelector('figure') ?? null, [ref]);
  const caption = useCallback(() => captionOf(runsRef.current), []);
  const fileName = useCallback(
    (ext: string) => {
      // There is always at least run A: single mode is one run.
      const current = runsRef.current;
      const first = current[0];
      const step = first.bus.latest?.step ?? 0;
      return current.length > 1 ? exportFileName(area, first.params, step, ext, compareSettingName(current)) : exportFileName(area, first.params, step, ext);
    },
    [area],
  );
  const summaryId = `summary-${area}`;
  return (
    // tabIndex -1: a tap focuses the slot (never Tab), which is what shows the export buttons on a touch screen.
    // biome-ignore lint/a11y/useSemanticElements: a fieldset groups form fields; this groups a figure with its summary and export buttons.
    <div className={`slot slot-${area}${wide ? ' slot-wide' : ''}`} ref={ref} role="group" tabIndex={-1} aria-label={PANEL_ACCESSIBLE_NAMES[area]} aria-describedby={summaryId}>
      {/* Filled outside React (usePanelSummary), so it has no children here for React to reconcile. */}
      <p className="visually-hidden" id={summaryId} data-testid={summaryId} ref={summaryRef} aria-live="off" aria-atomic="true" />
      {size.width > 0 && size.height > 0 && <Panel runs={runs} size={size} theme={theme} />}
      <PanelExportButtons getFigure={getFigure} name={area} caption={caption} fileName={fileName} onError={onError} />
    </div>
  );
}
