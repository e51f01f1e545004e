import { useCallback, useRef, type ComponentType } from 'react';
import type { Params } from '../core/schema';
import type { SnapshotBus } from '../panels/snapshotBus';
import type { PanelProps, PanelTheme } from '../panels/types';
import { PanelExportButtons } from './ExportButtons';
import { exportFileName, parameterCaption } from './exportData';
import { useElementSize } from './useElementSize';

interface PanelSlotProps {
  area: string;
  panel: ComponentType<PanelProps>;
  params: Params;
  theme: PanelTheme;
  bus: SnapshotBus;
  onError: (message: string) => void;
}

/** A grid cell that measures itself, hands its size to the panel inside, and offers its export. */
export function PanelSlot({ area, panel: Panel, params, theme, bus, onError }: PanelSlotProps) {
  const [ref, size] = useElementSize<HTMLDivElement>();
  const paramsRef = useRef(params);
  paramsRef.current = params;
  const getFigure = useCallback(() => ref.current?.querySelector('figure') ?? null, [ref]);
  const caption = useCallback(() => parameterCaption(paramsRef.current, bus.latest?.step ?? 0), [bus]);
  const fileName = useCallback((ext: string) => exportFileName(area, paramsRef.current, bus.latest?.step ?? 0, ext), [area, bus]);
  return (
    <div className={`slot slot-${area}`} ref={ref}>
      {size.width > 0 && size.height > 0 && <Panel params={params} size={size} theme={theme} bus={bus} />}
      <PanelExportButtons getFigure={getFigure} name={area} caption={caption} fileName={fileName} onError={onError} />
    </div>
  );
}
