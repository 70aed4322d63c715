// JSON Schemas generated from the zod schemas, committed so scripts can validate sdcoach's
// output without reading TypeScript. A test fails when a committed file is out of date;
// `npm run schemas` rewrites them.
import { z } from 'zod';
import { GradeReport } from './report.js';

export const GRADE_REPORT_SCHEMA_FILE = 'src/schemas/grade-report.schema.json';

export function gradeReportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(GradeReport, { target: 'draft-2020-12', io: 'output' }),
    $id: 'urn:sdcoach:schema:grade-report:1',
    title: 'sdcoach grade report (schemaVersion 1)',
    description:
      'One graded transcript. `sdcoach grade --format json` prints an array of these; --format jsonl and --out print one per line. ' +
      'A file that could not be graded appears among them as {"file", "error"} (it has no schemaVersion).',
  };
}
