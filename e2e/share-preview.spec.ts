import { expect, test, type APIRequestContext } from '@playwright/test';

/**
 * What a chat app, a course page or an install prompt reads from the built site without
 * running it: the preview meta tags, the icons and the web manifest. Every file they name
 * must be served, and every PNG must have the pixel size it is declared with.
 */

/** The content of <meta property|name="key" content="...">, or null. */
function metaContent(html: string, key: string): string | null {
  for (const tag of html.match(/<meta\b[^>]*>/g) ?? []) {
    const named = new RegExp(`\\b(?:property|name)="${key.replace(/[.:]/g, '\\$&')}"`).test(tag);
    if (named) return /\bcontent="([^"]*)"/.exec(tag)?.[1] ?? null;
  }
  return null;
}

/** The href of each <link> whose rel is exactly `rel`, with its other attributes. */
function links(html: string, rel: string): { href: string; tag: string }[] {
  return (html.match(/<link\b[^>]*>/g) ?? []).filter((tag) => new RegExp(`\\brel="${rel}"`).test(tag)).map((tag) => ({ href: /\bhref="([^"]*)"/.exec(tag)?.[1] ?? '', tag }));
}

/** Width and height from a PNG's IHDR chunk; throws if the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function fetchBytes(request: APIRequestContext, url: URL): Promise<{ bytes: Buffer; type: string }> {
  const response = await request.get(url.href);
  expect(response.status(), `${url.pathname} is served`).toBe(200);
  return { bytes: await response.body(), type: response.headers()['content-type'] ?? '' };
}

async function expectPng(request: APIRequestContext, url: URL, width: number, height: number): Promise<void> {
  const { bytes } = await fetchBytes(request, url);
  expect(pngSize(bytes), url.pathname).toEqual({ width, height });
}

test('the built page carries a share preview whose image exists at the size it declares', async ({ request, baseURL }) => {
  const page = new URL(baseURL ?? '');
  const html = await (await request.get(page.href)).text();
  for (const key of [
    'og:title',
    'og:description',
    'og:type',
    'og:image',
    'og:image:width',
    'og:image:height',
    'og:image:alt',
    'twitter:card',
    'twitter:title',
    'twitter:description',
    'twitter:image',
    'twitter:image:alt',
  ]) {
    expect(metaContent(html, key), key).toBeTruthy();
  }
  expect(metaContent(html, 'og:type')).toBe('website');
  expect(metaContent(html, 'twitter:card')).toBe('summary_large_image');
  expect(metaContent(html, 'twitter:image')).toBe(metaContent(html, 'og:image'));
  // Relative unless the build was given SITE_URL, so the built site works from any sub-path.
  const image = metaContent(html, 'og:image') ?? '';
  if (process.env.SITE_URL) expect(image.startsWith(process.env.SITE_URL)).toBe(true);
  else expect(image).toMatch(/^\.\//);
  const width = Number(metaContent(html, 'og:image:width'));
  const height = Number(metaContent(html, 'og:image:height'));
  expect([width, height]).toEqual([1200, 630]);
  // An absolute SITE_URL points at the deployed site, not this test server: check the same file here.
  const served = new URL(process.env.SITE_URL ? (new URL(image).pathname.split('/').pop() ?? '') : image, page);
  await expectPng(request, served, width, height);
});

test('the icons and the web manifest the page links exist, at their declared sizes, and the app is installable', async ({ request, baseURL }) => {
  const page = new URL(baseURL ?? '');
  const html = await (await request.get(page.href)).text();

  const apple = links(html, 'apple-touch-icon');
  expect(apple).toHaveLength(1);
  await expectPng(request, new URL(apple[0].href, page), 180, 180);

  const icons = links(html, 'icon');
  const svg = icons.find((icon) => icon.tag.includes('image/svg+xml'));
  expect(svg, 'an SVG icon').toBeDefined();
  const svgFile = await fetchBytes(request, new URL(svg?.href ?? '', page));
  expect(svgFile.bytes.toString('utf8')).toMatch(/^<svg [^>]*viewBox="0 0 512 512"/);
  const ico = icons.find((icon) => icon.href.endsWith('.ico'));
  expect(ico, 'a favicon.ico').toBeDefined();
  const { bytes: icoBytes } = await fetchBytes(request, new URL(ico?.href ?? '', page));
  // ICONDIR, then one 16-byte entry per image; each image here is a PNG.
  expect(icoBytes.readUInt16LE(2)).toBe(1);
  const sizes: number[] = [];
  for (let index = 0; index < icoBytes.readUInt16LE(4); index++) {
    const entry = 6 + 16 * index;
    const png = icoBytes.subarray(icoBytes.readUInt32LE(entry + 12), icoBytes.readUInt32LE(entry + 12) + icoBytes.readUInt32LE(entry + 8));
    expect(pngSize(png)).toEqual({ width: icoBytes[entry], height: icoBytes[entry + 1] });
    sizes.push(icoBytes[entry]);
  }
  expect(sizes).toEqual([16, 32]);

  const manifestLinks = links(html, 'manifest');
  expect(manifestLinks).toHaveLength(1);
  const manifestUrl = new URL(manifestLinks[0].href, page);
  const manifest = JSON.parse((await fetchBytes(request, manifestUrl)).bytes.toString('utf8')) as {
    name?: string;
    short_name?: string;
    start_url?: string;
    display?: string;
    theme_color?: string;
    background_color?: string;
    icons?: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  expect(manifest.name).toBe('ArcFace Playground');
  expect(manifest.short_name?.length).toBeGreaterThan(0);
  expect(manifest.display).toBe('standalone');
  // Relative, so an installed copy opens where the site was served from.
  expect(manifest.start_url).toMatch(/^\.\//);
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  const manifestIcons = manifest.icons ?? [];
  for (const icon of manifestIcons.filter((entry) => entry.type === 'image/png')) {
    const [width, height] = icon.sizes.split('x').map(Number);
    await expectPng(request, new URL(icon.src, manifestUrl), width, height);
  }
  for (const icon of manifestIcons.filter((entry) => entry.type !== 'image/png')) await fetchBytes(request, new URL(icon.src, manifestUrl));
  // Chromium's install criteria: a 192 px and a 512 px icon; Android crops a maskable one to its own shape.
  expect(manifestIcons.map((icon) => `${icon.sizes}${icon.purpose === 'maskable' ? ' maskable' : ''}`)).toEqual(expect.arrayContaining(['192x192', '512x512', '512x512 maskable']));
});

test('the built page keeps its CSP: no unsafe-eval and no inline script', async ({ request, baseURL }) => {
  const html = await (await request.get(baseURL ?? '')).text();
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1]?.replaceAll('&#39;', "'") ?? '';
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script, 'every script is a file, not inline').toMatch(/^<script\b[^>]*\bsrc="[^"]+"[^>]*><\/script>$/);
});
