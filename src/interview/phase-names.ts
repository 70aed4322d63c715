import type { Phase } from '../schemas/transcript.js';

/** How phases are named on screen. */
export const PHASE_NAMES: Record<Phase, string> = {
  clarify: 'clarify',
  estimate: 'estimate',
  'high-level': 'high-level design',
  'deep-dive': 'deep dive',
  'wrap-up': 'wrap-up',
};
