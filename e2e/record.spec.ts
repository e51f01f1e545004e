import { expect, test } from '@playwright/test';
import { readGifInfo } from '../src/app/record/gifInfo';
import { RecordPage } from './fixtures/recordPage';
import { playRecording } from './fixtures/recorderPage';

// Rendering each kept frame and encoding it in software on two shared cores takes a while.
test.setTimeout(180_000);

const CIRCLE_RUN = '?backend=cpu&panels=circle';
const STEPS = 40;

function report(label: string, frames: number, elapsedMs: number, bytes: number): void {
  console.log(`${label}: ${frames} frames rendered and encoded in ${elapsedMs} ms = ${((frames * 1000) / elapsedMs).toFixed(1)} frames/s, ${(bytes / 1024).toFixed(0)} KiB`);
}

test.describe('Record: a panel replayed from the timeline to a file', () => {
  let app: RecordPage;

  test.beforeEach(async ({ page }) => {
    app = new RecordPage(page);
    await app.openStepped(CIRCLE_RUN, STEPS);
  });

  test.afterEach(() => {
    expect(app.errors).toEqual([]);
  });

  test('a 720p GIF holds one frame per kept frame in the range, at 1280×720, and the page goes back to live', async () => {
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

  test('a 720p WebM plays at 1280×720 for its frames at its frame rate', async ({ context }) => {
    await app.choose({ format: 'webm', size: '720p', fps: 30 });
    await app.page.evaluate(() => {
      const durations: number[] = [];
      (window as unknown as { longTasks: number[] }).longTasks = durations;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) durations.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    const file = await app.record();
    const longTasks = await app.page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    console.log(`long tasks while recording: ${longTasks.length}, the longest ${Math.max(0, ...longTasks).toFixed(0)} ms`);
    report('WebM 720p', file.frames, file.elapsedMs, file.bytes.length);
    expect(file.name).toMatch(/\.webm$/);
    const playback = await playRecording(context, file.bytes.toString('base64'), 'video/webm');
    expect({ width: playback.videoWidth, height: playback.videoHeight }).toEqual({ width: 1280, height: 720 });
    // Half a frame: one frame too many or too few is a whole frame (1/30 s) off.
    expect(Math.abs(playback.duration - file.frames / 30)).toBeLessThanOrEqual(0.5 / 30);
    await expect(app.page.getByTestId('timeline-step')).toHaveText(`live · step ${STEPS}`);
  });

  test('Cancel stops a recording, says so, and the page goes back to live', async ({ page }) => {
    await app.choose({ format: 'webm', size: '1080p', fps: 30 });
    await app.start.click();
    await expect(app.progress).toBeVisible();
    await app.cancel.click();
    await expect(app.status).toHaveText('The recording was cancelled.');
    await expect(app.progress).toHaveCount(0);
    await expect(page.getByTestId('timeline-step')).toHaveText(`live · step ${STEPS}`);
  });

  test('a range with no kept frames gets a clear message and records nothing', async ({ page }) => {
    await app.choose({ format: 'gif', size: '720p', fps: 10, from: 1000, to: 2000 });
    await expect(app.frameCount).toHaveAttribute('data-frames', '0');
    await app.start.click();
    await expect(app.status).toHaveText(/no kept frames in that steps range/);
    await expect(page.getByTestId('notices')).toContainText('no kept frames in that steps range');
  });
});
