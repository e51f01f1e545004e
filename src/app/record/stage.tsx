/**
 * The recording stage: the chosen panels, drawn again off the page for a recording, in
 * the recording's theme and at its resolution, fed the timeline's kept frames through
 * buses of their own. The page the lecturer sees never changes theme, size or step while
 * it records; the stage is laid out far outside the viewport, hidden from assistive
 * technology and from the keyboard, and removed when the recording ends.
 *
 * Each frame is painted onto the recording's canvas layer by layer (exportFigure's
 * figureLayers): a panel's canvas straight from its pixels, which are already at the
 * recording's resolution; an SVG as a vector image rasterised at that resolution (and
 * decoded again only when its markup changed); HTML text as canvas text.
 */
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { Params } from '../../core/schema';
import { runWithFrameFields, type SessionFrame } from '../../core/snapshot';
import { runDash } from '../../panels/runStyle';
import type { SnapshotBus } from '../../panels/snapshotBus';
import type { PanelRun, PanelTheme } from '../../panels/types';
import { figureLayers, type LayerBox, standaloneSvg, type TextLayer, wrapCaption } from '../exportFigure';
import { withDevicePixelRatio } from './pixelRatio';
import { StageBus } from './stageBus';
import { captionFontSize, captionLineHeight, type StagePlan } from './stageLayout';
import { PANEL_COMPONENTS } from '../panelComponents';

/** A run as the stage draws it: named and coloured as on the page, with the page bus whose history it copies. */
export interface StageRun {
  letter: string;
  label: string;
  colour: string;
  params: Params;
  source: SnapshotBus;
}

export interface StageSetup {
  plan: StagePlan;
  theme: PanelTheme;
  runs: readonly StageRun[];
}

/** A slot's border, as app.css draws it: 2 px on the projector theme, 1 px otherwise. */
function slotBorder(theme: PanelTheme): number {
  return theme.name === 'projector' ? 2 : 1;
}

function StageView({ plan, theme, cellRuns }: { plan: StagePlan; theme: PanelTheme; cellRuns: readonly PanelRun[][] }) {
  const border = slotBorder(theme);
  return (
    <div className="app record-stage-frame" data-theme={theme.name} style={{ width: plan.cssWidth, height: plan.cssHeight }}>
      {plan.cells.map((cell, index) => {
        const Panel = PANEL_COMPONENTS[cell.panel];
        const size = { width: Math.max(1, cell.width - 2 * border), height: Math.max(1, cell.height - 2 * border) };
        return (
          <div key={cell.panel} className={`slot slot-${cell.panel}`} data-record-cell={index} style={{ position: 'absolute', left: cell.x, top: cell.y, width: size.width, height: size.height }}>
            <Panel runs={cellRuns[index]} size={size} theme={theme} />
          </div>
        );
      })}
    </div>
  );
}

/** Lets other tasks (input, the page's own frames) run: no task of the recording should grow long. */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

async function svgImage(markup: string): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } catch {
    throw new Error('The recording failed: the browser could not draw a panel; reload the page and try again.');
  } finally {
    URL.revokeObjectURL(url);
  }
}

type Context = OffscreenCanvasRenderingContext2D;

function drawText(context: Context, text: TextLayer, dx: number, dy: number): void {
  context.font = `${text.fontStyle} ${text.fontWeight} ${text.fontSize} ${text.fontFamily}`;
  context.fillStyle = text.fill;
  context.textAlign = text.anchor === 'middle' ? 'center' : text.anchor;
  context.textBaseline = text.central ? 'middle' : 'alphabetic';
  context.fillText(text.text, dx + text.x, dy + text.y);
}

function isTransparent(colour: string): boolean {
  return colour === '' || colour === 'transparent' || /^rgba\(.*,\s*0\)$/.test(colour);
}

export class RecordingStage {
  private readonly svgCache = new Map<SVGSVGElement, { key: string; image: HTMLImageElement }>();
  private disposed = false;

  private constructor(
    private readonly host: HTMLElement,
    private readonly root: Root,
    readonly plan: StagePlan,
    private readonly theme: PanelTheme,
    private readonly runs: readonly StageRun[],
    private readonly cellBuses: readonly StageBus[][],
  ) {}

  /** Lays the stage out off the page and renders its panels, canvases sized for the plan's pixel ratio. */
  static mount({ plan, theme, runs }: StageSetup): RecordingStage {
    const host = document.createElement('div');
    host.className = 'record-stage-host';
    host.setAttribute('aria-hidden', 'true');
    host.inert = true;
    host.style.width = `${plan.cssWidth}px`;
    host.style.height = `${plan.cssHeight}px`;
    document.body.append(host);
    // Each cell has buses of its own, so each panel repaints in a task of its own.
    const cellBuses = plan.cells.map(() => runs.map((run) => StageBus.of(run.source)));
    const cellRuns = cellBuses.map((buses) => runs.map((run, index): PanelRun => ({ index, letter: run.letter, label: run.label, colour: run.colour, params: run.params, bus: buses[index] })));
    const root = createRoot(host);
    withDevicePixelRatio(plan.pixelRatio, () => flushSync(() => root.render(<StageView plan={plan} theme={theme} cellRuns={cellRuns} />)));
    return new RecordingStage(host, root, plan, theme, runs, cellBuses);
  }

  private cellElement(cell: number): HTMLElement | null {
    return this.host.querySelector<HTMLElement>(`[data-record-cell="${cell}"]`);
  }

  /** Whether every painted canvas on the stage has the plan's resolution (false: the browser ignored the ratio, and frames are scaled up). */
  sharp(): boolean {
    const canvases = Array.from(this.host.querySelectorAll('canvas'));
    return canvases.every((canvas) => {
      const box = canvas.getBoundingClientRect();
      return box.width === 0 || Math.abs(canvas.width - box.width * this.plan.pixelRatio) <= 1;
    });
  }

  /** Puts the kept frame on cell `cell`'s buses: its panel repaints, at the plan's resolution, before this returns. */
  show(cell: number, frame: SessionFrame): void {
    const buses = this.cellBuses[cell];
    if (!buses || frame.runs.length !== buses.length) throw new Error('The recording failed: the runs changed while it was being made; record again.');
    // flushSync: a panel that keeps numbers in React state (the training panel's axis) renders them now, not in a later task.
    withDevicePixelRatio(this.plan.pixelRatio, () =>
      flushSync(() => {
        buses.forEach((bus, index) => {
          bus.publish(runWithFrameFields(frame, index));
        });
      }),
    );
  }

  /** The frame's background, the run legend and the caption: everything outside the panels. */
  paintChrome(context: Context, caption: string): void {
    const { plan } = this;
    const style = getComputedStyle(this.host.firstElementChild ?? this.host);
    const paper = isTransparent(style.backgroundColor) ? this.theme.paper : style.backgroundColor;
    const ink = style.color || this.theme.ink;
    context.setTransform(plan.pixelRatio, 0, 0, plan.pixelRatio, 0, 0);
    context.fillStyle = paper;
    context.fillRect(0, 0, plan.cssWidth, plan.cssHeight);
    const fontSize = captionFontSize(this.theme.name);
    const font = `${fontSize}px ${style.fontFamily}`;
    if (plan.legend.height > 0) this.paintLegend(context, font, fontSize, ink);
    if (plan.caption.height > 0 && caption) {
      context.font = font;
      const lines = wrapCaption(caption, plan.caption.width, (text) => context.measureText(text).width);
      const lineHeight = captionLineHeight(fontSize);
      context.globalAlpha = 0.2;
      context.fillStyle = ink;
      context.fillRect(plan.caption.x, plan.caption.y, plan.caption.width, 1);
      context.globalAlpha = 1;
      context.textAlign = 'left';
      context.textBaseline = 'middle';
      lines.forEach((line, index) => {
        context.fillText(line, plan.caption.x, plan.caption.y + 4 + (index + 0.5) * lineHeight);
      });
    }
  }

  private paintLegend(context: Context, font: string, fontSize: number, ink: string): void {
    const { legend } = this.plan;
    const middle = legend.y + legend.height / 2;
    const lineWidth = this.theme.lineWidth;
    let x = legend.x;
    context.textBaseline = 'middle';
    context.textAlign = 'left';
    this.runs.forEach((run, index) => {
      const swatch = fontSize * 2.5;
      context.strokeStyle = run.colour;
      context.lineWidth = lineWidth;
      context.setLineDash(runDash(index, lineWidth));
      context.beginPath();
      context.moveTo(x, middle);
      context.lineTo(x + swatch, middle);
      context.stroke();
      context.setLineDash([]);
      x += swatch + fontSize * 0.5;
      context.fillStyle = ink;
      context.font = `700 ${font}`;
      context.fillText(run.letter, x, middle);
      x += context.measureText(run.letter).width + fontSize * 0.4;
      context.font = font;
      context.fillText(run.label, x, middle);
      x += context.measureText(run.label).width + fontSize * 1.6;
    });
  }

  /** Draws cell `cell` (its card and its figure as it is now) onto the frame. */
  async paintCell(context: Context, cell: number): Promise<void> {
    const slot = this.cellElement(cell);
    const figure = slot?.querySelector<HTMLElement>('figure');
    if (!slot || !figure) throw new Error('The recording failed: a panel could not be drawn; reload the page and try again.');
    const ratio = this.plan.pixelRatio;
    const stageBox = this.host.getBoundingClientRect();
    const slotBox = slot.getBoundingClientRect();
    const slotStyle = getComputedStyle(slot);
    const border = Number.parseFloat(slotStyle.borderTopWidth) || 0;
    const card = { x: slotBox.left - stageBox.left, y: slotBox.top - stageBox.top, width: slotBox.width, height: slotBox.height };
    const figureBox = figure.getBoundingClientRect();
    const dx = figureBox.left - stageBox.left;
    const dy = figureBox.top - stageBox.top;
    const layers = figureLayers(figure);
    // SVGs first: their decoding awaits, and the drawing below must run in one go.
    const images = new Map<SVGSVGElement, HTMLImageElement>();
    for (const layer of layers) if (layer.kind === 'svg') images.set(layer.element, await this.svgLayerImage(layer.element, layer.box));
    if (this.disposed) return;

    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.save();
    context.beginPath();
    context.roundRect(card.x, card.y, card.width, card.height, Number.parseFloat(slotStyle.borderTopLeftRadius) || 0);
    if (!isTransparent(slotStyle.backgroundColor)) {
      context.fillStyle = slotStyle.backgroundColor;
      context.fill();
    }
    if (border > 0 && !isTransparent(slotStyle.borderTopColor)) {
      context.strokeStyle = slotStyle.borderTopColor;
      context.lineWidth = border;
      context.stroke();
    }
    context.beginPath();
    context.rect(dx, dy, figureBox.width, figureBox.height);
    context.clip();
    for (const layer of layers) {
      if (layer.kind === 'canvas') context.drawImage(layer.element, dx + layer.box.x, dy + layer.box.y, layer.box.width, layer.box.height);
      else if (layer.kind === 'svg') {
        const image = images.get(layer.element);
        if (image) context.drawImage(image, dx + layer.box.x, dy + layer.box.y, layer.box.width, layer.box.height);
      } else if (layer.kind === 'rule') {
        const { rule } = layer;
        context.strokeStyle = rule.stroke;
        context.lineWidth = rule.width;
        context.lineCap = 'square';
        context.beginPath();
        context.moveTo(dx + rule.x1, dy + rule.y1);
        context.lineTo(dx + rule.x2, dy + rule.y2);
        context.stroke();
      } else drawText(context, layer.text, dx, dy);
    }
    context.restore();
  }

  /** The SVG as an image of the frame's resolution; decoded again only when the SVG has changed since the last frame. */
  private async svgLayerImage(svg: SVGSVGElement, box: LayerBox): Promise<HTMLImageElement> {
    const key = `${box.width}x${box.height}:${svg.outerHTML}`;
    const cached = this.svgCache.get(svg);
    if (cached && cached.key === key) return cached.image;
    const image = await svgImage(standaloneSvg(svg, box, false, this.plan.pixelRatio));
    this.svgCache.set(svg, { key, image });
    return image;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.svgCache.clear();
    this.root.unmount();
    this.host.remove();
  }
}
