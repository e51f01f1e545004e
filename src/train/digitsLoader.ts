/**
 * Fetches the digits asset in the browser (the worker calls this), with progress, and
 * checks it with core's decoder before anything trains on it. Every failure becomes an
 * Error whose message is a short clause for the page's one-sentence notice.
 */
import { decodeDigits, missingDigits, type DigitImages } from '../core/digits';

export type DigitsProgress = (loaded: number, total: number | null) => void;

/** Progress is reported at most this often, so a fast connection does not flood the page with messages. */
const PROGRESS_EVERY_MS = 100;

function httpProblem(status: number): string {
  if (status === 404) return 'the file was not found (HTTP 404)';
  return `the server answered HTTP ${status}`;
}

export async function fetchDigits(url: string, onProgress: DigitsProgress, fetchImpl: typeof fetch = fetch, now: () => number = () => performance.now()): Promise<DigitImages> {
  // Before the first byte: the page shows that something is on its way even while the server is slow to answer.
  onProgress(0, null);
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new Error(`the network failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new Error(httpProblem(response.status));
  const header = Number(response.headers.get('content-length'));
  // A compressed response's Content-Length counts compressed bytes: then there is no total to give.
  const compressed = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const total = Number.isFinite(header) && header > 0 && !compressed ? header : null;
  const bytes = await readAll(response, total, onProgress, now);
  const decoded = decodeDigits(bytes);
  if (!decoded.ok) throw new Error(decoded.problem);
  const missing = missingDigits(decoded.digits);
  if (missing) throw new Error(missing);
  return decoded.digits;
}

async function readAll(response: Response, total: number | null, onProgress: DigitsProgress, now: () => number): Promise<Uint8Array> {
  onProgress(0, total);
  if (!response.body) {
    const whole = new Uint8Array(await response.arrayBuffer());
    onProgress(whole.length, total);
    return whole;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let reportedAt = now();
  for (;;) {
    let part: ReadableStreamReadResult<Uint8Array>;
    try {
      part = await reader.read();
    } catch (error) {
      throw new Error(`the download broke off after ${loaded} bytes: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (part.done) break;
    chunks.push(part.value);
    loaded += part.value.length;
    if (now() - reportedAt >= PROGRESS_EVERY_MS) {
      reportedAt = now();
      onProgress(loaded, total);
    }
  }
  onProgress(loaded, total);
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
