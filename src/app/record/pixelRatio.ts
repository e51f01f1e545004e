/**
 * The recording stage's panels must paint their canvases at the recording's resolution
 * (1.5 device pixels per CSS pixel for 1080p), but a panel sizes its canvas from
 * window.devicePixelRatio (src/panels/useRunsPainter.ts), which no element can set for
 * itself. So the stage reads a different ratio for exactly the span of its own
 * synchronous renders and publishes, and the page's value is put back before anything
 * else can run. The page's panels do not paint in that span: nothing of theirs is on
 * the stack.
 */
export function withDevicePixelRatio<T>(ratio: number, run: () => T): T {
  const own = Object.getOwnPropertyDescriptor(window, 'devicePixelRatio');
  Object.defineProperty(window, 'devicePixelRatio', { configurable: true, get: () => ratio });
  try {
    return run();
  } finally {
    if (own) Object.defineProperty(window, 'devicePixelRatio', own);
    else Reflect.deleteProperty(window, 'devicePixelRatio');
  }
}
