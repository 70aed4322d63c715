// `--format csv`: one row per transcript, a column per dimension; RFC 4180 quoting.
import type { GradeReport } from '../../schemas/report.js';
import { dimensionIds } from './format.js';

function field(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(reports: GradeReport[]): string {
  const ids = dimensionIds(reports);
  const header = ['file', 'session', 'problem', 'mode', 'rubric', 'rubric_version', 'grader', 'model', 'overall', 'level', 'tracking_toward', ...ids, 'flags'];
  const rows = reports.map((r) => [
    r.file,
    r.sessionId,
    r.problem,
    r.mode,
    r.rubric.name,
    r.rubric.version,
    r.grader,
    r.model,
    r.overall,
    r.level.level,
    r.level.trackingToward,
    ...ids.map((id) => r.dimensions[id]?.score ?? null),
    r.flags.map((f) => f.kind).join(';') || null,
  ]);
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
