/**
 * Builds the app and serves the build with `vite preview`, the way a user would get it.
 *
 * The build goes to its own folder instead of dist/: the e2e suite serves dist/ on port
 * 4173, possibly from another process at the same time, and a build empties its output
 * folder first, which would pull files out from under that server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const BENCH_DIST = '.cache/bench-dist';
/** Not 4173 (the e2e server) and not 4190 (kept free for other tools on this machine). */
export const BENCH_PORT = 4174;
export const BENCH_ORIGIN = `http://127.0.0.1:${BENCH_PORT}/`;

function viteBin(): string {
  // Vite's own CLI script, run with this Node: no shell, and the pid we hold is the
  // server's. Found through package.json, the one file besides the API that vite exports.
  const manifestPath = createRequire(import.meta.url).resolve('vite/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.vite;
  if (!bin) throw new Error(`no vite binary named in ${manifestPath}`);
  return join(dirname(manifestPath), bin);
}

/** Runs `vite build`; its chatter goes to stderr so stdout carries only the report. Throws when the build fails. */
export function buildApp(): void {
  const result = spawnSync(process.execPath, [viteBin(), 'build', '--outDir', BENCH_DIST, '--emptyOutDir'], { stdio: ['ignore', 2, 2] });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`vite build exited with code ${result.status}`);
}

export interface PreviewServer {
  stop(): Promise<void>;
}

/** Starts `vite preview` on BENCH_PORT and resolves once it answers; rejects if it exits or stays silent. */
export async function startPreview(timeoutMs = 30_000): Promise<PreviewServer> {
  const child: ChildProcess = spawn(process.execPath, [viteBin(), 'preview', '--host', '127.0.0.1', '--port', String(BENCH_PORT), '--strictPort', '--outDir', BENCH_DIST], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited: number | null | undefined;
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );

  const stop = async (): Promise<void> => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exitedPromise;
    clearTimeout(forced);
  };

  const deadline = Date.now() + timeoutMs;
  // Our own server must say it listens on the port: a fetch alone could be answered by
  // some other process already holding the port while ours exits with "port in use".
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`vite preview exited (code ${exited}) before serving: ${output.trim().slice(-400)}`);
    if (output.includes(`:${BENCH_PORT}`)) {
      try {
        const response = await fetch(BENCH_ORIGIN);
        if (response.ok && exited === undefined) return { stop };
      } catch {
        // Not accepting connections yet.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`vite preview did not answer on ${BENCH_ORIGIN} within ${timeoutMs / 1000} s: ${output.trim().slice(-400)}`);
}
