/**
 * Bytes of the built app, per chunk, raw and gzipped, and which chunks a visitor loads
 * when: with the page (index.html's entry script, its modulepreloads and everything they
 * import statically), when the training worker starts (its entry and static imports),
 * and later (dynamic imports: the TensorFlow.js backends and their .wasm files).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

export type ChunkGroup = 'initial' | 'worker' | 'lazy';

export interface ChunkInfo {
  /** Path relative to the build folder, e.g. assets/index-abc123.js. */
  file: string;
  group: ChunkGroup;
  kind: 'js' | 'wasm';
  raw: number;
  /** gzip at the default level (6), about what a static server sends. */
  gzip: number;
}

export interface GroupTotal {
  files: number;
  raw: number;
  gzip: number;
}

export interface BundleReport {
  /** Every .js and .wasm file under assets/. */
  chunks: ChunkInfo[];
  /** JavaScript only, per group: the figure a JS budget is about. */
  totals: Record<ChunkGroup, GroupTotal>;
  /** The .wasm binaries (all lazy; a run fetches one of the three builds). */
  wasm: GroupTotal;
  entry: string | null;
  workerEntry: string | null;
}

// Rolldown writes static imports as `from"./x.js"` or `import"./x.js"`, dynamic ones
// as import(`./x.js`), and the worker as new URL(`x.js`, import.meta.url). Any quote
// style is accepted so a minifier change does not silently empty a group.
const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["'`](\.{1,2}\/[^"'`]+?\.js)["'`]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'`](\.{1,2}\/[^"'`]+?\.js)["'`]\s*\)/g;
// src/train/worker.ts is built as assets/worker-<hash>.js.
const TRAINING_WORKER = /(?:^|\/)worker-[^/]+\.js$/;
const WORKER_URL = /new\s+Worker\(\s*new\s+URL\(\s*(?:new\s+URL\(\s*)?["'`]([^"'`]+?\.js)["'`]/g;

function matches(pattern: RegExp, text: string): string[] {
  return [...text.matchAll(pattern)].map((match) => match[1]);
}

/** Resolves an import specifier found in `from` (a build-relative path) to a build-relative path. */
function resolveFrom(from: string, specifier: string): string {
  return posix.normalize(posix.join(posix.dirname(from), specifier));
}

/** The file plus everything it imports statically, transitively. */
function staticClosure(start: readonly string[], read: (file: string) => string | null): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const file = queue.pop();
    if (file === undefined || seen.has(file)) continue;
    const text = read(file);
    if (text === null) continue;
    seen.add(file);
    for (const specifier of matches(STATIC_IMPORT, text)) queue.push(resolveFrom(file, specifier));
  }
  return seen;
}

export function analyseBundle(distDir: string): BundleReport {
  const cache = new Map<string, string | null>();
  const read = (file: string): string | null => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(join(distDir, file), 'utf8'));
      } catch {
        cache.set(file, null);
      }
    }
    return cache.get(file) ?? null;
  };

  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const clean = (href: string): string => posix.normalize(href.replace(/^\.?\//, ''));
  const entries = [...html.matchAll(/<script\b[^>]*\btype=["']module["'][^>]*\bsrc=["']([^"']+)["']/g)].map((match) => clean(match[1]));
  const preloads = [...html.matchAll(/<link\b[^>]*\brel=["']modulepreload["'][^>]*\bhref=["']([^"']+)["']/g)].map((match) => clean(match[1]));
  const initial = staticClosure([...entries, ...preloads], read);

  // The worker script is named inside the page's code (relative to the chunk that names it).
  // Only the training worker starts with the page; another worker (the recorder's encoder)
  // starts when its feature is used, so it and its imports count as lazy.
  const workerEntries = new Set<string>();
  for (const file of initial) {
    const text = read(file) ?? '';
    for (const specifier of matches(WORKER_URL, text)) {
      const entry = resolveFrom(file, specifier.startsWith('.') ? specifier : `./${specifier}`);
      if (TRAINING_WORKER.test(entry)) workerEntries.add(entry);
    }
  }
  const worker = new Set([...staticClosure([...workerEntries], read)].filter((file) => !initial.has(file)));

  const assets = readdirSync(join(distDir, 'assets'))
    .filter((name) => /\.(js|wasm)$/.test(name))
    .sort();
  const chunks: ChunkInfo[] = assets.map((name) => {
    const file = `assets/${name}`;
    const bytes = readFileSync(join(distDir, file));
    const group: ChunkGroup = initial.has(file) ? 'initial' : worker.has(file) ? 'worker' : 'lazy';
    return { file, group, kind: name.endsWith('.wasm') ? 'wasm' : 'js', raw: bytes.length, gzip: gzipSync(bytes).length };
  });
  const totals: Record<ChunkGroup, GroupTotal> = { initial: { files: 0, raw: 0, gzip: 0 }, worker: { files: 0, raw: 0, gzip: 0 }, lazy: { files: 0, raw: 0, gzip: 0 } };
  const wasm: GroupTotal = { files: 0, raw: 0, gzip: 0 };
  for (const chunk of chunks) {
    const total = chunk.kind === 'wasm' ? wasm : totals[chunk.group];
    total.files++;
    total.raw += chunk.raw;
    total.gzip += chunk.gzip;
  }
  return { chunks, totals, wasm, entry: entries[0] ?? null, workerEntry: [...workerEntries][0] ?? null };
}

export interface LazyLoad {
  files: string[];
  js: { raw: number; gzip: number };
  wasm: { raw: number; gzip: number };
}

/** Sums the lazy chunks among the files a run actually fetched (paths relative to the build). */
export function lazyLoaded(bundle: BundleReport, fetched: readonly string[]): LazyLoad {
  const wanted = new Set(fetched);
  const result: LazyLoad = { files: [], js: { raw: 0, gzip: 0 }, wasm: { raw: 0, gzip: 0 } };
  for (const chunk of bundle.chunks) {
    if (chunk.group !== 'lazy' || !wanted.has(chunk.file)) continue;
    result.files.push(chunk.file);
    result[chunk.kind].raw += chunk.raw;
    result[chunk.kind].gzip += chunk.gzip;
  }
  return result;
}

/** How many chunks the build loads with import(): a check that the backends really are split off. */
export function dynamicImportCount(distDir: string, bundle: BundleReport): number {
  const targets = new Set<string>();
  for (const chunk of bundle.chunks) {
    if (!chunk.file.endsWith('.js')) continue;
    const text = readFileSync(join(distDir, chunk.file), 'utf8');
    for (const specifier of matches(DYNAMIC_IMPORT, text)) targets.add(resolveFrom(chunk.file, specifier));
  }
  return targets.size;
}
