// Small formatting helpers shared by the report renderers.
import path from 'node:path';
import type { GradeReport } from '../../schemas/report.js';

/** Column headers short enough that twelve dimensions fit a 120-column terminal. */
const SHORT_NAMES: Record<string, string> = {
  requirements: 'req',
  estimation: 'est',
  architecture: 'arch',
  deep_dive: 'deep',
  tradeoffs: 'trade',
  scalability: 'scale',
  reliability: 'rel',
  observability: 'obs',
  security: 'sec',
  clarity: 'clar',
  time_management: 'time',
  composure: 'comp',
};

export function shortName(id: string): string {
  return SHORT_NAMES[id] ?? id.slice(0, 6);
}

export function score(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : value.toFixed(1);
}

export function overall(value: number | null): string {
  return value === null ? '–' : value.toFixed(2);
}

/** "L5→L6" in tables; the full label ("L5, tracking toward L6") elsewhere. */
export function compactLevel(report: GradeReport): string {
  const base = report.level.level ?? `<${report.level.label.replace(/^below /, '').split(',')[0]}`;
  return report.level.trackingToward ? `${base}→${report.level.trackingToward}` : base;
}

export function displayName(file: string | null, sessionId: string): string {
  return file ? path.basename(file) : sessionId;
}

/** Dimension ids across reports, in the order of the first report that has them. */
export function dimensionIds(reports: GradeReport[]): string[] {
  const ids: string[] = [];
  for (const report of reports) for (const id of Object.keys(report.dimensions)) if (!ids.includes(id)) ids.push(id);
  return ids;
}
