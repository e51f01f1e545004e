/**
 * The offline copy's update policy, apart from the browser so it can be unit-tested.
 * A new version is installed in the background but never takes over by itself: a lecture
 * in progress keeps its run until the user asks for the new version (or the tab closes).
 */

/**
 * none: nothing to offer. waiting: a newer version is installed and waits for the user.
 * dismissed: the user chose to keep this version for now. activating: the user asked
 * for the new version; the page reloads once it controls the page.
 */
export type UpdatePhase = 'none' | 'waiting' | 'dismissed' | 'activating';

/** Activates the waiting service worker; resolves once asked (the reload follows on `controlling`). */
export type ActivateWaitingWorker = () => Promise<void>;

export interface UpdateStore {
  getPhase(): UpdatePhase;
  subscribe(listener: () => void): () => void;
  /** The registration gives the way to activate a waiting worker once it exists. */
  connect(activate: ActivateWaitingWorker): void;
  /** The registration found a newer version installed and waiting. */
  newVersionWaiting(): void;
  dismiss(): void;
  accept(): void;
}

export function createUpdateStore(warn: (message: string) => void = (message) => console.warn(message)): UpdateStore {
  let phase: UpdatePhase = 'none';
  let activate: ActivateWaitingWorker | null = null;
  const listeners = new Set<() => void>();
  const setPhase = (next: UpdatePhase): void => {
    if (next === phase) return;
    phase = next;
    for (const listener of listeners) listener();
  };
  return {
    getPhase: () => phase,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connect(next) {
      activate = next;
    },
    newVersionWaiting() {
      // Once the user has asked for it, a second "waiting" (another tab, a later deploy) changes nothing.
      if (phase !== 'activating') setPhase('waiting');
    },
    dismiss() {
      if (phase === 'waiting') setPhase('dismissed');
    },
    accept() {
      if (phase !== 'waiting') return;
      if (!activate) {
        warn('A new version is waiting, but the service worker registration is not connected; reload the page to use it.');
        return;
      }
      setPhase('activating');
      activate().catch((error: unknown) => {
        warn(`Could not switch to the new version (${error instanceof Error ? error.message : String(error)}); it will load next time the page opens.`);
        setPhase('waiting');
      });
    },
  };
}

/** The two waits before registering: the next painted frame, then an idle moment. */
export interface IdleScheduler {
  afterNextPaint(callback: () => void): void;
  whenIdle(callback: () => void): void;
}

/** Longest wait for an idle moment: a page that trains every frame may never be fully idle. */
export const IDLE_TIMEOUT_MS = 4000;

export function browserIdleScheduler(): IdleScheduler {
  return {
    // requestAnimationFrame runs just before a paint; a task queued from it runs just after.
    afterNextPaint: (callback) => requestAnimationFrame(() => setTimeout(callback, 0)),
    whenIdle: (callback) => {
      // Safari has no requestIdleCallback.
      if (typeof requestIdleCallback === 'function') requestIdleCallback(() => callback(), { timeout: IDLE_TIMEOUT_MS });
      else setTimeout(callback, 200);
    },
  };
}

/**
 * Registers the service worker only after the first frame is on screen and the page has a
 * quiet moment, so fetching and precaching a few MB never delays the first picture.
 */
export function registerWhenIdle(register: () => void, scheduler: IdleScheduler = browserIdleScheduler()): void {
  scheduler.afterNextPaint(() => scheduler.whenIdle(register));
}
