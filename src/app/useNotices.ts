/**
 * The page's dismissable notices: a corrected link, a backend change, a failed export.
 * They say what happened and what to do; none of them belongs to one training run.
 */
import { useCallback, useRef, useState } from 'react';

export interface Notice {
  /** Unique on the page, so dismissing one notice never moves another's text into its place. */
  id: number;
  message: string;
}

interface Notices {
  list: readonly Notice[];
  add(message: string): void;
  dismiss(id: number): void;
}

/** What a corrected link starts with: one notice naming every correction, or none. */
export function linkCorrectionNotices(corrections: readonly string[]): string[] {
  return corrections.length > 0 ? [`This link had settings that could not be used as given: ${corrections.join('; ')}.`] : [];
}

export function withNotice(list: readonly Notice[], notice: Notice): Notice[] {
  return [...list, notice];
}

export function withoutNotice(list: readonly Notice[], id: number): Notice[] {
  return list.filter((notice) => notice.id !== id);
}

/** `initial` runs once, on the first render. */
export function useNotices(initial: () => string[]): Notices {
  const nextId = useRef(0);
  const [list, setList] = useState<readonly Notice[]>(() => initial().map((message) => ({ id: nextId.current++, message })));
  // Stable, so a worker or an export button can hold on to them.
  const add = useCallback((message: string) => {
    // The id is taken outside the updater: StrictMode runs updaters twice.
    const notice = { id: nextId.current++, message };
    setList((current) => withNotice(current, notice));
  }, []);
  const dismiss = useCallback((id: number) => setList((current) => withoutNotice(current, id)), []);
  return { list, add, dismiss };
}
