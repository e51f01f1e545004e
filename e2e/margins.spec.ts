/**
 * Issue 14's drawing side: the original SphereFace and four later margins in Fig. 4b,
 * the original SphereFace in Fig. 5, the feasibility hint beside the margin controls, and
 * the warm-up's effective margin in the formula. Paused pages on WASM: nothing here needs
 * training beyond step 0.
 */
import { expect, test } from '@playwright/test';
import { AppPage } from './fixtures/appPage';
import { MarginsPage } from './fixtures/marginsPage';

test('Fig. 4b draws the original SphereFace beside the re-implementation, and the later margins with their papers', async ({ page }) => {
  const margins = new MarginsPage(page);
  await margins.open('?backend=wasm&preset=arcface');

  await expect(margins.curve('sphereface-m4')).toHaveAttribute('d', /^M/);
  await expect(margins.legend('sphereface-m4')).toHaveText('SphereFace (original, m = 4, λ = 5)');
  await expect(margins.legend('sphereface')).toHaveText(/SphereFace \(ArcFace authors’ re-implementation,\s?m\s=\s1\.35\)/);
  // Fig. 5 has the original too, named in full for the tooltip and the screen reader.
  await expect(margins.margin.locator('title', { hasText: 'SphereFace (original, m = 4, λ = 5)' })).toHaveCount(1);

  await margins.laterToggle.check();
  for (const [id, paper] of [
    ['curricularface', 'Huang et al. 2020'],
    ['adaface', 'Kim et al. 2022'],
    ['elasticface', 'Boutros et al. 2022'],
    ['magface', 'Meng et al. 2021'],
  ] as const) {
    await expect(margins.curve(id), `${id} is drawn`).toHaveAttribute('d', /^M/);
    await expect(margins.legend(id), `${id} names its paper`).toContainText(paper);
  }
  await expect(margins.curve('curricularface-negative')).toHaveAttribute('d', /^M/);
  await expect(page.getByTestId('logit-band-elasticface')).toHaveAttribute('d', /Z$/);
  await expect(page.getByTestId('logit-note-1')).toContainText('CurricularFace: a hard negative');

  // Each extra parameter is a control, and a link setting: ẑ moves AdaFace's curve.
  const before = await margins.curve('adaface').getAttribute('d');
  await margins.setCurveParam('adaNorm', '1');
  await expect(margins.legend('adaface')).toContainText('ẑ = 1');
  await expect.poll(() => margins.curve('adaface').getAttribute('d')).not.toBe(before);
  await expect.poll(() => page.url()).toContain('ada_z=1');
});

test('the hint says CosFace 0.35 cannot be met by 8 identities and ArcFace 0.5 can', async ({ page }) => {
  const margins = new MarginsPage(page);
  await margins.open('?backend=wasm&preset=cosface');
  await expect(margins.hint).toContainText('cannot meet this margin');
  await expect(margins.hint).toContainText('ψ(0) = 0.650 < cos 45.0° = 0.707');

  await page.getByTestId('preset').selectOption('arcface');
  await expect(margins.hint).toContainText('can meet this margin within 8.2° of their W');
  await expect(margins.hint).not.toContainText('cannot');
});

test('during the warm-up the formula and Fig. 4 show the margin of the step, marked as warming up', async ({ page }) => {
  const margins = new MarginsPage(page);
  await margins.open('?backend=wasm&preset=arcface&warmup=300');
  await expect(margins.formulaWarmup).toHaveText(/warming up 0\/300/);
  await expect(margins.formulaWarmup).toHaveAttribute('title', 'warming up, step 0 of 300: the margin is at 0% of (1, 0.5, 0)');
  await expect(page.getByTestId('formula')).toHaveAttribute('aria-label', /\\cos\(1\\,\\theta_\{y\} \+ 0\)/);
  // Fig. 4 keeps the target's curve and adds the margin of the step, named as warming up.
  await expect(margins.legend('warmup')).toHaveText(/^warming up 0\/300: m\s=\s\(1,\s0,\s0\)$/);
  await expect(margins.curve('warmup')).toHaveAttribute('d', /^M/);
  await expect(margins.margin.getByText('no margin, warming up')).toBeVisible();

  await page.getByTestId('step-10').click();
  await expect(margins.formulaWarmup).toHaveText(/warming up 10\/300/);
  await expect(margins.legend('warmup')).toHaveText(/^warming up 10\/300/);

  // Without a warm-up the full margin shows at once, unmarked.
  await margins.open('?backend=wasm&preset=arcface&warmup=0');
  await expect(page.getByTestId('formula')).toHaveAttribute('aria-label', /\\cos\(1\\,\\theta_\{y\} \+ 0\.5\)/);
  await expect(margins.formulaWarmup).toHaveCount(0);
  await expect(margins.curve('warmup')).toHaveCount(0);
});

test('the Sec. 3.4 presets set their terms in the controls and the link, and train beside Norm-Softmax', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?backend=wasm&compare=norm-softmax,ns-intra');
  await expect(page.getByTestId('legend-run-1').first()).toContainText('NS + Intra');
  await app.waitForStepAbove(3);
  expect(app.errors).toEqual([]);

  await app.open('?backend=wasm&autoplay=0');
  await expect(page.getByTestId('loss-terms')).not.toHaveAttribute('open', '');
  await app.preset.selectOption('ns-intra-inter');
  await expect(page.getByTestId('loss-terms')).toHaveAttribute('open', '');
  await expect(page.getByTestId('param-intra')).toHaveValue('1');
  await expect(page.getByTestId('param-inter')).toHaveValue('1');
  await expect.poll(() => new URL(page.url()).searchParams.get('preset')).toBe('ns-intra-inter');
  await app.preset.selectOption('arcface');
  await expect(page.getByTestId('param-intra')).toHaveValue('0');
});
