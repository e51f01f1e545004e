/**
 * The page's memory of a backend verdict (src/core/backendVerdict.ts), in localStorage,
 * so the next visit starts on the winner without a warm-up. The worker cannot reach
 * localStorage, so the page reads the record and hands it over with `init`. Storage that
 * is missing or throws (a private window, a sandboxed frame, a full quota) means no
 * memory: every visit then warms up again, and nothing else changes.
 */
import { parseVerdictRecord, type VerdictRecord } from '../core/backendVerdict';

/** Set by vite.config.ts: package.json's version and the commit the build came from. */
declare const __APP_VERSION__: string;

/** A remembered verdict holds only for the app version (and commit) that measured it. */
export const APP_VERSION: string = __APP_VERSION__;

export const VERDICT_STORAGE_KEY = 'arcface-playground.backend-verdict';

/** The part of Storage the memory uses, so tests can pass a fake. */
export type VerdictStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface VerdictMemory {
  /** The stored record, or null when there is none, it is malformed, or storage fails. */
  read(): VerdictRecord | null;
  /** Stores `record`; false when storage refused. */
  write(record: VerdictRecord): boolean;
}

/** window.localStorage, or null where merely reaching it throws (as some private modes and sandboxed frames do). */
export function browserStorage(): VerdictStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function verdictMemory(storage: () => VerdictStorage | null = browserStorage): VerdictMemory {
  return {
    read: () => {
      try {
        const text = storage()?.getItem(VERDICT_STORAGE_KEY);
        return text ? parseVerdictRecord(JSON.parse(text)) : null;
      } catch {
        return null;
      }
    },
    write: (record) => {
      try {
        const target = storage();
        if (!target) return false;
        target.setItem(VERDICT_STORAGE_KEY, JSON.stringify(record));
        return true;
      } catch {
        return false;
      }
    },
  };
}
