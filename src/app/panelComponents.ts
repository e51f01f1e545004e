/** Each panel's component by name: the page's grid and the recording stage draw the same ones. */
import type { ComponentType } from 'react';
import type { PanelName } from '../core/urlState';
import { CirclePanel } from '../panels/CirclePanel';
import { LogitPanel } from '../panels/LogitPanel';
import { MarginPanel } from '../panels/MarginPanel';
import { PairsPanel } from '../panels/PairsPanel';
import { StatsPanel } from '../panels/StatsPanel';
import { TrainingPanel } from '../panels/TrainingPanel';
import type { PanelProps } from '../panels/types';

export const PANEL_COMPONENTS: Readonly<Record<PanelName, ComponentType<PanelProps>>> = {
  circle: CirclePanel,
  logit: LogitPanel,
  margin: MarginPanel,
  training: TrainingPanel,
  stats: StatsPanel,
  pairs: PairsPanel,
};
