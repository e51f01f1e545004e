/**
 * Each panel as a standalone figure for a report or a slide: an SVG assembled from what
 * the page shows (layout, computed styles, canvas pixels), with a caption of the setting
 * below it, and the same figure rasterised as PNG. escapeXml and wrapCaption are pure;
 * the rest needs a rendered page.
 */

export interface ComposedFigure {
  /** A standalone SVG document. */
  svg: string;
  /** Its size in CSS pixels, caption strip included. */
  width: number;
  height: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[character] ?? character);
}

/** Coordinates in an export are rounded to 0.01 px: finer adds bytes, not precision. */
function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function isTransparent(colour: string): boolean {
  return colour === '' || colour === 'transparent' || /^rgba\(.*,\s*0\)$/.test(colour);
}

/** The colour the figure is seen on: its own background, or the first ancestor's (the slot's). */
function paperColour(figure: HTMLElement): string {
  for (let element: Element | null = figure; element; element = element.parentElement) {
    const colour = getComputedStyle(element).backgroundColor;
    if (!isTransparent(colour)) return colour;
  }
  return '#ffffff';
}

/**
 * Properties that make the SVG look as it does on the page. Inherited ones are written
 * only where they differ from the parent, since the clone keeps the same tree.
 */
const INHERITED_SVG_PROPERTIES = [
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'fill-opacity',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'paint-order',
  'font-size',
  'font-family',
  'font-weight',
  'font-style',
  'text-anchor',
  'visibility',
] as const;
/** Not inherited (dominant-baseline was not in SVG 1.1, so renderers differ): written wherever not initial. */
const UNINHERITED_SVG_PROPERTIES: readonly (readonly [string, string])[] = [
  ['opacity', '1'],
  ['dominant-baseline', 'auto'],
];
/** Containers whose children are never drawn directly, so their display value means nothing. */
const NON_RENDERED_SVG = 'defs, clipPath, mask, pattern, marker, symbol, linearGradient, radialGradient, title, desc';

function inlineSvgStyles(original: SVGSVGElement, copy: SVGSVGElement): void {
  const originals = [original, ...Array.from(original.querySelectorAll('*'))];
  const copies = [copy, ...Array.from(copy.querySelectorAll('*'))];
  const hidden: Element[] = [];
  originals.forEach((element, index) => {
    const target = copies[index];
    const computed = getComputedStyle(element);
    const insideNonRendered = element.matches(NON_RENDERED_SVG) || element.parentElement?.closest(NON_RENDERED_SVG);
    if (computed.display === 'none' && !insideNonRendered) {
      hidden.push(target);
      return;
    }
    const parent = element === original ? null : element.parentElement;
    const parentStyle = parent ? getComputedStyle(parent) : null;
    const declarations: string[] = [];
    for (const property of INHERITED_SVG_PROPERTIES) {
      const value = computed.getPropertyValue(property);
      if (value && (!parentStyle || parentStyle.getPropertyValue(property) !== value)) declarations.push(`${property}: ${value}`);
    }
    for (const [property, initial] of UNINHERITED_SVG_PROPERTIES) {
      const value = computed.getPropertyValue(property);
      if (value && value !== initial) declarations.push(`${property}: ${value}`);
    }
    if (declarations.length === 0) return;
    const existing = target.getAttribute('style');
    target.setAttribute('style', [existing, ...declarations].filter(Boolean).join('; '));
  });
  for (const element of hidden) element.remove();
  // Only plain SVG may travel: a foreignObject would taint the canvas when rasterised.
  for (const foreign of Array.from(copy.querySelectorAll('foreignObject'))) foreign.remove();
}

function isRendered(element: Element): boolean {
  const style = getComputedStyle(element);
  return style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) !== 0;
}

/** HTML inside a figure that is interaction, not picture. */
const NOT_PICTURE_HTML = [
  'svg',
  'canvas',
  'label',
  'select',
  'option',
  'button',
  'input',
  'textarea',
  '[role="tooltip"]',
  '[role="status"]',
  '.panel-tooltip',
  '.margin-tooltip',
  '.export-buttons',
  // Notes in a panel speak to the reader of the page ("hover a row"), not of a figure.
  '.panel-note',
].join(', ');

interface TextLine {
  text: string;
  rect: DOMRect;
  element: Element;
}

/**
 * Lines of one text node as laid out on the page: each word's box is measured and
 * words whose boxes share a top belong to one line, so wrapped text stays wrapped.
 */
function textNodeLines(node: Text): TextLine[] {
  const element = node.parentElement;
  if (!element) return [];
  const range = document.createRange();
  const lines: { start: number; end: number; left: number; top: number; right: number; bottom: number }[] = [];
  for (const match of node.data.matchAll(/\S+/g)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    range.setStart(node, start);
    range.setEnd(node, end);
    const box = range.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const line = lines[lines.length - 1];
    if (line && Math.abs(box.top - line.top) < box.height / 2) {
      line.end = end;
      line.left = Math.min(line.left, box.left);
      line.right = Math.max(line.right, box.right);
      line.bottom = Math.max(line.bottom, box.bottom);
    } else {
      lines.push({ start, end, left: box.left, top: box.top, right: box.right, bottom: box.bottom });
    }
  }
  return lines.map((line) => ({
    text: node.data.slice(line.start, line.end).replace(/\s+/g, ' '),
    rect: new DOMRect(line.left, line.top, line.right - line.left, line.bottom - line.top),
    element,
  }));
}

function pictureTextLines(figure: HTMLElement): TextLine[] {
  const walker = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
  const lines: TextLine[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node as Text;
    const parent = text.parentElement;
    if (!parent || !text.data.trim()) continue;
    const excluded = parent.closest(NOT_PICTURE_HTML);
    if (excluded && figure.contains(excluded)) continue;
    if (!isRendered(parent)) continue;
    lines.push(...textNodeLines(text));
  }
  return lines;
}

function canvasFont(style: CSSStyleDeclaration): string {
  return `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
}

type Measure = (text: string, font: string) => TextMetrics | null;

function createMeasure(): Measure {
  const context = document.createElement('canvas').getContext('2d');
  return (text, font) => {
    if (!context) return null;
    context.font = font;
    return context.measureText(text);
  };
}

/** An HTML text line as SVG text at the same place, in the same font, colour and alignment. */
function htmlTextElement(line: TextLine, origin: DOMRect, measure: Measure): string {
  const style = getComputedStyle(line.element);
  const rect = line.rect;
  const align = style.textAlign;
  let anchor = 'start';
  let x = rect.left;
  // Right-aligned columns (numbers) stay aligned even where the viewer's font is wider.
  if (align === 'right' || align === 'end') {
    anchor = 'end';
    x = rect.right;
  } else if (align === 'center') {
    anchor = 'middle';
    x = rect.left + rect.width / 2;
  }
  const metrics = measure(line.text, canvasFont(style));
  const ascent = metrics?.fontBoundingBoxAscent;
  const descent = metrics?.fontBoundingBoxDescent;
  // A text range's box is the font's ascent plus descent, so the baseline sits at the ascent.
  const baseline =
    ascent !== undefined && descent !== undefined && ascent + descent > 0
      ? { y: rect.top + (rect.height * ascent) / (ascent + descent), extra: '' }
      : { y: rect.top + rect.height / 2, extra: ' dominant-baseline="central"' };
  const attributes = [
    `x="${px(x - origin.left)}"`,
    `y="${px(baseline.y - origin.top)}"`,
    `fill="${escapeXml(style.color)}"`,
    `font-size="${escapeXml(style.fontSize)}"`,
    `font-family="${escapeXml(style.fontFamily)}"`,
    `font-weight="${escapeXml(style.fontWeight)}"`,
  ];
  if (style.fontStyle !== 'normal') attributes.push(`font-style="${escapeXml(style.fontStyle)}"`);
  if (anchor !== 'start') attributes.push(`text-anchor="${anchor}"`);
  return `<text ${attributes.join(' ')}${baseline.extra} xml:space="preserve">${escapeXml(line.text)}</text>`;
}

/** Table rules (the stats panel's row lines) as SVG lines. */
function tableBorders(figure: HTMLElement, origin: DOMRect): string[] {
  const lines: string[] = [];
  for (const cell of Array.from(figure.querySelectorAll('table, th, td'))) {
    if (!isRendered(cell)) continue;
    const style = getComputedStyle(cell);
    const box = cell.getBoundingClientRect();
    const sides = [
      ['Top', box.left, box.top, box.right, box.top],
      ['Bottom', box.left, box.bottom, box.right, box.bottom],
      ['Left', box.left, box.top, box.left, box.bottom],
      ['Right', box.right, box.top, box.right, box.bottom],
    ] as const;
    for (const [side, x1, y1, x2, y2] of sides) {
      const width = parseFloat(style.getPropertyValue(`border-${side.toLowerCase()}-width`));
      const colour = style.getPropertyValue(`border-${side.toLowerCase()}-color`);
      if (!(width > 0) || style.getPropertyValue(`border-${side.toLowerCase()}-style`) === 'none' || isTransparent(colour)) continue;
      // A border is drawn inside the box: move the line in by half its width.
      const inset = side === 'Bottom' || side === 'Right' ? -width / 2 : width / 2;
      const horizontal = side === 'Top' || side === 'Bottom';
      lines.push(
        `<line x1="${px(x1 - origin.left + (horizontal ? 0 : inset))}" y1="${px(y1 - origin.top + (horizontal ? inset : 0))}" x2="${px(x2 - origin.left + (horizontal ? 0 : inset))}" y2="${px(y2 - origin.top + (horizontal ? inset : 0))}" stroke="${escapeXml(colour)}" stroke-width="${px(width)}" stroke-linecap="square"/>`,
      );
    }
  }
  return lines;
}

function canvasImage(canvas: HTMLCanvasElement, origin: DOMRect): string | null {
  const box = canvas.getBoundingClientRect();
  if (canvas.width === 0 || canvas.height === 0 || box.width === 0 || box.height === 0 || !isRendered(canvas)) return null;
  let dataUrl: string;
  try {
    dataUrl = canvas.toDataURL('image/png');
  } catch {
    throw new Error('The export failed: the browser would not let the panel’s picture be read; reload the page and try again.');
  }
  return `<image x="${px(box.left - origin.left)}" y="${px(box.top - origin.top)}" width="${px(box.width)}" height="${px(box.height)}" preserveAspectRatio="none" href="${escapeXml(dataUrl)}"/>`;
}

function svgLayer(svg: SVGSVGElement, origin: DOMRect): string | null {
  const box = svg.getBoundingClientRect();
  if (box.width === 0 || box.height === 0 || !isRendered(svg)) return null;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  inlineSvgStyles(svg, copy);
  copy.setAttribute('x', px(box.left - origin.left));
  copy.setAttribute('y', px(box.top - origin.top));
  copy.setAttribute('width', px(box.width));
  copy.setAttribute('height', px(box.height));
  return new XMLSerializer().serializeToString(copy);
}

/**
 * Breaks a caption to fit the figure's width at its " · " separators, so that each part
 * (setting, margin, run) stays whole where it can; a part wider than a line starts a new
 * line and breaks at spaces. A line break in the caption (one line per compared run)
 * always starts a new line.
 */
export function wrapCaption(caption: string, maxWidth: number, widthOf: (text: string) => number): string[] {
  return caption.split('\n').flatMap((line) => wrapCaptionLine(line, maxWidth, widthOf));
}

function wrapCaptionLine(caption: string, maxWidth: number, widthOf: (text: string) => number): string[] {
  const lines: string[] = [];
  let current = '';
  const flush = (): void => {
    // A separator at the end of a line separates nothing.
    const line = current.trimEnd().replace(/\s*·$/, '');
    if (line) lines.push(line);
    current = '';
  };
  const add = (piece: string): void => {
    if (current && widthOf((current + piece).trimEnd()) > maxWidth) flush();
    current += piece;
  };
  for (const part of caption.split(/(?<= · )/)) {
    if (widthOf((current + part).trimEnd()) <= maxWidth) {
      current += part;
    } else if (widthOf(part.trimEnd()) <= maxWidth) {
      flush();
      current = part;
    } else {
      flush();
      for (const word of part.split(/(?<= )/)) add(word);
    }
  }
  flush();
  return lines;
}

const CAPTION_FONT_SIZE = 11;
const CAPTION_LINE_HEIGHT = 14;
const CAPTION_PADDING = 6;
let clipCounter = 0;

/**
 * A panel as one standalone SVG: canvases as embedded PNGs, inline SVGs with their
 * computed styles written in (so no stylesheet is needed), HTML text and table rules
 * as SVG, on the panel's background, with `caption` in a strip below. Everything is
 * placed by its on-screen box relative to the figure. No foreignObject is used, so the
 * result can be drawn onto a canvas without tainting it.
 */
export function composeFigure(figure: HTMLElement, caption: string): ComposedFigure {
  const origin = figure.getBoundingClientRect();
  const width = Math.ceil(origin.width);
  const figureHeight = Math.ceil(origin.height);
  if (width === 0 || figureHeight === 0) {
    throw new Error('The panel has no size on the page: make it visible, then export again.');
  }
  const figureStyle = getComputedStyle(figure);
  const paper = paperColour(figure);
  const measure = createMeasure();
  const captionFont = `${CAPTION_FONT_SIZE}px ${figureStyle.fontFamily}`;
  const captionLines = wrapCaption(caption.trim(), width - 2 * CAPTION_PADDING, (text) => measure(text, captionFont)?.width ?? text.length * CAPTION_FONT_SIZE * 0.6);
  const captionHeight = captionLines.length > 0 ? captionLines.length * CAPTION_LINE_HEIGHT + 2 * CAPTION_PADDING : 0;
  const height = figureHeight + captionHeight;

  const layers: string[] = [];
  for (const element of Array.from(figure.querySelectorAll('canvas, svg'))) {
    if (element instanceof HTMLCanvasElement) {
      const image = canvasImage(element, origin);
      if (image) layers.push(image);
    } else if (element instanceof SVGSVGElement && !element.parentElement?.closest('svg')) {
      const layer = svgLayer(element, origin);
      if (layer) layers.push(layer);
    }
  }
  layers.push(...tableBorders(figure, origin));
  const textLines = pictureTextLines(figure);
  layers.push(...textLines.map((line) => htmlTextElement(line, origin, measure)));

  const clipId = `arcface-export-clip-${++clipCounter}`;
  const ink = escapeXml(figureStyle.color || '#000000');
  const title = textLines.find((line) => line.element.closest('.panel-title, .margin-title'))?.text ?? '';
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    title ? `<title>${escapeXml(title)}</title>` : '',
    caption ? `<desc>${escapeXml(caption)}</desc>` : '',
    `<defs><clipPath id="${clipId}"><rect width="${width}" height="${figureHeight}"/></clipPath></defs>`,
    `<rect width="${width}" height="${height}" fill="${escapeXml(paper)}"/>`,
    `<g clip-path="url(#${clipId})">`,
    ...layers,
    '</g>',
  ];
  if (captionLines.length > 0) {
    parts.push(
      `<g font-size="${CAPTION_FONT_SIZE}" font-family="${escapeXml(figureStyle.fontFamily)}" fill="${ink}">`,
      `<line x1="0" x2="${width}" y1="${figureHeight + 0.5}" y2="${figureHeight + 0.5}" stroke="${ink}" stroke-opacity="0.2"/>`,
      ...captionLines.map((line, index) => {
        const y = figureHeight + CAPTION_PADDING + (index + 0.5) * CAPTION_LINE_HEIGHT;
        return `<text x="${CAPTION_PADDING}" y="${px(y)}" dominant-baseline="central" xml:space="preserve">${escapeXml(line)}</text>`;
      }),
      '</g>',
    );
  }
  parts.push('</svg>');
  return { svg: parts.filter(Boolean).join('\n'), width, height };
}

/** Browsers refuse canvases much past 16k px a side; stay well inside. */
const MAX_RASTER_SIDE = 8192;

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('The PNG export failed: the browser could not draw the figure; try the SVG export instead.'));
    image.src = url;
  });
}

/** Draws an SVG document onto a canvas `scale` times its size and encodes it as PNG. */
export async function rasterizeSvg(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  if (!(width > 0 && height > 0 && scale > 0)) {
    throw new Error('The PNG export failed: the figure has no size; make the panel visible and export again.');
  }
  const pixelScale = Math.min(scale, MAX_RASTER_SIDE / width, MAX_RASTER_SIDE / height);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = await loadImage(url);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * pixelScale));
    canvas.height = Math.max(1, Math.round(height * pixelScale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('The PNG export failed: the browser gave no canvas to draw on; try the SVG export instead.');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve, reject) => {
      try {
        canvas.toBlob(resolve, 'image/png');
      } catch (error) {
        reject(error);
      }
    }).catch(() => null);
    if (!blob) throw new Error('The PNG export failed: the browser could not encode the image; try the SVG export instead.');
    return blob;
  } finally {
    URL.revokeObjectURL(url);
  }
}
