/** A recording that could not be made, with one sentence for the user. */
export class RecordError extends Error {
  override name = 'RecordError';
}

/** What a cancelled recording rejects with: the same name as fetch's, so `error.name === 'AbortError'` tells a cancel from a failure. */
export function abortError(): DOMException {
  return new DOMException('The recording was cancelled.', 'AbortError');
}
