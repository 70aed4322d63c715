// The models folder (paths.modelsDir): which GGUF files are there, what their headers say, and
// which file a model name means. Shared by `sdcoach models` and the local provider.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { readGgufHeader, summariseGguf, type GgufSummary } from './gguf-header.js';

export interface LocalModelEntry extends Omit<GgufSummary, 'name'> {
  /** The file name without .gguf: what --model takes. */
  name: string;
  /** general.name from the header, e.g. "Qwen2.5 1.5B Instruct". */
  title: string | null;
  file: string;
  bytes: number;
  modified: string;
  /** Why the header could not be read (the file is listed anyway, so it can be removed). */
  error: string | null;
}

export const PART_SUFFIX = '.part';

/** "qwen2.5-1.5b-instruct-q4_k_m" from …/qwen2.5-1.5b-instruct-q4_k_m.gguf: what --model takes. */
export function localModelName(modelPath: string): string {
  return path.basename(modelPath).replace(/\.gguf$/i, '');
}

/** Every *.gguf in the folder (not the .part files of downloads in progress), by name. */
export async function listLocalModels(dir: string): Promise<LocalModelEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: LocalModelEntry[] = [];
  for (const fileName of names.filter((n) => n.toLowerCase().endsWith('.gguf')).sort()) {
    const file = path.join(dir, fileName);
    const info = await stat(file);
    if (!info.isFile()) continue;
    const base = { name: fileName.replace(/\.gguf$/i, ''), file, bytes: info.size, modified: info.mtime.toISOString() };
    try {
      const { name: title, ...summary } = summariseGguf(await readGgufHeader(file), fileName);
      entries.push({ ...base, ...summary, title, error: null });
    } catch (error) {
      entries.push({ ...base, title: null, architecture: null, fileType: null, contextLength: null, hasChatTemplate: false, error: (error as Error).message });
    }
  }
  return entries;
}

/**
 * The file a model name means: a path to a .gguf file as given, else a file in the models
 * folder by its name (with or without .gguf, any case), else a unique prefix of one. null: none.
 */
export async function resolveLocalModel(nameOrPath: string, dir: string): Promise<{ file: string } | { error: string }> {
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.includes('\\');
  if (looksLikePath) {
    const file = path.resolve(nameOrPath);
    return { file };
  }
  const models = (await listLocalModels(dir)).filter((m) => !m.error);
  const wanted = nameOrPath.toLowerCase().replace(/\.gguf$/, '');
  const exact = models.find((m) => m.name.toLowerCase() === wanted);
  if (exact) return { file: exact.file };
  const prefixed = models.filter((m) => m.name.toLowerCase().startsWith(wanted));
  if (prefixed.length === 1) return { file: prefixed[0]!.file };
  if (prefixed.length > 1) return { error: `"${nameOrPath}" matches ${prefixed.map((m) => m.name).join(', ')}: name one` };
  return {
    error: models.length
      ? `no local model "${nameOrPath}" in ${dir} (have: ${models.map((m) => m.name).join(', ')})`
      : `no local model "${nameOrPath}": the models folder ${dir} is empty; pull one with \`sdcoach models pull OWNER/REPO/FILE.gguf\``,
  };
}

/** The most recently pulled model that reads as GGUF, for practice's default: null when there is none. */
export async function newestLocalModel(dir: string): Promise<LocalModelEntry | null> {
  const models = (await listLocalModels(dir)).filter((m) => !m.error);
  models.sort((a, b) => b.modified.localeCompare(a.modified));
  return models[0] ?? null;
}

/** 1.2 GB, 940 MB, 150 kB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}
