import { useCallback, useMemo } from 'react';
import type { SnapshotBus } from './snapshotBus';
import type { PanelSize, PanelSnapshot } from './types';
import { useBusesPainter } from './useRunsPainter';

/**
 * A canvas painted from one bus: `paint` gets each snapshot it publishes (and is called
 * again when `paint` itself changes, i.e. when params, size or theme do).
 */
export function useCanvasPainter(bus: SnapshotBus, size: PanelSize, paint: (context: CanvasRenderingContext2D, snapshot: PanelSnapshot) => void) {
  const buses = useMemo(() => [bus], [bus]);
  const paintOne = useCallback((context: CanvasRenderingContext2D, snapshots: readonly PanelSnapshot[]) => paint(context, snapshots[0]), [paint]);
  return useBusesPainter(buses, size, paintOne);
}
