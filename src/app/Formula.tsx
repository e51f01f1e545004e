/**
 * The loss, typeset with KaTeX and filled in with the current margin. During the margin
 * warm-up it shows the margin the trainer applies at this step (core's `warmedMargin`),
 * with a note that names the target, so the numbers on screen are the ones training uses.
 */
import { useMemo } from 'react';
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { warmedMargin, type WarmupProgress } from '../core/margin';
import type { Params } from '../core/schema';
import type { SnapshotBus } from '../panels/snapshotBus';
import { useWarmupProgress } from '../panels/useWarmupProgress';

function number(value: number): string {
  return String(Number(value.toFixed(3)));
}

/** TeX of the loss for one sample. Only numbers from the schema go in, never user text. */
export function lossTex(params: Params, progress: WarmupProgress | null = null): string {
  if (params.head === 'softmax') {
    return String.raw`L = -\log \frac{e^{W_{y}^{\top}x + b_{y}}}{\sum_{j} e^{W_{j}^{\top}x + b_{j}}}`;
  }
  const { s } = params;
  const full = { m1: params.m1, m2: params.m2, m3: params.m3, fallback: params.fallback };
  const { m1, m2, m3 } = progress ? warmedMargin(full, progress.step, progress.steps) : full;
  const target = String.raw`e^{${number(s)}\,(\cos(${number(m1)}\,\theta_{y} + ${number(m2)}) - ${number(m3)})}`;
  return String.raw`L = -\log \frac{${target}}{${target} + \sum_{j \neq y} e^{${number(s)} \cos\theta_{j}}}`;
}

/** "warming up, step 120 of 300: the margin is at 40% of (1, 0.5, 0)", or null outside the warm-up. */
export function warmupNote(params: Params, progress: WarmupProgress | null): string | null {
  if (!progress || params.head === 'softmax') return null;
  return `warming up, step ${progress.step} of ${progress.steps}: the margin is at ${Math.round(progress.ramp * 100)}% of (${number(params.m1)}, ${number(params.m2)}, ${number(params.m3)})`;
}

/** A margin with a warm-up shows its note for the first steps; the formula keeps that room for the whole run. */
export function reservesWarmupNote(params: Params): boolean {
  return params.head !== 'softmax' && params.warmupSteps > 0;
}

/** With no bus (a test, a page without runs) the formula shows the full margin. */
const IDLE_BUS: SnapshotBus | null = null;

function FormulaBody({ params, progress }: { params: Params; progress: WarmupProgress | null }) {
  const tex = lossTex(params, progress);
  const html = useMemo(() => katex.renderToString(tex, { throwOnError: false, displayMode: false, output: 'html' }), [tex]);
  const note = warmupNote(params, progress);
  return (
    <div className="formula" data-testid="formula" role="math" aria-label={`Loss formula: ${tex}${note ? `; ${note}` : ''}`}>
      {/* KaTeX's output is built from our own numbers (see lossTex), not from user input. */}
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX's markup of our own numbers (above); nothing from a link or a message reaches it */}
      <span dangerouslySetInnerHTML={{ __html: html }} />
      {/* Short, so the header keeps its rows; the whole sentence is the tooltip and part of the formula's label. */}
      {note && progress ? (
        <span className="formula-warmup" data-testid="formula-warmup" title={note}>
          warming up {progress.step}/{progress.steps}
        </span>
      ) : (
        // The note's room is kept, empty, before the first frame and after the warm-up, so the
        // header does not re-wrap (and every panel re-lay itself out) when the note comes and goes.
        reservesWarmupNote(params) && <span className="formula-warmup" aria-hidden="true" />
      )}
    </div>
  );
}

function LiveFormula({ params, bus }: { params: Params; bus: SnapshotBus }) {
  const progress = useWarmupProgress(bus, params.warmupSteps);
  return <FormulaBody params={params} progress={progress} />;
}

export function Formula({ params, bus = IDLE_BUS }: { params: Params; bus?: SnapshotBus | null }) {
  return bus ? <LiveFormula params={params} bus={bus} /> : <FormulaBody params={params} progress={null} />;
}
