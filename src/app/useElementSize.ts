import { useEffect, useRef, useState } from 'react';
import type { PanelSize } from '../panels/types';

/** The content size of an element, following resizes; a new object only when it changes. */
export function useElementSize<T extends HTMLElement>(): [React.RefObject<T | null>, PanelSize] {
  const ref = useRef<T | null>(null);
  const [size, setSize] = useState<PanelSize>({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry.contentRect.width);
      const height = Math.floor(entry.contentRect.height);
      setSize((current) => (current.width === width && current.height === height ? current : { width, height }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}
