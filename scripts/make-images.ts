/**
 * Makes the committed PNGs in public/ from public/icon.svg and from the built app:
 *   icon-192.png, icon-512.png          the icon as drawn (rounded, transparent corners)
 *   icon-maskable-512.png               full-bleed, the mark inside the 80% safe zone
 *   apple-touch-icon.png (180)          full-bleed (iOS rounds the corners itself)
 *   favicon.ico                         16 and 32 px PNGs in one .ico
 *   og-image.png (1200×630)             the share preview: a title beside Fig. 3 after 400 CPU steps
 *
 * Regenerate after changing public/icon.svg or the circle panel:
 *   npm run build && npx tsx scripts/make-images.ts
 * Options (environment): BUILD_OUT_DIR (the build to photograph, default dist),
 * CHROMIUM_PATH (default /usr/bin/chromium), ONLY=icons to skip the share image.
 * The share image trains on the CPU backend, which is bit-for-bit reproducible, so a rerun
 * on the same build gives the same picture.
 */
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const PUBLIC_DIR = join(ROOT, 'public');
const BUILD_DIR = join(ROOT, process.env.BUILD_OUT_DIR ?? 'dist');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The share picture: Fig. 3 alone, light theme, seed 1, paused at step 400 on the reproducible backend. */
const SHARE_QUERY = '?backend=cpu&seed=1&steps=400&panels=circle&theme=light&embed=1';
const SHARE_STEP = 400;
/** Full-bleed colour behind the maskable and Apple icons: the icon's own rounded square. */
const ICON_BACKGROUND = '#1d1d1f';

const iconSvg = readFileSync(join(PUBLIC_DIR, 'icon.svg'), 'utf8');
const iconDataUrl = `data:image/svg+xml;base64,${Buffer.from(iconSvg).toString('base64')}`;

/** A page of exactly size×size holding the icon, scaled to `scale` of the page, on `background` (or transparent). */
function iconPage(size: number, scale: number, background: string | null): string {
  const inner = Math.round(size * scale);
  return `<!doctype html><html><body style="margin:0;width:${size}px;height:${size}px;display:grid;place-items:center;background:${background ?? 'transparent'}">
<img src="${iconDataUrl}" width="${inner}" height="${inner}" alt=""></body></html>`;
}

async function renderIcon(browser: Browser, size: number, scale: number, background: string | null): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  await page.setContent(iconPage(size, scale, background));
  await page.locator('img').evaluate((image: HTMLImageElement) => image.decode());
  const png = await page.screenshot({ omitBackground: background === null, type: 'png' });
  await page.close();
  return png;
}

/** An .ico whose entries are PNGs (supported by every browser since IE Vista). */
function icoFromPngs(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** A static server for the build on a free port of 127.0.0.1 (a secure context, as the app expects). */
async function serveBuild(): Promise<{ server: Server; origin: string }> {
  if (!existsSync(join(BUILD_DIR, 'index.html'))) throw new Error(`No build in ${BUILD_DIR}: run npm run build first (or set BUILD_OUT_DIR).`);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = join(BUILD_DIR, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(BUILD_DIR) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Fig. 3 after SHARE_STEP steps, as a square PNG of `size` CSS px at 2× for a crisp downscale. */
async function photographCircle(browser: Browser, origin: string, size: number): Promise<Buffer> {
  const context = await browser.newContext({ viewport: { width: size, height: size }, deviceScaleFactor: 2, serviceWorkers: 'block', colorScheme: 'light', reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${origin}/${SHARE_QUERY}`);
  const canvas = page.locator('[data-testid="panel-circle"] canvas').first();
  await canvas.waitFor();
  await page.waitForFunction((step) => document.querySelector<HTMLElement>('[data-testid="panel-circle"] canvas')?.dataset.step === String(step), SHARE_STEP, { timeout: 180_000 });
  // Let the export buttons' hover state and any last layout settle.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  const png = await page.screenshot({ type: 'png' });
  await context.close();
  return png;
}

/** The 1200×630 card: the name and one line on the left, the trained circle on the right. */
function cardPage(circlePng: Buffer, circleSize: number): string {
  const circle = `data:image/png;base64,${circlePng.toString('base64')}`;
  return `<!doctype html><html><head><style>
body { margin: 0; width: 1200px; height: 630px; display: flex; align-items: center; gap: 36px; padding: 0 36px 0 64px; box-sizing: border-box; background: #fafafa; color: #1d1d1f; font-family: system-ui, 'DejaVu Sans', sans-serif; }
.text { flex: 1; }
.mark { display: block; width: 88px; height: 88px; margin-bottom: 28px; }
h1 { font-size: 62px; line-height: 1.05; margin: 0 0 22px; letter-spacing: -0.5px; }
p { font-size: 28px; line-height: 1.35; margin: 0 0 14px; color: #3c4043; }
.small { font-size: 22px; color: #5f6368; }
.figure { width: ${circleSize}px; height: ${circleSize}px; border: 1px solid #dadce0; border-radius: 10px; overflow: hidden; background: #fff; flex: none; }
.figure img { width: 100%; height: 100%; display: block; }
</style></head><body>
<div class="text">
<img class="mark" src="${iconDataUrl}" alt="">
<h1>ArcFace Playground</h1>
<p>Train the ArcFace toy live in your browser and watch the angular margin open gaps between identities.</p>
<p class="small">Fig. 3 of Deng et al., CVPR 2019: 8 identities on the unit circle, step ${SHARE_STEP}.</p>
</div>
<div class="figure"><img src="${circle}" alt=""></div>
</body></html>`;
}

async function renderCard(browser: Browser, circlePng: Buffer, circleSize: number): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 630 }, deviceScaleFactor: 1 });
  await page.setContent(cardPage(circlePng, circleSize));
  await page.evaluate(() => Promise.all([...document.images].map((image) => image.decode())));
  const png = await page.screenshot({ type: 'png' });
  await page.close();
  return png;
}

function write(name: string, data: Buffer): void {
  writeFileSync(join(PUBLIC_DIR, name), data);
  console.log(`public/${name}  ${data.length} bytes`);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--force-color-profile=srgb', '--font-render-hinting=none'] });
try {
  write('icon-192.png', await renderIcon(browser, 192, 1, null));
  write('icon-512.png', await renderIcon(browser, 512, 1, null));
  // The mark's outermost stroke reaches 0.44 of the size from the centre; at 0.9 it sits inside the maskable safe circle (0.4).
  write('icon-maskable-512.png', await renderIcon(browser, 512, 0.9, ICON_BACKGROUND));
  write('apple-touch-icon.png', await renderIcon(browser, 180, 0.94, ICON_BACKGROUND));
  const faviconPngs = [];
  for (const size of [16, 32]) faviconPngs.push({ size, png: await renderIcon(browser, size, 1, null) });
  write('favicon.ico', icoFromPngs(faviconPngs));
  if (process.env.ONLY !== 'icons') {
    const { server, origin } = await serveBuild();
    try {
      const circleSize = 558;
      write('og-image.png', await renderCard(browser, await photographCircle(browser, origin, circleSize), circleSize));
    } finally {
      server.close();
    }
  }
} finally {
  await browser.close();
}
