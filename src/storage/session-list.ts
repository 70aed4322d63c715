// Listing a sessions folder: through the session index (a cache of each file's listing fields,
// session-index.ts) when one is given, else by reading every file (session-catalog.ts). Kept
// apart from both so the catalogue and the index do not import each other.
import { compareEntries, readSessionEntry, sessionFiles, type SessionEntry } from './session-catalog.js';
import type { SessionIndexOptions } from './session-index.js';

export interface ListOptions {
  /** Keep the raw last grade report of each session (progress needs it; a listing does not). */
  withReports?: boolean;
  /**
   * Use (and keep up to date) the session index in this cache folder: files whose size, mtime
   * and inode match the index are not read at all. Ignored with `withReports` (the index holds
   * listing fields, not reports).
   */
  index?: SessionIndexOptions;
}

export interface CatalogRow {
  entry: SessionEntry;
  report: Record<string, unknown> | null;
}

/** Every session in `dir`, oldest first (by start time, then id); broken files are kept, last. */
export async function listSessions(dir: string, options: ListOptions = {}): Promise<CatalogRow[]> {
  if (options.index && !options.withReports) {
    const { indexedEntries } = await import('./session-index.js');
    const entries = await indexedEntries(dir, options.index);
    return entries.map((entry) => ({ entry, report: null })).sort((a, b) => compareEntries(a.entry, b.entry));
  }
  const files = await sessionFiles(dir);
  const rows = files.map((file) => {
    const result = readSessionEntry(file, options.withReports);
    return { entry: result.entry, report: options.withReports ? result.report : null };
  });
  return rows.sort((a, b) => compareEntries(a.entry, b.entry));
}
