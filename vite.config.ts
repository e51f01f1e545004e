/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The built site's Content Security Policy, as a meta tag (a static host such as GitHub
 * Pages cannot send headers). Only the build gets it: Vite's dev server injects inline
 * scripts for hot reload. What each allowance is for:
 * - script-src 'wasm-unsafe-eval': compiling the WASM backend's module; no JS eval.
 * - worker-src 'self': the training worker is a same-origin module.
 * - style-src 'unsafe-inline': KaTeX sets sizes through inline style attributes.
 * - img-src data: blob:: panel export draws canvases into SVG as data URLs.
 * - connect-src 'self': the worker fetches the .wasm files.
 * frame-ancestors cannot be set from a meta tag, and embedding in slides needs it open.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'arcface-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  // Relative base: the built site works from any sub-path (GitHub Pages, a lecture's folder).
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  // BUILD_OUT_DIR lets two builds of one checkout (e.g. two e2e runs on different ports) not overwrite each other.
  build: { target: 'es2022', chunkSizeWarningLimit: 2000, outDir: process.env.BUILD_OUT_DIR ?? 'dist' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    // Vitest's default is one worker per core minus one, which is one here; the slow
    // engine files (Table 3, the four numerics sweep files) are single-threaded and run best side by side.
    maxWorkers: 2,
    // tfjs-core's gradient registry is only reachable through extensionless ESM deep
    // imports that Node's resolver rejects; let Vite transform tfjs instead.
    server: { deps: { inline: [/@tensorflow/] } },
  },
});
