/**
 * Hostile share links: each loads, shows its panels, raises no uncaught error and runs
 * nothing injected. Runs in the no-WebGPU project so that no load waits for the
 * software-adapter probe.
 */
import { expect, test } from '@playwright/test';

const LONG = 'x'.repeat(10_000);
const INJECTIONS = ['<script>window.__pwned=1</script>', '"><img src=x onerror="window.__pwned=1">', 'javascript:window.__pwned=1', '<svg onload=window.__pwned=1>', "'-alert(1)-'"];

const HOSTILE_QUERIES: string[] = [
  'm1=NaN',
  'm2=Infinity',
  'm3=-Infinity',
  's=1e400',
  'lr=-1',
  'seed=-5',
  'n=0',
  'n=99999999',
  'm2=',
  's=%20',
  'm1=0x10',
  'm1=1,5',
  'm2=0.5&m2=0.9',
  'preset=nope',
  'preset=',
  'backend=quantum',
  'autoplay=maybe',
  'steps=-10',
  'steps=1e9',
  'steps=abc',
  'speed=0',
  'speed=1000',
  'panels=',
  'panels=nope',
  'panels=circle,circle,circle',
  'embed=2',
  'theme=neon',
  'hide=everything',
  'v=999',
  `m2=${LONG}`,
  `preset=${LONG}`,
  `${LONG}=1`,
  'unknown=1',
  '__proto__=1',
  'constructor=1',
  'toString=1',
  'hasOwnProperty=1',
  'm1=１',
  'm2=\u202e0.5',
  'seed=😀',
  'theme=%00',
  '%E0%A4%A=1',
  'm2=%',
  '&&&&',
  '=',
  '==1',
  '?m1=1',
  '#m1=1',
  'fallback=yes',
  'opt=<b>',
  'head=softmax&m1=2',
  'ids=1000',
  'batch=-1',
  'warmup=NaN',
  ...INJECTIONS.flatMap((payload) => [`preset=${encodeURIComponent(payload)}`, `${encodeURIComponent(payload)}=1`, `panels=${encodeURIComponent(payload)}`]),
];

test(`${HOSTILE_QUERIES.length} hostile links each load, show their panels, and run nothing injected`, async ({ page }) => {
  test.setTimeout(HOSTILE_QUERIES.length * 6_000);
  expect(HOSTILE_QUERIES.length).toBeGreaterThanOrEqual(50);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  for (const query of HOSTILE_QUERIES) {
    await page.goto(`./?${query}`);
    await expect(page.locator('[data-testid^="panel-"]').first(), `panels for ?${query.slice(0, 60)}`).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), `injection via ?${query.slice(0, 60)}`).toBeUndefined();
    expect(await page.locator('img[src="x"], script:not([src]):not([type="module"])').count()).toBe(0);
  }
  expect(errors).toEqual([]);
});
