/**
 * Fig. 3: normalised features on the unit circle, with each identity's W_j direction
 * (solid) and feature-centre direction (dashed). A pure function of (snapshot, size):
 * it paints a canvas and returns nothing.
 */
import { scaleLinear } from 'd3';
import { classCentres } from '../core/angles';
import type { TrainerSnapshot } from '../train/trainer';
import { identityColour } from './palette';

export interface PanelSize {
  width: number;
  height: number;
}

type CircleSnapshot = Pick<TrainerSnapshot, 'unitEmbeddings' | 'labels' | 'weights' | 'classes'>;

export function drawCirclePanel(context: CanvasRenderingContext2D, snapshot: CircleSnapshot, size: PanelSize, ink: string): void {
  const { width, height } = size;
  context.clearRect(0, 0, width, height);
  const radius = Math.min(width, height) / 2 - 12;
  const x = scaleLinear().domain([-1.1, 1.1]).range([width / 2 - radius * 1.1, width / 2 + radius * 1.1]);
  const y = scaleLinear().domain([-1.1, 1.1]).range([height / 2 + radius * 1.1, height / 2 - radius * 1.1]);

  context.strokeStyle = ink;
  context.globalAlpha = 0.35;
  context.lineWidth = 1;
  context.beginPath();
  context.arc(x(0), y(0), x(1) - x(0), 0, 2 * Math.PI);
  context.stroke();
  context.globalAlpha = 1;

  const { unitEmbeddings, labels, weights, classes } = snapshot;
  // Jitter-free points sit on the circle; a little radial spread keeps overlapping ones visible.
  for (let i = 0; i < labels.length; i++) {
    const spread = 1 - 0.04 * ((i * 0.618034) % 1);
    context.fillStyle = identityColour(labels[i]);
    context.fillRect(x(unitEmbeddings[i * 2] * spread) - 1.5, y(unitEmbeddings[i * 2 + 1] * spread) - 1.5, 3, 3);
  }

  const { centres, present } = classCentres(unitEmbeddings, labels, classes, 2);
  context.lineWidth = 2;
  for (let c = 0; c < classes; c++) {
    const norm = Math.hypot(weights[c * 2], weights[c * 2 + 1]) || 1;
    context.strokeStyle = identityColour(c);
    context.setLineDash([]);
    context.beginPath();
    context.moveTo(x(0), y(0));
    context.lineTo(x((weights[c * 2] / norm) * 1.08), y((weights[c * 2 + 1] / norm) * 1.08));
    context.stroke();
    if (!present[c]) continue;
    context.setLineDash([4, 4]);
    context.beginPath();
    context.moveTo(x(0), y(0));
    context.lineTo(x(centres[c * 2] * 0.9), y(centres[c * 2 + 1] * 0.9));
    context.stroke();
  }
  context.setLineDash([]);
}
