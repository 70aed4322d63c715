// What `grade --batch-api` records for each submitted batch, in the data folder
// (paths.batchesDir/<batch id>.json): where it went, with which model, rubric and judge prompt,
// and for each request the file and the sha256 of the bytes that were sent. Never a key.
// `grade collect` grades from it; the downloaded output and error files go beside it in
// <batch id>/ so collecting again does no network work.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DIR_MODE, FILE_MODE, type SdcoachPaths } from '../../storage/paths.js';
import { SdcoachError } from '../../errors.js';

export const BatchManifestRequest = z.object({
  customId: z.string(),
  /** Absolute path, so collect works from any directory. */
  file: z.string(),
  /** The name the reports give the file: as it was given to `grade`. */
  shown: z.string(),
  transcriptSha256: z.string(),
});
export type BatchManifestRequest = z.infer<typeof BatchManifestRequest>;

export const BatchManifest = z.object({
  version: z.literal(1),
  batchId: z.string(),
  inputFileId: z.string(),
  endpoint: z.literal('/v1/chat/completions'),
  /** The endpoint's base URL (…/v1), never with a key. */
  baseURL: z.string(),
  model: z.string(),
  /** The provider label used in cache keys ("openai-compatible gpt-4o-mini @ host"). */
  providerLabel: z.string(),
  rubric: z.object({ name: z.string(), sha256: z.string() }),
  /** Hash of prompts/judge.md when the requests were built. */
  judgePrompt: z.string(),
  problem: z.string().nullable(),
  level: z.enum(['L3', 'L4', 'L5', 'L6', 'L7']).nullable(),
  submittedAt: z.string(),
  /** The batch whose failed requests this one resubmits. */
  resubmissionOf: z.string().nullable(),
  requests: z.array(BatchManifestRequest),
});
export type BatchManifest = z.infer<typeof BatchManifest>;

/** Batch ids come from the server: keep them from naming anything outside the folder. */
function safeId(batchId: string): string {
  if (!/^[A-Za-z0-9_.-]{1,200}$/.test(batchId) || batchId.startsWith('.')) throw new Error(`not a batch id: ${JSON.stringify(batchId)}`);
  return batchId;
}

export function manifestFile(paths: Pick<SdcoachPaths, 'batchesDir'>, batchId: string): string {
  return path.join(paths.batchesDir, `${safeId(batchId)}.json`);
}

/** The folder holding a batch's downloaded output and error files. */
export function resultsDir(paths: Pick<SdcoachPaths, 'batchesDir'>, batchId: string): string {
  return path.join(paths.batchesDir, safeId(batchId));
}

/** Write then rename: a manifest is never half written. */
export async function writeAtomic(file: string, contents: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, contents, { mode: FILE_MODE });
  await rename(temporary, file);
}

export async function writeManifest(paths: Pick<SdcoachPaths, 'batchesDir'>, manifest: BatchManifest): Promise<string> {
  const file = manifestFile(paths, manifest.batchId);
  await writeAtomic(file, JSON.stringify(BatchManifest.parse(manifest), null, 2) + '\n');
  return file;
}

export class UnknownBatchError extends SdcoachError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'UnknownBatchError';
  }
}

export async function readManifest(paths: Pick<SdcoachPaths, 'batchesDir'>, batchId: string): Promise<BatchManifest> {
  const file = manifestFile(paths, batchId);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UnknownBatchError(`no batch ${batchId} was submitted from here (no ${file}); \`sdcoach grade status\` lists the recorded ones`);
  }
  const parsed = BatchManifest.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a batch manifest sdcoach can read: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** Every recorded batch, newest first. */
export async function listManifests(paths: Pick<SdcoachPaths, 'batchesDir'>): Promise<BatchManifest[]> {
  const names = await readdir(paths.batchesDir).catch(() => [] as string[]);
  const manifests: BatchManifest[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      manifests.push(await readManifest(paths, name.slice(0, -'.json'.length)));
    } catch {
      // not ours, or unreadable: left out of the listing
    }
  }
  return manifests.sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : 0));
}
