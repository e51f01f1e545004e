/**
 * Okabe–Ito colours, chosen to stay distinguishable with the common colour-vision
 * deficiencies; grey stands in for its black so the dark theme can use it too.
 */
export const IDENTITY_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#999999'] as const;

export function identityColour(identity: number): string {
  return IDENTITY_COLOURS[identity % IDENTITY_COLOURS.length];
}
