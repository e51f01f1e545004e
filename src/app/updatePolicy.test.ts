import { describe, expect, it, vi } from 'vitest';
import { createUpdateStore, registerWhenIdle, type IdleScheduler } from './updatePolicy';

/** Resolves after pending promise callbacks have run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('createUpdateStore', () => {
  it('offers nothing until a newer version waits, then offers it and tells its subscribers', () => {
    const store = createUpdateStore();
    const seen: string[] = [];
    store.subscribe(() => seen.push(store.getPhase()));
    expect(store.getPhase()).toBe('none');
    store.newVersionWaiting();
    expect(store.getPhase()).toBe('waiting');
    expect(seen).toEqual(['waiting']);
  });

  it('never activates the waiting worker by itself: only accept() does, once', async () => {
    const store = createUpdateStore();
    const activate = vi.fn(() => Promise.resolve());
    store.connect(activate);
    store.newVersionWaiting();
    store.newVersionWaiting();
    await settle();
    expect(activate).not.toHaveBeenCalled();
    store.accept();
    store.accept();
    store.newVersionWaiting();
    await settle();
    expect(activate).toHaveBeenCalledTimes(1);
    expect(store.getPhase()).toBe('activating');
  });

  it('dismiss hides the offer without activating; a later version is offered again', async () => {
    const store = createUpdateStore();
    const activate = vi.fn(() => Promise.resolve());
    store.connect(activate);
    store.newVersionWaiting();
    store.dismiss();
    expect(store.getPhase()).toBe('dismissed');
    store.accept();
    await settle();
    expect(activate).not.toHaveBeenCalled();
    store.newVersionWaiting();
    expect(store.getPhase()).toBe('waiting');
  });

  it('accept with nothing waiting does nothing', async () => {
    const store = createUpdateStore();
    const activate = vi.fn(() => Promise.resolve());
    store.connect(activate);
    store.accept();
    await settle();
    expect(activate).not.toHaveBeenCalled();
    expect(store.getPhase()).toBe('none');
  });

  it('a failed activation says so and offers the update again', async () => {
    const warnings: string[] = [];
    const store = createUpdateStore((message) => warnings.push(message));
    store.connect(() => Promise.reject(new Error('redundant')));
    store.newVersionWaiting();
    store.accept();
    expect(store.getPhase()).toBe('activating');
    await settle();
    expect(store.getPhase()).toBe('waiting');
    expect(warnings).toEqual([expect.stringContaining('redundant')]);
  });

  it('accept before the registration is connected warns instead of throwing', () => {
    const warnings: string[] = [];
    const store = createUpdateStore((message) => warnings.push(message));
    store.newVersionWaiting();
    expect(() => store.accept()).not.toThrow();
    expect(store.getPhase()).toBe('waiting');
    expect(warnings).toHaveLength(1);
  });

  it('stops telling a listener once it unsubscribes', () => {
    const store = createUpdateStore();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    unsubscribe();
    store.newVersionWaiting();
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('registerWhenIdle', () => {
  it('registers only after the next paint and then an idle moment, in that order', () => {
    const queued: { kind: 'paint' | 'idle'; run: () => void }[] = [];
    const scheduler: IdleScheduler = {
      afterNextPaint: (run) => queued.push({ kind: 'paint', run }),
      whenIdle: (run) => queued.push({ kind: 'idle', run }),
    };
    const register = vi.fn();
    registerWhenIdle(register, scheduler);
    expect(register).not.toHaveBeenCalled();
    expect(queued.map((entry) => entry.kind)).toEqual(['paint']);
    queued[0].run();
    expect(register).not.toHaveBeenCalled();
    expect(queued.map((entry) => entry.kind)).toEqual(['paint', 'idle']);
    queued[1].run();
    expect(register).toHaveBeenCalledTimes(1);
  });
});
