import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { readGifInfo } from '../src/app/record/gifInfo';
import { captionFontSize, legendStripHeight, planStage, STAGE_GAP, type StageBox } from '../src/app/record/stageLayout';
import { circleLayout } from '../src/panels/circleGeometry';
import { LIGHT_THEME } from '../src/panels/types';
import { RecordPage } from './fixtures/recordPage';
import { busiestMainThreadTask, playRecording, TASK_TRACE_CATEGORIES } from './fixtures/recorderPage';

// Rendering each kept frame and encoding it in software on two shared cores takes a while.
test.setTimeout(180_000);

const CIRCLE_RUN = '?backend=cpu&panels=circle';
const STEPS = 40;

function report(label: string, frames: number, elapsedMs: number, bytes: number): void {
  console.log(`${label}: ${frames} frames rendered and encoded in ${elapsedMs} ms = ${((frames * 1000) / elapsedMs).toFixed(1)} frames/s, ${(bytes / 1024).toFixed(0)} KiB`);
}

/** A box to count colours in, `inset` pixels in from its edges (6 unless told). */
type ProbeBox = StageBox & { inset?: number };

/**
 * What the first frame of a GIF shows: the colour at its top-left corner, how many colours
 * each box holds, and, across `inkBox`, which columns hold dark ink.
 */
async function gifFirstFrame(context: BrowserContext, bytes: Buffer, boxes: readonly ProbeBox[], inkBox?: StageBox): Promise<{ corner: number[]; colours: number[]; inkColumns: boolean[] }> {
  const probe = await context.newPage();
  try {
    await probe.route('**/__gif-probe', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>gif probe</title>' }));
    await probe.goto('./__gif-probe');
    return await probe.evaluate(
      async ({ base64, boxes, inkBox }) => {
        const data = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([data], { type: 'image/gif' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d');
        if (!context) throw new Error('no 2D context');
        context.drawImage(bitmap, 0, 0);
        const colours = boxes.map((box) => {
          const inset = box.inset ?? 6;
          const pixels = context.getImageData(box.x + inset, box.y + inset, box.width - 2 * inset, box.height - 2 * inset).data;
          const seen = new Set<number>();
          for (let i = 0; i < pixels.length; i += 4) seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
          return seen.size;
        });
        const inkColumns: boolean[] = [];
        if (inkBox) {
          const { data } = context.getImageData(inkBox.x, inkBox.y, inkBox.width, inkBox.height);
          for (let column = 0; column < inkBox.width; column++) {
            let dark = false;
            for (let row = 0; row < inkBox.height && !dark; row++) {
              const i = (row * inkBox.width + column) * 4;
              dark = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] < 110;
            }
            inkColumns.push(dark);
          }
        }
        return { corner: Array.from(context.getImageData(1, 1, 1, 1).data.slice(0, 3)), colours, inkColumns };
      },
      { base64: bytes.toString('base64'), boxes, inkBox },
    );
  } finally {
    await probe.close();
  }
}

/** One trained page for the whole describe: stepping 40 CPU steps one by one is the slow part. */
test.describe('Record: panels replayed from the timeline to a file', () => {
  test.describe.configure({ mode: 'serial' });
  let context: BrowserContext;
  let app: RecordPage;

  test.beforeAll(async ({ browser }, testInfo) => {
    context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
    app = new RecordPage(await context.newPage());
    await app.openStepped(CIRCLE_RUN, STEPS);
  });

  test.afterAll(async () => {
    await context.close();
  });

  test.afterEach(() => {
    expect(app.errors).toEqual([]);
  });

  test('a 720p GIF holds one frame per kept frame in the range, at 1280×720, and the page stays live', async () => {
    await app.choose({ format: 'gif', size: '720p', fps: 10, from: 10 });
    const file = await app.record();
    report('GIF 720p', file.frames, file.elapsedMs, file.bytes.length);
    // Every step from 10 to 40 was drawn and kept: one recorded frame each.
    expect(file.frames).toBe(31);
    expect(file.name).toMatch(/^arcface-\d{4}-\d{2}-\d{2}-\d{4}\.gif$/);
    expect(file.bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    const info = readGifInfo(file.bytes);
    expect({ width: info.width, height: info.height, frames: info.frames.length }).toEqual({ width: 1280, height: 720, frames: file.frames });
    await expect(app.status).toHaveText(new RegExp(`^Saved ${file.name.replace('.', '\\.')} \\(\\d+(\\.\\d)? [KM]?B, ${file.frames} frames`));
    await expect(app.page.getByTestId('timeline-step')).toHaveText(`live · step ${STEPS}`);
    await expect(app.play).toHaveText('Play');
  });

  test('a 720p WebM plays at 1280×720 for its frames at its frame rate', async () => {
    await app.choose({ format: 'webm', size: '720p', fps: 30, from: 20 });
    const file = await app.record();
    report('WebM 720p', file.frames, file.elapsedMs, file.bytes.length);
    expect(file.name).toMatch(/\.webm$/);
    const playback = await playRecording(context, file.bytes.toString('base64'), 'video/webm');
    expect({ width: playback.videoWidth, height: playback.videoHeight }).toEqual({ width: 1280, height: 720 });
    // Half a frame: one frame too many or too few is a whole frame (1/30 s) off.
    expect(Math.abs(playback.duration - file.frames / 30)).toBeLessThanOrEqual(0.5 / 30);
  });

  test('three panels in the dark theme, 5 steps a frame: one cell each, drawn, and the page keeps its light theme', async () => {
    const panels = ['circle', 'training', 'stats'] as const;
    const root = app.page.locator('.app').first();
    await expect(root).toHaveAttribute('data-theme', 'light');
    await root.evaluate((element) => {
      const changes: string[] = [];
      (window as unknown as { themeChanges: string[] }).themeChanges = changes;
      new MutationObserver(() => changes.push(`${element.getAttribute('data-theme')} ${element.className}`)).observe(element, { attributes: true });
    });
    await app.choose({ format: 'gif', size: '720p', fps: 10, panels, theme: 'dark', stepsPerFrame: 5, caption: false });
    const file = await app.record();
    // Steps 0, 5, …, 40.
    expect(file.frames).toBe(9);
    const info = readGifInfo(file.bytes);
    expect({ width: info.width, height: info.height, frames: info.frames.length }).toEqual({ width: 1280, height: 720, frames: 9 });
    expect(await app.page.evaluate(() => (window as unknown as { themeChanges: string[] }).themeChanges)).toEqual([]);
    await expect(root).toHaveAttribute('data-theme', 'light');

    const plan = planStage({ panels, width: 1280, height: 720, wideCircle: false, legendHeight: 0, captionHeight: 0 });
    expect(plan.cells.map((cell) => cell.panel)).toEqual(panels);
    const gaps = [
      { x: 0, y: 0, width: plan.cssWidth, height: plan.cells[0].y },
      { x: plan.cells[0].x + plan.cells[0].width + 1, y: plan.cells[0].y + 20, width: plan.cells[1].x - plan.cells[0].x - plan.cells[0].width - 2, height: 200 },
    ].filter((box) => box.width > 0 && box.height > 0);
    const frame = await gifFirstFrame(context, file.bytes, [...plan.cells, ...gaps]);
    // The dark theme's paper (#17181a), not the page's light one.
    for (const [channel, value] of frame.corner.entries()) expect(Math.abs(value - [0x17, 0x18, 0x1a][channel])).toBeLessThanOrEqual(3);
    const cellColours = frame.colours.slice(0, panels.length);
    console.log(`colours per cell: ${panels.map((panel, index) => `${panel} ${cellColours[index]}`).join(', ')}; in the gaps: ${frame.colours.slice(panels.length).join(', ')}`);
    // A drawn panel has text, lines and points in many colours; an empty card, or the gap between cards, has one or two.
    for (const count of cellColours) expect(count).toBeGreaterThan(12);
    for (const count of frame.colours.slice(panels.length)) expect(count).toBeLessThanOrEqual(2);
  });

  test('four panels at 1080p: the whole Record path never holds the main thread for over 50 ms of CPU, and panels paint at 1080p', async ({ browser }) => {
    const panels = ['circle', 'logit', 'training', 'stats'] as const;
    // A first short recording pays once for what any page pays on its first use (the encoder's chunk, the worker's start, fonts).
    await app.choose({ format: 'webm', size: '1080p', fps: 30, panels, from: 37 });
    await app.record();
    await app.choose({ format: 'webm', size: '1080p', fps: 30, panels });
    await browser.startTracing(app.page, { categories: TASK_TRACE_CATEGORIES });
    const recording = app.record();
    // While it records, the stage's canvases have 1.5 device pixels per CSS pixel: 1080p drawn at 1080p.
    const stageCanvas = app.page.locator('.record-stage-host canvas').first();
    await stageCanvas.waitFor({ state: 'attached' });
    const ratio = await stageCanvas.evaluate((canvas: HTMLCanvasElement) => canvas.width / canvas.getBoundingClientRect().width);
    const file = await recording;
    const busiest = busiestMainThreadTask(await browser.stopTracing());
    report('WebM 1080p, four panels', file.frames, file.elapsedMs, file.bytes.length);
    console.log(
      `the busiest main-thread task while recording: ${busiest.cpuMs.toFixed(1)} ms of CPU (${busiest.inside}); of any task, the browser's own included: ${busiest.plumbing.cpuMs.toFixed(1)} ms (${busiest.plumbing.inside})`,
    );
    expect(file.frames).toBe(STEPS + 1);
    expect(ratio).toBeCloseTo(1.5, 2);
    expect(busiest.cpuMs, `the busiest task ran: ${busiest.inside}`).toBeLessThanOrEqual(50);
    await expect(app.page.locator('.record-stage-host')).toHaveCount(0);
  });

  test('Cancel stops a recording, says so, and the page stays live', async () => {
    await app.choose({ format: 'webm', size: '1080p', fps: 30, panels: ['circle'] });
    await app.start.click();
    await expect(app.progress).toBeVisible();
    await app.cancel.click();
    await expect(app.status).toHaveText('The recording was cancelled.');
    await expect(app.progress).toHaveCount(0);
    await expect(app.page.getByTestId('timeline-step')).toHaveText(`live · step ${STEPS}`);
  });

  test('a range with no kept frames gets a clear message and records nothing', async () => {
    await app.choose({ format: 'gif', size: '720p', fps: 10, from: 1000, to: 2000 });
    await expect(app.frameCount).toHaveAttribute('data-frames', '0');
    await app.start.click();
    await expect(app.status).toHaveText(/no kept frames in that steps range/);
    await expect(app.page.getByTestId('notices')).toContainText('no kept frames in that steps range');
  });
});

interface HostRecordEvent {
  event: 'recordProgress' | 'recorded' | 'recordError';
  id?: string;
  message?: string;
  fraction?: number;
  frames?: number;
  width?: number;
  height?: number;
  mimeType?: string;
  file?: Blob;
}

async function hostRecordEvents(page: Page): Promise<HostRecordEvent[]> {
  return page.evaluate(() => (window as unknown as { hostRecordEvents: HostRecordEvent[] }).hostRecordEvents.map(({ file, ...rest }) => ({ ...rest, file: undefined, fileBytes: file?.size })));
}

test.describe('the record command of the embed API', () => {
  test('a host asks for a GIF and gets progress, then the file as a Blob; a bad request gets one sentence', async ({ page }) => {
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await page.route('**/host.html', (route) => route.fulfill({ path: 'e2e/fixtures/host.html', contentType: 'text/html' }));
    await page.goto('./host.html');
    await expect(page.locator('#host-log')).toContainText('"event":"ready"', { timeout: 60_000 });
    const send = (message: Record<string, unknown>) => page.evaluate((m) => (window as unknown as { send: (m: unknown) => void }).send(m), message);

    await send({ command: 'step', count: 1 });
    await expect(page.locator('#host-last-step')).toHaveText('1', { timeout: 30_000 });
    await send({ command: 'record', format: 'gif', panels: ['circle', 'logit'], size: '720p', fps: 10, theme: 'projector', id: 'lecture-1' });
    await expect.poll(async () => (await hostRecordEvents(page)).some((event) => event.event !== 'recordProgress'), { timeout: 60_000 }).toBe(true);
    const events = await hostRecordEvents(page);
    const done = events.find((event) => event.event === 'recorded');
    expect(done, JSON.stringify(events)).toMatchObject({ id: 'lecture-1', mimeType: 'image/gif', width: 1280, height: 720 });
    const progress = events.filter((event) => event.event === 'recordProgress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.every((event) => event.id === 'lecture-1')).toBe(true);
    expect(progress[progress.length - 1].fraction).toBe(1);
    // The Blob itself reached the host: its bytes are a GIF with the frames the event names.
    const base64 = await page.evaluate(async () => {
      const file = (window as unknown as { hostRecordEvents: HostRecordEvent[] }).hostRecordEvents.find((event) => event.event === 'recorded')?.file;
      if (!(file instanceof Blob)) return '';
      const bytes = new Uint8Array(await file.arrayBuffer());
      return btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(''));
    });
    const info = readGifInfo(Buffer.from(base64, 'base64'));
    expect({ width: info.width, height: info.height, frames: info.frames.length }).toEqual({ width: 1280, height: 720, frames: done?.frames });

    await send({ command: 'record', format: 'avi', id: 'bad-1' });
    await send({ command: 'record', format: 'gif', size: '1080p', id: 'bad-2' });
    await expect.poll(async () => (await hostRecordEvents(page)).filter((event) => event.event === 'recordError').length, { timeout: 30_000 }).toBe(2);
    const errors = (await hostRecordEvents(page)).filter((event) => event.event === 'recordError');
    expect(errors[0]).toMatchObject({ id: 'bad-1', message: expect.stringContaining('format must be one of webm, mp4, gif') });
    expect(errors[1]).toMatchObject({ id: 'bad-2', message: expect.stringContaining('A GIF can be at most 1280×720 pixels') });
    expect(warnings.some((text) => text.includes("record: format must be one of webm, mp4, gif, got 'avi'"))).toBe(true);
  });
});

/** Stretches of ink columns, split wherever `gap` or more columns in a row hold none. */
function inkClusters(columns: readonly boolean[], gap: number): number {
  let clusters = 0;
  let blank = gap;
  for (const ink of columns) {
    if (ink && blank >= gap) clusters += 1;
    blank = ink ? 0 : blank + 1;
  }
  return clusters;
}

test.describe('Record: the compare view', () => {
  test("a two-run comparison records both runs: a legend entry each, and a circle each across Fig. 3's two cells", async ({ page, context }) => {
    const app = new RecordPage(page);
    await app.openStepped('?backend=cpu&compare=softmax,arcface', 3);
    const panels = ['circle', 'stats'] as const;
    await app.choose({ format: 'gif', size: '720p', fps: 10, panels, theme: 'light', caption: false });
    const file = await app.record();
    report('GIF 720p, two runs', file.frames, file.elapsedMs, file.bytes.length);
    // Steps 0 to 3, one frame each, and small enough to mail.
    expect(file.frames).toBe(4);
    const info = readGifInfo(file.bytes);
    expect({ width: info.width, height: info.height, frames: info.frames.length }).toEqual({ width: 1280, height: 720, frames: 4 });
    expect(file.bytes.length).toBeLessThan(1024 * 1024);

    const fontSize = captionFontSize('light');
    const plan = planStage({ panels, width: 1280, height: 720, wideCircle: true, legendHeight: legendStripHeight(2, fontSize), captionHeight: 0 });
    const [circle, stats] = plan.cells;
    // The plan the checks below rely on: Fig. 3 as wide as two stats cells and the gap between them.
    expect(Math.abs(circle.width - (2 * stats.width + STAGE_GAP))).toBeLessThanOrEqual(1);
    // Where each run's circle has its centre, on which its class-centre lines converge (the light theme's slots have a 1 px border).
    const border = 1;
    const hubs = circleLayout({ width: circle.width - 2 * border, height: circle.height - 2 * border }, 2, LIGHT_THEME.fontSize).cells.map((cell) => ({
      x: Math.round(circle.x + border + cell.left + cell.geometry.centreX) - 6,
      y: Math.round(circle.y + border + cell.top + cell.geometry.centreY) - 6,
      width: 12,
      height: 12,
      inset: 0,
    }));
    const frame = await gifFirstFrame(context, file.bytes, [...hubs, stats], plan.legend);
    // Entries are 1.6 em apart; within one, the widest blank (a dashed swatch's last gap and the space after it) is 1 em.
    const entries = inkClusters(frame.inkColumns, Math.round(1.3 * fontSize));
    console.log(`legend entries: ${entries}; colours at the hubs: ${frame.colours.slice(0, 2).join(', ')}, in the stats cell: ${frame.colours[2]}`);
    // A "swatch, letter, label" entry per run.
    expect(entries).toBe(2);
    // Each hub, where a circle's lines meet, holds dozens of colours (62 measured). One circle centred across the
    // whole cell, or a circle cell one column wide, leaves these spots in blank paper or on a line or two (1 to 16 measured).
    for (const count of frame.colours.slice(0, 2)) expect(count).toBeGreaterThanOrEqual(30);
    // Table 3 is drawn in the third column, beside Fig. 3.
    expect(frame.colours[2]).toBeGreaterThan(12);
    expect(app.errors).toEqual([]);
  });
});
