import { useCallback, useRef, type ComponentType } from 'react';
import type { PanelProps, PanelRun, PanelTheme } from '../panels/types';
import { PanelExportButtons } from './ExportButtons';
import { compareSettingName, exportFileName, parameterCaption, runsCaption } from './exportData';
import { useElementSize } from './useElementSize';

interface PanelSlotProps {
  area: string;
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
 * A grid cell that measures itself, hands its size to the panel inside, and offers its
 * export. In compare mode the panel draws every run, so its export is one figure of all
 * of them.
 */
export function PanelSlot({ area, panel: Panel, runs, theme, wide = false, onError }: PanelSlotProps) {
  const [ref, size] = useElementSize<HTMLDivElement>();
  // Read when a button is clicked, so the callbacks stay stable while the runs change.
  const runsRef = useRef(runs);
  runsRef.current = runs;
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
  return (
    <div className={`slot slot-${area}${wide ? ' slot-wide' : ''}`} ref={ref}>
      {size.width > 0 && size.height > 0 && <Panel runs={runs} size={size} theme={theme} />}
      <PanelExportButtons getFigure={getFigure} name={area} caption={caption} fileName={fileName} onError={onError} />
    </div>
  );
}
