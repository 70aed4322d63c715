// Preload for a child process: prints every module URL it resolves to stderr ("IMPORT <url>"),
// so a test can prove which packages a command loads.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  writeSync(2, 'IMPORT ' + result.url + '\\n');
  return result;
}`),
);
