// Bytes on disk a folder's files take (apparent sizes, symlinks not followed): the installed
// size of a package, as `du --apparent-size` counts it, for the smoke test and the benchmark.
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

export async function installedBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await installedBytes(full);
    else if (entry.isFile()) total += (await lstat(full)).size;
  }
  return total;
}
