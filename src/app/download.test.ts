import { describe, expect, it, vi } from 'vitest';
import { exportFailureMessage, exportReportingFailure } from './download';

const FALLBACK = 'The SVG export failed: reload the page and export again.';

describe('exportFailureMessage', () => {
  it('passes on an error written for the user', () => {
    expect(exportFailureMessage(new Error('The panel has no size on the page: make it visible, then export again.'), FALLBACK)).toBe(
      'The panel has no size on the page: make it visible, then export again.',
    );
  });

  it('falls back where the error says nothing a user could act on', () => {
    expect(exportFailureMessage(new TypeError(''), FALLBACK)).toBe(FALLBACK);
    expect(exportFailureMessage('a thrown string', FALLBACK)).toBe(FALLBACK);
    expect(exportFailureMessage(undefined, FALLBACK)).toBe(FALLBACK);
  });
});

describe('exportReportingFailure', () => {
  it('runs synchronous work before it returns, so a download stays inside its click', () => {
    const work = vi.fn();
    const onError = vi.fn();
    void exportReportingFailure(work, FALLBACK, onError);
    expect(work).toHaveBeenCalledTimes(1);
    expect(onError).not.toHaveBeenCalled();
  });

  it('reports a synchronous failure at once, as one sentence', () => {
    const onError = vi.fn();
    void exportReportingFailure(
      () => {
        throw new Error('The export failed: reload the page and try again.');
      },
      FALLBACK,
      onError,
    );
    expect(onError).toHaveBeenCalledExactlyOnceWith('The export failed: reload the page and try again.');
  });

  it('reports an asynchronous failure and never rejects', async () => {
    const onError = vi.fn();
    await expect(
      exportReportingFailure(
        async () => {
          throw new TypeError('');
        },
        FALLBACK,
        onError,
      ),
    ).resolves.toBeUndefined();
    expect(onError).toHaveBeenCalledExactlyOnceWith(FALLBACK);
  });
});
