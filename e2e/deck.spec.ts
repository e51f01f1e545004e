import { expect, test, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { startDeckServer, type DeckServer } from './fixtures/deckServer';

/**
 * A real reveal.js 6 deck (e2e/fixtures/deck.html) with the playground in an iframe on
 * another origin: the deck comes from a server of its own on another port
 * (e2e/fixtures/deckServer.ts), the playground from the preview server at baseURL.
 * Both are on 127.0.0.1, a secure context; the frame trains on the CPU backend.
 */
let deckServer: DeckServer;
test.beforeAll(async () => {
  deckServer = await startDeckServer();
});
test.afterAll(async () => {
  await deckServer.close();
});

/** What a deck page looks like to a test: reveal's slide index, the frame, and what the deck heard. */
class DeckPage {
  readonly frame: FrameLocator;
  readonly frameElement: Locator;
  /** The circle panel's canvas in the frame: its data-step is the step it last drew. */
  readonly frameCanvas: Locator;
  readonly heardStep: Locator;
  readonly heardPlaying: Locator;
  readonly heardEvents: Locator;
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    this.frame = page.frameLocator('#playground');
    this.frameElement = page.locator('#playground');
    this.frameCanvas = this.frame.locator('[data-testid="panel-circle"] canvas');
    this.heardStep = page.locator('#deck-step');
    this.heardPlaying = page.locator('#deck-playing');
    this.heardEvents = page.locator('#deck-events');
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  /** `keys`: put keys=1 into the frame's link; `forward: false`: a deck without the key-event listener. */
  async open({ keys = false, forward = true }: { keys?: boolean; forward?: boolean } = {}): Promise<void> {
    const playground = test.info().project.use.baseURL;
    if (!playground) throw new Error("the deck needs the playground's baseURL");
    const query = new URLSearchParams({ playground });
    if (keys) query.set('keys', '1');
    if (!forward) query.set('forward', '0');
    await this.page.goto(`${deckServer.origin}/deck/?${query}`);
    await expect(this.page.locator('body')).toHaveAttribute('data-deck-ready', 'true');
    await expect(this.heardEvents).toContainText('ready', { timeout: 60_000 });
  }

  slideIndex(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { Reveal: { getIndices(): { h: number } } }).Reveal.getIndices().h);
  }

  async frameStep(): Promise<number> {
    return Number(await this.frameCanvas.getAttribute('data-step'));
  }

  /** The step the frame has stopped at: two reads a moment apart agree. */
  async settledFrameStep(): Promise<number> {
    // The worker's first frame after the pause (on a loaded machine it can come well after the key press).
    await expect(this.frame.locator('html')).toHaveAttribute('data-frame-playing', 'false', { timeout: 30_000 });
    let last = -1;
    await expect
      .poll(
        async () => {
          const previous = last;
          last = await this.frameStep();
          return last === previous;
        },
        { intervals: [300], timeout: 30_000 },
      )
      .toBe(true);
    return last;
  }

  /** Whether the playground's document has the keyboard focus. */
  frameHasFocus(): Promise<boolean> {
    return this.frame.locator('body').evaluate(() => document.hasFocus());
  }

  /** From the first slide, → on the deck itself goes to the playground's slide, which starts it. */
  async goToPlayground(): Promise<void> {
    expect(await this.slideIndex()).toBe(0);
    await this.page.keyboard.press('ArrowRight');
    await expect.poll(() => this.slideIndex()).toBe(1);
    await expect.poll(() => this.frameStep(), { timeout: 60_000 }).toBeGreaterThan(0);
  }

  /** A lecturer clicking into the frame; a pointer on the circle only shows a tooltip. */
  async clickIntoFrame(): Promise<void> {
    await this.frame.getByTestId('panel-circle').click();
    await expect.poll(() => this.frameHasFocus()).toBe(true);
  }
}

test('the deck starts the playground from its slide-change event and hears its state events', async ({ page }) => {
  const deck = new DeckPage(page);
  await deck.open();
  expect(new URL((await deck.frameElement.getAttribute('src')) ?? '').origin).not.toBe(new URL(page.url()).origin);
  // autoplay=0: nothing trains until the deck says play.
  await expect(deck.frameCanvas).toHaveAttribute('data-step', '0', { timeout: 60_000 });
  await expect(deck.heardPlaying).toHaveText('false');

  await deck.goToPlayground();
  await expect(deck.heardPlaying).toHaveText('true');
  await expect.poll(async () => Number(await deck.heardStep.textContent())).toBeGreaterThan(0);
  expect(deck.errors).toEqual([]);
});

test('after a click into the frame, the first → moves the deck: the frame hands the focus back and reports the key', async ({ page }) => {
  const deck = new DeckPage(page);
  await deck.open();
  await deck.goToPlayground();
  await deck.clickIntoFrame();

  await page.keyboard.press('ArrowRight');
  await expect.poll(() => deck.slideIndex()).toBe(2);
  expect(await deck.frameHasFocus()).toBe(false);
  // Leaving the slide paused the playground, and the deck heard it.
  await expect(deck.heardPlaying).toHaveText('false');
  // The deck has the keys now: ← on it goes back, straight to the playground's slide.
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => deck.slideIndex()).toBe(1);
  expect(deck.errors).toEqual([]);
});

test('a deck that does not listen for the key event moves on the second →: the first only hands the focus back', async ({ page }) => {
  const deck = new DeckPage(page);
  await deck.open({ forward: false });
  await deck.goToPlayground();
  await deck.clickIntoFrame();

  await page.keyboard.press('ArrowRight');
  await expect.poll(() => deck.frameHasFocus()).toBe(false);
  // Give a wrongly moved deck time to show it before checking it did not move.
  await page.waitForTimeout(300);
  expect(await deck.slideIndex()).toBe(1);

  await page.keyboard.press('ArrowRight');
  await expect.poll(() => deck.slideIndex()).toBe(2);
  expect(deck.errors).toEqual([]);
});

test('with keys=1 in its link, the frame keeps its keys: space pauses, → steps, and the deck stays', async ({ page }) => {
  const deck = new DeckPage(page);
  await deck.open({ keys: true });
  expect(await deck.frameElement.getAttribute('src')).toContain('keys=1');
  await deck.goToPlayground();
  await deck.clickIntoFrame();

  await page.keyboard.press(' ');
  await expect(deck.heardPlaying).toHaveText('false');
  const paused = await deck.settledFrameStep();
  // The last state event after the pause carries the step the run stopped at.
  await expect.poll(async () => Number(await deck.heardStep.textContent())).toBe(paused);

  await page.keyboard.press('ArrowRight');
  await expect.poll(() => deck.frameStep(), { timeout: 30_000 }).toBe(paused + 1);
  expect(await deck.slideIndex()).toBe(1);
  expect(await deck.frameHasFocus()).toBe(true);
  expect(deck.errors).toEqual([]);
});
