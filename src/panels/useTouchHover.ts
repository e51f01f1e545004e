/**
 * What hover shows, for a finger. A touch pointer has no hover: it arrives with
 * pointerdown and leaves as soon as it lifts, so a tooltip that follows pointermove and
 * pointerleave would flash for a moment and vanish. The panels treat pointerdown like a
 * move (a tap shows the tooltip), this keeps it when the finger lifts, and a tap
 * anywhere else, or a scroll that takes the pointer over, hides it. A mouse is unchanged.
 */
import { useCallback, useEffect, useRef, type PointerEvent as ReactPointerEvent } from 'react';

export interface TouchHover<T extends Element> {
  /** The element whose pointer events show the tooltip: a tap inside it is not "elsewhere". */
  ref: React.RefObject<T | null>;
  onPointerLeave: (event: ReactPointerEvent) => void;
  onPointerCancel: () => void;
}

export function useTouchHover<T extends Element>(shown: boolean, clear: () => void): TouchHover<T> {
  const ref = useRef<T | null>(null);
  const clearRef = useRef(clear);
  useEffect(() => {
    clearRef.current = clear;
  }, [clear]);
  useEffect(() => {
    if (!shown) return undefined;
    const onPointerDown = (event: PointerEvent): void => {
      if (event.target instanceof Node && ref.current?.contains(event.target)) return;
      clearRef.current();
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [shown]);
  const onPointerLeave = useCallback((event: ReactPointerEvent) => {
    if (event.pointerType !== 'touch') clearRef.current();
  }, []);
  const onPointerCancel = useCallback(() => clearRef.current(), []);
  return { ref, onPointerLeave, onPointerCancel };
}

/** How far (px) from a mark a pointer may be and still pick it: a fingertip covers more than a cursor. */
export function pickReach(pointerType: string, mouseReach: number): number {
  return pointerType === 'touch' ? Math.max(mouseReach, 24) : mouseReach;
}
