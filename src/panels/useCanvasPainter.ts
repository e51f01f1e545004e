import { useEffect, useRef } from 'react';
import type { SnapshotBus } from './snapshotBus';
import type { PanelSize, PanelSnapshot } from './types';

/**
 * Gives a panel a canvas sized for the device pixel ratio and calls `paint` with each
 * snapshot from the bus (and again when `paint` itself changes, i.e. when params, size
 * or theme do). `paint` gets a context in CSS pixels.
 */
export function useCanvasPainter(bus: SnapshotBus, size: PanelSize, paint: (context: CanvasRenderingContext2D, snapshot: PanelSnapshot) => void) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return undefined;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.width * ratio);
    canvas.height = Math.round(size.height * ratio);
    const draw = (snapshot: PanelSnapshot): void => {
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, size.width, size.height);
      paint(context, snapshot);
    };
    if (bus.latest) draw(bus.latest);
    return bus.subscribe(draw);
  }, [bus, size.width, size.height, paint]);
  return canvasRef;
}
