/**
 * Backpressure between the page and the encoder worker: the page may have at most `limit`
 * frames sent and not yet encoded. A 1080p frame is 8 MB of pixels; without a limit a fast
 * frame source would queue hundreds of them in the worker while a slow encoder catches up.
 */
export class FrameWindow {
  private sent = 0;
  private acknowledged = 0;
  private waiters: (() => void)[] = [];
  private closedWith: Error | null = null;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`A frame window holds at least one frame, not ${limit}.`);
  }

  get inFlight(): number {
    return this.sent - this.acknowledged;
  }

  /** Resolves once another frame may be sent; rejects if the window was closed (cancel or a worker error). */
  async waitForRoom(): Promise<void> {
    while (this.inFlight >= this.limit) {
      if (this.closedWith) throw this.closedWith;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.closedWith) throw this.closedWith;
  }

  markSent(): void {
    this.sent += 1;
  }

  /** The worker says it has encoded `count` frames in all (counts only grow; a stale message is ignored). */
  acknowledge(count: number): void {
    if (count <= this.acknowledged) return;
    this.acknowledged = Math.min(count, this.sent);
    this.wake();
  }

  /** Wakes every waiter with `reason`: nothing more will be acknowledged. */
  close(reason: Error): void {
    this.closedWith ??= reason;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
