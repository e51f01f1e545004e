/**
 * The paper's Table 3 statistics, live, beside the paper's own values for
 * norm-softmax and ArcFace (CASIA, ResNet50). The live cells are written straight into
 * the DOM on each snapshot; React renders the table once.
 */
import { useEffect, useRef } from 'react';
import type { AngleReport } from '../core/angles';
import type { PanelProps } from './types';

interface StatRow {
  key: keyof AngleReport;
  label: string;
  help: string;
  /** The paper's values, NS and ArcFace; null where the paper has none. */
  paper: [number, number] | null;
}

export const STAT_ROWS: readonly StatRow[] = [
  { key: 'wEC', label: 'W-EC', help: 'mean angle between W_j and identity j’s feature centre', paper: [44.26, 14.29] },
  { key: 'wInter', label: 'W-Inter', help: 'mean smallest angle between class directions W', paper: [69.66, 71.61] },
  { key: 'intraTrain', label: 'Intra1', help: 'mean angle from a training feature to its identity’s centre', paper: [50.5, 38.45] },
  { key: 'interTrain', label: 'Inter1', help: 'mean smallest angle between training identities’ centres', paper: [59.23, 65.83] },
  { key: 'intraHeldout', label: 'Intra2', help: 'as Intra1, on 8 identities never trained on (the paper: LFW)', paper: [33.97, 28.05] },
  { key: 'interHeldout', label: 'Inter2', help: 'as Inter1, on the held-out identities', paper: [65.6, 66.55] },
  { key: 'gapTrain', label: 'Arc gap', help: 'smallest empty angle between neighbouring identities’ arcs (2nd–98th percentile); negative = overlap', paper: null },
];

export function formatDegrees(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)}°` : '–';
}

export function StatsPanel({ size, bus }: PanelProps) {
  const cells = useRef(new Map<keyof AngleReport, HTMLTableCellElement>());
  useEffect(() => {
    const write = (angles: AngleReport): void => {
      for (const row of STAT_ROWS) {
        const cell = cells.current.get(row.key);
        if (cell) cell.textContent = formatDegrees(angles[row.key]);
      }
    };
    if (bus.latest) write(bus.latest.angles);
    return bus.subscribe((snapshot) => write(snapshot.angles));
  }, [bus]);

  return (
    <figure className="panel stats-panel" data-testid="panel-stats" style={{ width: size.width, height: size.height }}>
      <figcaption className="panel-title">Angle statistics (Table 3)</figcaption>
      <table>
        <thead>
          <tr><th scope="col">in degrees</th><th scope="col">live</th><th scope="col">paper NS</th><th scope="col">paper ArcFace</th></tr>
        </thead>
        <tbody>
          {STAT_ROWS.map((row) => (
            <tr key={row.key} title={row.help}>
              <th scope="row">{row.label}</th>
              <td data-testid={`stat-${row.key}`} ref={(cell) => { if (cell) cells.current.set(row.key, cell); }}>–</td>
              <td>{row.paper ? row.paper[0].toFixed(2) : '–'}</td>
              <td>{row.paper ? row.paper[1].toFixed(2) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="panel-note">The paper trained 10k identities; with 8, centres spread to about 45° (360/8), so Inter saturates there. Hover a row for its definition.</p>
    </figure>
  );
}
