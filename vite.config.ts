/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { execFileSync } from 'node:child_process';
import { version as packageVersion } from './package.json';
import { buildDigitsAsset, type DigitsAsset } from './src/train/digitsNode.ts';
import { SlowestFirstSequencer } from './vitest.sequencer.ts';

/**
 * The app's version as the page knows it: package.json's version and the commit it was
 * built from, so a remembered backend verdict (src/app/backendMemory.ts) is measured again
 * after every change to the code, not only after a version bump. Outside a git checkout
 * (a tarball) the commit is unknown and the package version alone is used.
 */
function appVersion(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return commit ? `${packageVersion}+${commit}` : packageVersion;
  } catch {
    return packageVersion;
  }
}

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

/**
 * Share previews: chat apps and course pages fetch og:image without running the page, and
 * most of them want an absolute URL. With SITE_URL set at build time (the address the site
 * is served from, e.g. https://example.org/arcface/), the preview tags name absolute URLs and
 * og:url is added; without it they stay relative, which still serves the files from any sub-path.
 */
function sharePreviewUrls(siteUrl: string | undefined): Plugin {
  return {
    name: 'arcface-share-preview-urls',
    apply: 'build',
    transformIndexHtml: {
      // After Vite has turned /og-image.png into a base-relative ./og-image.png.
      order: 'post',
      handler(html) {
        if (!siteUrl) return html;
        let site: URL;
        try {
          site = new URL(siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`);
        } catch {
          throw new Error(`SITE_URL must be an absolute URL such as https://example.org/arcface/, not ${JSON.stringify(siteUrl)}`);
        }
        const absolute = html.replace(/(<meta (?:property="og:image"|name="twitter:image") content=")([^"]+)"/g, (_tag, start: string, path: string) => `${start}${new URL(path, site).href}"`);
        return {
          html: absolute,
          tags: [{ tag: 'meta', attrs: { property: 'og:url', content: site.href }, injectTo: 'head' }],
        };
      },
    },
  };
}

/**
 * The offline copy (Workbox generateSW through vite-plugin-pwa). The worker and all lazy
 * chunks are hashed files under assets/, so one glob takes every backend, the training worker
 * and the three tfjs .wasm files. KaTeX ships each font as woff2, woff and ttf; every browser
 * that runs this app uses the woff2, so only those are kept (the others would add ~0.6 MB).
 * The manifest's icons are added by the plugin; the share image is for crawlers, not for the page, so it is not precached.
 */
const PRECACHE_GLOBS = ['**/*.{html,js,css,wasm,woff2}', 'favicon.ico'];
/** The largest file (the main chunk) is ~0.7 MB; Workbox's default limit of 2 MiB would drop a file silently if a chunk grew past it. */
const PRECACHE_FILE_LIMIT_BYTES = 8 * 1024 * 1024;

function offline(): Plugin[] {
  return VitePWA({
    // 'prompt': a new version waits until the user reloads (src/app/UpdatePrompt.tsx), never mid-lecture.
    registerType: 'prompt',
    // Registered from src/app/main.tsx after the first paint and an idle moment: the CSP forbids inline scripts.
    injectRegister: false,
    // Icons and the share image are listed below or not wanted offline; nothing else from public/.
    includeAssets: [],
    manifest: {
      name: 'ArcFace Playground',
      short_name: 'ArcFace',
      description: "Train the ArcFace paper's 8-identity toy live in your browser and watch the margins work.",
      id: './',
      start_url: './',
      scope: './',
      display: 'standalone',
      theme_color: '#1d1d1f',
      background_color: '#fafafa',
      lang: 'en',
      icons: [
        { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
      ],
    },
    workbox: {
      globPatterns: PRECACHE_GLOBS,
      maximumFileSizeToCacheInBytes: PRECACHE_FILE_LIMIT_BYTES,
      // A shared link carries its settings in the query string: every navigation gets the precached index.html.
      navigateFallback: 'index.html',
      cleanupOutdatedCaches: true,
      runtimeCaching: [DIGITS_RUNTIME_CACHE],
    },
    devOptions: { enabled: false },
  });
}

/**
 * The handwritten digits (issue 13), made at build time from the `mnist` package's JSON
 * (src/train/digitsNode.ts) rather than kept in the repository: one binary file named by
 * its content hash, written beside index.html by the build and served from memory by the
 * dev server. Its name reaches the code as __DIGITS_ASSET__. The worker fetches it only
 * when a run asks for data=digits, so it never delays the default page. Unit tests need
 * no file (the Node code reads the package itself), so under Vitest the name is a
 * placeholder and the 3-second conversion is skipped.
 */
function digitsAsset(): Plugin {
  let asset: DigitsAsset | null = null;
  const made = (): DigitsAsset => {
    asset ??= buildDigitsAsset();
    return asset;
  };
  return {
    name: 'arcface-digits-asset',
    // `vite preview` serves a finished build and needs no name.
    config: (_config, env) => (env.isPreview ? undefined : { define: { __DIGITS_ASSET__: JSON.stringify(process.env.VITEST ? 'digits-unit-test.bin' : made().fileName) } }),
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const { bytes, fileName } = made();
        // The dev worker lives under /src/train/, the page at /: any path ending in the name is the asset.
        if (!(request.url ?? '').split('?')[0].endsWith(`/${fileName}`)) return next();
        response.setHeader('Content-Type', 'application/octet-stream');
        response.setHeader('Content-Length', String(bytes.length));
        response.end(Buffer.from(bytes));
      });
    },
    generateBundle() {
      const { bytes, fileName } = made();
      this.emitFile({ type: 'asset', fileName, source: bytes });
    },
  };
}

/** The digits asset is cached when first fetched, not precached: most visits never choose digits, and it is 5 MB. Its name is its content hash, so a cached copy never goes stale. */
const DIGITS_RUNTIME_CACHE = { urlPattern: /\/digits-[0-9a-f]{12}\.bin$/, handler: 'CacheFirst', options: { cacheName: 'arcface-digits', expiration: { maxEntries: 2 } } } as const;

const APP_VERSION = appVersion();

/** The version in the page too, for a bug report and for tests that plant a remembered verdict. */
function appVersionMeta(): Plugin {
  return { name: 'arcface-app-version', transformIndexHtml: () => [{ tag: 'meta', attrs: { name: 'app-version', content: APP_VERSION }, injectTo: 'head' }] };
}

export default defineConfig({
  // Relative base: the built site works from any sub-path (GitHub Pages, a lecture's folder).
  base: './',
  plugins: [react(), contentSecurityPolicy(), appVersionMeta(), sharePreviewUrls(process.env.SITE_URL), digitsAsset(), ...offline()],
  define: { __APP_VERSION__: JSON.stringify(APP_VERSION) },
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
    sequence: { sequencer: SlowestFirstSequencer },
    // tfjs-core's gradient registry is only reachable through extensionless ESM deep
    // imports that Node's resolver rejects; let Vite transform tfjs instead.
    server: { deps: { inline: [/@tensorflow/] } },
  },
});
