/**
 * Table 3 on three parts of the data (issue 13): the training part, the test part (more
 * images of the trained identities, never trained on) and the unseen identities. The
 * train and unseen figures are in every snapshot's AngleReport and pair summaries; the
 * test part's Intra, Inter and accuracy ride along as `testPart`, which the trainer adds
 * to each snapshot.
 */
import type { TrainerSnapshot } from './snapshot';

export interface TestPartStats {
  /** On the test split; null when it is empty. Degrees, and a fraction for the accuracy. */
  testPart: { intra: number; inter: number; accuracy: number } | null;
}

export type DataPart = 'train' | 'test' | 'unseen';
export const DATA_PARTS: readonly DataPart[] = ['train', 'test', 'unseen'];

export type PartStatKey = 'intra' | 'inter' | 'wEC' | 'gap' | 'accuracy' | 'verification';

export interface PartStatRow {
  key: PartStatKey;
  label: string;
  help: string;
  unit: 'degrees' | 'fraction';
}

export const PART_STAT_ROWS: readonly PartStatRow[] = [
  { key: 'intra', label: 'Intra', unit: 'degrees', help: 'mean angle from a feature to its identity’s centre' },
  { key: 'inter', label: 'Inter', unit: 'degrees', help: 'mean smallest angle between identities’ centres' },
  { key: 'wEC', label: 'W-EC', unit: 'degrees', help: 'mean angle between W_j and identity j’s feature centre (training part)' },
  { key: 'gap', label: 'Arc gap', unit: 'degrees', help: 'smallest empty angle between neighbouring identities’ arcs (training part); negative = overlap' },
  { key: 'accuracy', label: 'Accuracy', unit: 'fraction', help: 'share of samples whose own W scores highest (the unseen digits have no W)' },
  { key: 'verification', label: 'Verif. acc.', unit: 'fraction', help: 'same identity or not, by the angle between two samples of the part, at the best threshold (Fig. 6)' },
];

type StatsSource = Pick<TrainerSnapshot, 'angles' | 'trainAccuracy' | 'pairs'> & Partial<TestPartStats>;

/** One cell of the three-part table; null where the part has no such figure. */
export function partStat(snapshot: StatsSource, part: DataPart, key: PartStatKey): number | null {
  const { angles, pairs } = snapshot;
  if (part === 'train') {
    if (key === 'intra') return angles.intraTrain;
    if (key === 'inter') return angles.interTrain;
    if (key === 'wEC') return angles.wEC;
    if (key === 'gap') return angles.gapTrain;
    if (key === 'accuracy') return snapshot.trainAccuracy;
    return null;
  }
  if (part === 'test') {
    const test = snapshot.testPart ?? null;
    if (key === 'intra') return test?.intra ?? null;
    if (key === 'inter') return test?.inter ?? null;
    if (key === 'accuracy') return test?.accuracy ?? null;
    if (key === 'verification') return pairs.test.verification?.accuracy ?? null;
    return null;
  }
  if (key === 'intra') return angles.intraHeldout;
  if (key === 'inter') return angles.interHeldout;
  if (key === 'verification') return pairs.unseen.verification?.accuracy ?? null;
  return null;
}
