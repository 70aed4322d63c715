// `--format csv`: one row per transcript, a column per dimension; RFC 4180 quoting. A file that
// could not be graded is a row too: its file, empty scores and the reason in the last column.
import type { GradeFailure, GradeReport } from '../../schemas/report.js';
import { dimensionIds } from './format.js';

function field(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(reports: GradeReport[], failures: GradeFailure[] = []): string {
  const ids = dimensionIds(reports);
  // New columns go last, so scripts that read columns by position keep working.
  const header = ['file', 'session', 'problem', 'mode', 'rubric', 'rubric_version', 'grader', 'model', 'overall', 'level', 'tracking_toward', ...ids, 'flags', 'rubric_sha256', 'error'];
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
    r.rubric.sha256,
    null,
  ]);
  for (const failure of failures) {
    const row: (string | null)[] = header.map(() => null);
    row[0] = failure.file;
    row[row.length - 1] = failure.error;
    rows.push(row);
  }
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
