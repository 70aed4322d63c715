// `npm run schemas`: regenerate the committed JSON Schemas from the zod schemas.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GRADE_REPORT_SCHEMA_FILE, gradeReportJsonSchema } from '../../src/schemas/json-schema.js';

const root = path.resolve(import.meta.dirname, '..', '..');
await writeFile(path.join(root, GRADE_REPORT_SCHEMA_FILE), JSON.stringify(gradeReportJsonSchema(), null, 2) + '\n');
console.log(`wrote ${GRADE_REPORT_SCHEMA_FILE}`);
