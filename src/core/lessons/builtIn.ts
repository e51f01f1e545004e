/**
 * The built-in lessons, opened with `lesson=ID`. The paper's numbers are from its Table 3
 * (CASIA, ResNet50) and the toy's from the README's results sections; keep them in step
 * with those if either changes.
 */
import type { Lesson, LessonStep } from '../lesson';

function step(fields: Partial<LessonStep> & { text: string }): LessonStep {
  return { preset: null, params: {}, compare: null, panels: null, highlight: null, trainTo: null, ...fields };
}

const normalise: Lesson = {
  title: 'Softmax to Norm-Softmax: why the features move to the circle',
  steps: [
    step({
      text: 'This is **plain softmax**: the logit of identity j is `W_j·x + b_j`, which grows with the *length* of the feature x as well as with its angle to W_j.\n\nTurn on the raw-features toggle in the circle panel. The features fan out along rays: making a correctly classified feature longer makes the softmax more confident, so the loss can fall without the identities becoming more compact in angle.',
      preset: 'softmax',
      highlight: 'circle',
      trainTo: 400,
    }),
    step({
      text: '**Norm-Softmax** L2-normalises the feature x and every W_j and drops the bias, so `W_j·x = cos θ_j`. The logit is `s·cos θ_j`.\n\nLength no longer changes any logit, so only the angle is learnt: every feature now lies on the circle (the paper’s hypersphere of radius s). Look at the formula above the panels.',
      preset: 'norm-softmax',
      highlight: 'formula',
      trainTo: 400,
    }),
    step({
      text: '**What s does.** A cosine lies between −1 and 1. With 8 identities and no scale, even the best case (target cosine 1, every rival −1) gives the target a probability of only about 0.51, so the loss could never approach 0. The scale s stretches the logits so that it can.\n\nThe paper uses `s = 64`. On this toy, a large s lets Norm-Softmax’s loss saturate as soon as the identities separate, so it stops pulling samples together and the arcs stay wide. Here `s = 32`: watch the arcs become narrow.',
      preset: 'norm-softmax',
      params: { s: 32 },
      highlight: 's',
      trainTo: 400,
    }),
    step({
      text: 'Normalising puts the features on the circle, but it does not make an identity compact by itself. In the paper’s Table 3, Norm-Softmax leaves W-EC at **44.26°** and Intra1 at **50.50°** (ArcFace: 14.29° and 38.45°).\n\nOn this toy, after 3,000 steps: Intra 4.24° and the smallest gap between arcs 13.47°, against 0.95° and 39.28° for ArcFace. Adding a margin is the next lesson (`lesson=margins`).',
      preset: 'norm-softmax',
      highlight: 'stats',
    }),
  ],
};

const fig3: Lesson = {
  title: 'Fig. 3: Softmax against ArcFace, side by side',
  steps: [
    step({
      text: 'The paper’s Fig. 3 trains 8 identities with a 2-D feature, once with **Softmax** (a) and once with **ArcFace** (b). Dots are samples; lines are the centre direction of each identity.\n\nBoth runs here share the data, the seed, the initial weights and the batch order, so the loss is the only difference.',
      compare: 'softmax,arcface',
      highlight: 'circle',
      trainTo: 600,
    }),
    step({
      text: 'Look at the gaps between neighbouring identities. Softmax leaves the identities touching; ArcFace leaves clear empty arcs between the nearest classes. The number in each gap is its width in degrees.\n\nArcFace adds `m2 = 0.5` rad (28.6°) to the target angle: a sample scores `cos(θ + 0.5)`, so it must sit well inside its own class to win.',
      compare: 'softmax,arcface',
      highlight: 'circle',
    }),
    step({
      text: '**Table 3** measures this in angles. In the paper (CASIA), ArcFace against Norm-Softmax:\n- W-EC: 14.29° against 44.26°\n- Intra1: 38.45° against 50.50°\n- Inter1: 65.83° against 59.23°\n\nOn this toy after 1,000 steps (mean of 5 seeds), Intra is 1.19° for ArcFace against 2.90° for Softmax, and the smallest arc gap 37.17° against 22.29°.',
      compare: 'softmax,arcface',
      highlight: 'stats',
    }),
    step({
      text: 'Tighter identities make verification easier. In Fig. 6, the angles of same-identity pairs and of different-identity pairs overlap for Softmax and separate for ArcFace. On this toy the verification accuracy is 98.70% against 99.54%; on LFW the paper reports 99.08% and 99.53%.',
      compare: 'softmax,arcface',
      highlight: 'pairs',
    }),
  ],
};

const margins: Lesson = {
  title: 'Margins: SphereFace, CosFace and ArcFace (Fig. 4 and Fig. 5)',
  steps: [
    step({
      text: 'Every margin here is one formula: the target logit is `s·ψ(θ)` with `ψ(θ) = cos(m1·θ + m2) − m3`; the other logits stay `s·cos θ`. The target logit panel (Fig. 4b) draws ψ for each loss.\n\n**SphereFace** multiplies the angle: `m1 = 1.35`. Its curve falls faster than `cos θ`, but only up to θ* = (π − m2)/m1 ≈ 133.3°; past that ψ would rise again (the shaded region), and a fallback keeps it falling.',
      preset: 'sphereface',
      highlight: 'logit',
    }),
    step({
      text: '**CosFace** subtracts a cosine margin: `ψ(θ) = cos θ − 0.35`, the plain cosine curve moved down. (The slides print `+ m3`; the paper and every implementation subtract it.)\n\nOn this toy 0.35 is too much: a sample exactly on its own W scores 1 − 0.35 = 0.65, below cos 45° ≈ 0.707 for the neighbouring W’s, so the loss stays above about 4.3 even at 100% accuracy.',
      preset: 'cosface',
      highlight: 'logit',
    }),
    step({
      text: '**ArcFace** adds an angle: `ψ(θ) = cos(θ + 0.5)`, with 0.5 rad = 28.6°. The margin is the same angle everywhere, which is a geodesic distance on the circle.\n\nψ falls up to θ* = π − 0.5 ≈ 151.4°. On this toy 0.5 fits: `cos(θ + 0.5)` beats `cos(45° − θ)` for θ < 8.2°.',
      preset: 'arcface',
      highlight: 'logit',
    }),
    step({
      text: '**Fig. 5, the decision margins.** Take two identities. Class 1 wins where `ψ(θ1) > cos θ2`; class 2’s boundary is the mirror. The margin is the band between the two boundaries:\n- Softmax and Norm-Softmax: the boundaries coincide, no margin\n- SphereFace: `θ2 = m1·θ1`, zero at θ = 0 and growing with θ\n- CosFace: `cos θ2 = cos θ1 − m3`, constant in cosine\n- ArcFace: `θ2 = θ1 + m2`, parallel lines, constant in angle',
      preset: 'arcface',
      // Fig. 5 beside the curves it is drawn from, and the circle that shows the margin kept.
      panels: ['margin', 'logit', 'circle'],
      highlight: 'margin',
    }),
    step({
      text: 'The margins combine. **CM1** uses `m1 = 1`, `m2 = 0.3`, `m3 = 0.2`: part angle, part cosine. Compare its bold curve with the others in Fig. 4b, and its band in Fig. 5.\n\nTry the sliders for m1, m2 and m3 yourself: the curves and the band follow.',
      preset: 'cm1',
      highlight: 'm2',
    }),
  ],
};

/** By id; the ids are what `lesson=` takes. */
export const BUILT_IN_LESSONS: Readonly<Record<string, Lesson>> = { normalise, fig3, margins };
