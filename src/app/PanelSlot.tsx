import type { ComponentType } from 'react';
import type { Params } from '../core/schema';
import type { SnapshotBus } from '../panels/snapshotBus';
import type { PanelProps, PanelTheme } from '../panels/types';
import { useElementSize } from './useElementSize';

interface PanelSlotProps {
  area: string;
  panel: ComponentType<PanelProps>;
  params: Params;
  theme: PanelTheme;
  bus: SnapshotBus;
}

/** A grid cell that measures itself and hands its size to the panel inside. */
export function PanelSlot({ area, panel: Panel, params, theme, bus }: PanelSlotProps) {
  const [ref, size] = useElementSize<HTMLDivElement>();
  return (
    <div className={`slot slot-${area}`} ref={ref}>
      {size.width > 0 && size.height > 0 && <Panel params={params} size={size} theme={theme} bus={bus} />}
    </div>
  );
}
