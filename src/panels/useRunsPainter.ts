import { useEffect, useMemo, useRef } from 'react';
import type { SnapshotBus } from './snapshotBus';
import type { PanelRun, PanelSize, PanelSnapshot } from './types';

/** Every bus's latest snapshot, in order, or null while any bus has none yet. */
export function latestSnapshots(buses: readonly SnapshotBus[]): PanelSnapshot[] | null {
  const snapshots: PanelSnapshot[] = [];
  for (const bus of buses) {
    if (!bus.latest) return null;
    snapshots.push(bus.latest);
  }
  return snapshots;
}

/**
 * Calls `onFrame` with every run's latest snapshot once per frame. The runs' buses
 * publish in the same animation frame, run 0 first, so the frame is complete when the
 * last bus publishes: listening to that one alone draws each frame once, never with
 * run 0 a step ahead of the others. Calls once at once when every bus has a snapshot.
 * Returns the unsubscribe.
 */
export function subscribeRuns(buses: readonly SnapshotBus[], onFrame: (snapshots: PanelSnapshot[]) => void): () => void {
  const last = buses[buses.length - 1];
  if (!last) return () => {};
  const frame = (): void => {
    const snapshots = latestSnapshots(buses);
    if (snapshots) onFrame(snapshots);
  };
  frame();
  return last.subscribe(frame);
}

/**
 * Gives a panel a canvas sized for the device pixel ratio and calls `paint` with every
 * bus's latest snapshot (in order) when the last bus publishes, and again when `paint`,
 * the buses or the size change. The context is in CSS pixels.
 */
export function useBusesPainter(buses: readonly SnapshotBus[], size: PanelSize, paint: (context: CanvasRenderingContext2D, snapshots: readonly PanelSnapshot[]) => void) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return undefined;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.width * ratio);
    canvas.height = Math.round(size.height * ratio);
    return subscribeRuns(buses, (snapshots) => {
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, size.width, size.height);
      paint(context, snapshots);
    });
  }, [buses, size.width, size.height, paint]);
  return canvasRef;
}

/** useBusesPainter for a panel that draws every run on one canvas, in run order. */
export function useRunsPainter(runs: readonly PanelRun[], size: PanelSize, paint: (context: CanvasRenderingContext2D, snapshots: readonly PanelSnapshot[]) => void) {
  const buses = useMemo(() => runs.map((run) => run.bus), [runs]);
  return useBusesPainter(buses, size, paint);
}
