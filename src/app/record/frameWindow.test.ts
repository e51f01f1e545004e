import { describe, expect, it } from 'vitest';
import { FrameWindow } from './frameWindow';

async function settled(promise: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> {
  const marker = Symbol('pending');
  try {
    const result = await Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(marker), 10))]);
    return result === marker ? 'pending' : 'resolved';
  } catch {
    return 'rejected';
  }
}

describe('FrameWindow', () => {
  it('lets `limit` frames through, then waits for the worker to acknowledge one', async () => {
    const window = new FrameWindow(3);
    for (let i = 0; i < 3; i += 1) {
      expect(await settled(window.waitForRoom())).toBe('resolved');
      window.markSent();
    }
    const fourth = window.waitForRoom();
    expect(await settled(fourth)).toBe('pending');
    window.acknowledge(1);
    expect(await settled(fourth)).toBe('resolved');
    expect(window.inFlight).toBe(2);
  });

  it('ignores stale and impossible acknowledgements', () => {
    const window = new FrameWindow(2);
    window.markSent();
    window.markSent();
    window.acknowledge(2);
    window.acknowledge(1);
    expect(window.inFlight).toBe(0);
    window.acknowledge(10);
    expect(window.inFlight).toBe(0);
    window.markSent();
    expect(window.inFlight).toBe(1);
  });

  it('wakes a waiting sender with the reason when it is closed', async () => {
    const window = new FrameWindow(1);
    window.markSent();
    const waiting = window.waitForRoom();
    window.close(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    await expect(window.waitForRoom()).rejects.toThrow('cancelled');
  });

  it('refuses a window of no frames', () => {
    expect(() => new FrameWindow(0)).toThrow(RangeError);
    expect(() => new FrameWindow(1.5)).toThrow(RangeError);
  });
});
