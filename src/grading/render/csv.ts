// `--format csv`: one row per transcript, a column per dimension; RFC 4180 quoting. A file that
// could not be graded is a row too: its file, empty scores and the reason in the last column.
// Cells are guarded against spreadsheet formula injection (OWASP "CSV Injection"): a file name
// or an error message is text from outside and must not run as a formula when the CSV is opened.
import type { GradeFailure, GradeReport } from '../../schemas/report.js';
import { dimensionIds } from './format.js';

/** A cell a spreadsheet would read as a formula: it starts with `=`, `+`, `-`, `@`, a tab or a carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (`-0.5`, `+3`, `1e-3`): a spreadsheet reads it as a number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Text that cannot start a formula: a cell starting with a formula character gets a leading
 * single quote (which spreadsheets show as text and do not display), except a plain number.
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

function field(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : guardFormula(value);
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
