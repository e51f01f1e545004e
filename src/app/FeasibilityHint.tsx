/**
 * One sentence beside the margin controls: can n identities in 2-D meet this margin at
 * all, and what is the largest that could (src/core/feasibility.ts has the reasoning).
 * It reads the target margin, not the warm-up's: the question is where training is headed.
 */
import { feasibilitySentence } from '../core/feasibility';
import type { Params } from '../core/schema';

export function feasibilityHintText(params: Pick<Params, 'head' | 'm1' | 'm2' | 'm3' | 'fallback' | 'identities'>): string {
  if (params.head === 'softmax') return 'Plain softmax has no margin to meet.';
  if (!Number.isInteger(params.identities) || params.identities < 2) return 'A margin needs at least two identities to compare.';
  return feasibilitySentence({ m1: params.m1, m2: params.m2, m3: params.m3, fallback: params.fallback }, params.identities);
}

const HINT_STYLE = { fontSize: '0.75em', lineHeight: 1.35, margin: '2px 0 8px', color: 'var(--muted)' } as const;

export function FeasibilityHint({ params }: { params: Params }) {
  const text = feasibilityHintText(params);
  return (
    // Styled here rather than in app.css: the hint is this component's alone.
    <p className="control-hint" data-testid="feasibility-hint" aria-live="polite" style={HINT_STYLE}>
      {text}
    </p>
  );
}
