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

/** An HTML text line, placed relative to the figure: what both the SVG export and the recorder draw. */
export interface TextLayer {
  text: string;
  x: number;
  /** The baseline, or the middle of the line when `central`. */
  y: number;
  central: boolean;
  anchor: 'start' | 'middle' | 'end';
  fill: string;
  fontSize: string;
  fontFamily: string;
  fontWeight: string;
  fontStyle: string;
}

/** An HTML text line at the same place, in the same font, colour and alignment, relative to `origin`. */
function textLayer(line: TextLine, origin: DOMRect, measure: Measure): TextLayer {
  const style = getComputedStyle(line.element);
  const rect = line.rect;
  const align = style.textAlign;
  let anchor: TextLayer['anchor'] = 'start';
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
  const hasMetrics = ascent !== undefined && descent !== undefined && ascent + descent > 0;
  const y = hasMetrics ? rect.top + (rect.height * ascent) / (ascent + descent) : rect.top + rect.height / 2;
  return {
    text: line.text,
    x: x - origin.left,
    y: y - origin.top,
    central: !hasMetrics,
    anchor,
    fill: style.color,
    fontSize: style.fontSize,
    fontFamily: style.fontFamily,
    fontWeight: style.fontWeight,
    fontStyle: style.fontStyle,
  };
}

function textElement(layer: TextLayer): string {
  const attributes = [
    `x="${px(layer.x)}"`,
    `y="${px(layer.y)}"`,
    `fill="${escapeXml(layer.fill)}"`,
    `font-size="${escapeXml(layer.fontSize)}"`,
    `font-family="${escapeXml(layer.fontFamily)}"`,
    `font-weight="${escapeXml(layer.fontWeight)}"`,
  ];
  if (layer.fontStyle !== 'normal') attributes.push(`font-style="${escapeXml(layer.fontStyle)}"`);
  if (layer.anchor !== 'start') attributes.push(`text-anchor="${layer.anchor}"`);
  return `<text ${attributes.join(' ')}${layer.central ? ' dominant-baseline="central"' : ''} xml:space="preserve">${escapeXml(layer.text)}</text>`;
}

/** A straight rule relative to the figure (a table's row line). */
export interface RuleLayer {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  stroke: string;
  width: number;
}

/** Table rules (the stats panel's row lines). */
function tableRules(figure: HTMLElement, origin: DOMRect): RuleLayer[] {
  const rules: RuleLayer[] = [];
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
      rules.push({
        x1: x1 - origin.left + (horizontal ? 0 : inset),
        y1: y1 - origin.top + (horizontal ? inset : 0),
        x2: x2 - origin.left + (horizontal ? 0 : inset),
        y2: y2 - origin.top + (horizontal ? inset : 0),
        stroke: colour,
        width,
      });
    }
  }
  return rules;
}

function ruleElement(rule: RuleLayer): string {
  return `<line x1="${px(rule.x1)}" y1="${px(rule.y1)}" x2="${px(rule.x2)}" y2="${px(rule.y2)}" stroke="${escapeXml(rule.stroke)}" stroke-width="${px(rule.width)}" stroke-linecap="square"/>`;
}

/** A box relative to the figure's top left, in CSS pixels. */
export interface LayerBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * What a figure shows, as layers in paint order, placed relative to the figure: its
 * canvases and top-level SVGs in document order, then table rules, then HTML text. The
 * SVG export turns each into SVG markup; the recorder draws each onto its frame (a canvas
 * straight from its pixels, an SVG as a vector image at the frame's resolution).
 */
export type FigureLayer =
  | { kind: 'canvas'; element: HTMLCanvasElement; box: LayerBox }
  | { kind: 'svg'; element: SVGSVGElement; box: LayerBox }
  | { kind: 'rule'; rule: RuleLayer }
  | { kind: 'text'; text: TextLayer };

function boxWithin(element: Element, origin: DOMRect): LayerBox | null {
  const box = element.getBoundingClientRect();
  if (box.width === 0 || box.height === 0 || !isRendered(element)) return null;
  return { x: box.left - origin.left, y: box.top - origin.top, width: box.width, height: box.height };
}

export function figureLayers(figure: HTMLElement): FigureLayer[] {
  const origin = figure.getBoundingClientRect();
  const layers: FigureLayer[] = [];
  for (const element of Array.from(figure.querySelectorAll('canvas, svg'))) {
    if (element instanceof HTMLCanvasElement) {
      if (element.width === 0 || element.height === 0) continue;
      const box = boxWithin(element, origin);
      if (box) layers.push({ kind: 'canvas', element, box });
    } else if (element instanceof SVGSVGElement && !element.parentElement?.closest('svg')) {
      const box = boxWithin(element, origin);
      if (box) layers.push({ kind: 'svg', element, box });
    }
  }
  for (const rule of tableRules(figure, origin)) layers.push({ kind: 'rule', rule });
  const measure = createMeasure();
  for (const line of pictureTextLines(figure)) layers.push({ kind: 'text', text: textLayer(line, origin, measure) });
  return layers;
}

/**
 * A standalone SVG document of one of the figure's SVGs, with its computed styles written
 * in (no stylesheet needed) at `box`'s size times `pixelScale`; `place` sets x and y to put
 * it inside an enclosing SVG.
 */
export function standaloneSvg(svg: SVGSVGElement, box: LayerBox, place = false, pixelScale = 1): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  inlineSvgStyles(svg, copy);
  if (place) {
    copy.setAttribute('x', px(box.x));
    copy.setAttribute('y', px(box.y));
  } else {
    copy.removeAttribute('x');
    copy.removeAttribute('y');
  }
  // A larger intrinsic size over the same user units: the image is rasterised at the frame's resolution, not scaled up.
  if (pixelScale !== 1 && !copy.hasAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${px(box.width)} ${px(box.height)}`);
  copy.setAttribute('width', px(box.width * pixelScale));
  copy.setAttribute('height', px(box.height * pixelScale));
  return new XMLSerializer().serializeToString(copy);
}

function canvasImage(canvas: HTMLCanvasElement, box: LayerBox): string {
  let dataUrl: string;
  try {
    dataUrl = canvas.toDataURL('image/png');
  } catch {
    throw new Error('The export failed: the browser would not let the panel’s picture be read; reload the page and try again.');
  }
  return `<image x="${px(box.x)}" y="${px(box.y)}" width="${px(box.width)}" height="${px(box.height)}" preserveAspectRatio="none" href="${escapeXml(dataUrl)}"/>`;
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
  let title = '';
  for (const layer of figureLayers(figure)) {
    if (layer.kind === 'canvas') layers.push(canvasImage(layer.element, layer.box));
    else if (layer.kind === 'svg') layers.push(standaloneSvg(layer.element, layer.box, true));
    else if (layer.kind === 'rule') layers.push(ruleElement(layer.rule));
    else layers.push(textElement(layer.text));
  }
  for (const line of pictureTextLines(figure)) {
    if (line.element.closest('.panel-title, .margin-title')) {
      title = line.text;
      break;
    }
  }

  const clipId = `arcface-export-clip-${++clipCounter}`;
  const ink = escapeXml(figureStyle.color || '#000000');
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
