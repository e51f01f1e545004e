/** The loss, typeset with KaTeX and filled in with the current margin. */
import { useMemo } from 'react';
import katex from 'katex';
import 'katex/dist/katex.min.css';
import type { Params } from '../core/schema';

function number(value: number): string {
  return String(Number(value.toFixed(3)));
}

/** TeX of the loss for one sample. Only numbers from the schema go in, never user text. */
function lossTex(params: Params): string {
  if (params.head === 'softmax') {
    return String.raw`L = -\log \frac{e^{W_{y}^{\top}x + b_{y}}}{\sum_{j} e^{W_{j}^{\top}x + b_{j}}}`;
  }
  const { m1, m2, m3, s } = params;
  const target = String.raw`e^{${number(s)}\,(\cos(${number(m1)}\,\theta_{y} + ${number(m2)}) - ${number(m3)})}`;
  return String.raw`L = -\log \frac{${target}}{${target} + \sum_{j \neq y} e^{${number(s)} \cos\theta_{j}}}`;
}

export function Formula({ params }: { params: Params }) {
  const html = useMemo(() => katex.renderToString(lossTex(params), { throwOnError: false, displayMode: false, output: 'html' }), [params]);
  // KaTeX's output is built from our own numbers (see lossTex), not from user input.
  // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX's markup of our own numbers (above); nothing from a link or a message reaches it
  return <div className="formula" data-testid="formula" role="math" aria-label={`Loss formula: ${lossTex(params)}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
