/**
 * Saving a file from the page, and turning an export's failure into the one sentence the
 * user sees. Every export goes through here, so none fails silently.
 */

/** How long a download's object URL is kept: revoking it at once can cancel the download in some browsers. */
const REVOKE_DELAY_MS = 5000;

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  // Firefox ignores a click on an anchor that is not in the document.
  document.body.append(anchor);
  try {
    anchor.click();
  } finally {
    anchor.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), REVOKE_DELAY_MS);
  }
}

/**
 * The export code throws errors whose messages are written for the user; anything else
 * (a browser's own TypeError with an empty message, a thrown string) gets the fallback.
 */
export function exportFailureMessage(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}

/**
 * Runs one export and reports its failure through `onError` instead of the console.
 * Synchronous work runs before this returns, so a download still starts inside the click
 * that asked for it (browsers block downloads that come later).
 */
export async function exportReportingFailure(work: () => void | Promise<void>, fallback: string, onError: (message: string) => void): Promise<void> {
  try {
    await work();
  } catch (error) {
    onError(exportFailureMessage(error, fallback));
  }
}
