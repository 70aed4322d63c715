// The judge's system prompt: prompts/judge.md, markdown with YAML front-matter. Loaded once
// per process (per file) and cached; the body is sent verbatim as the system message.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { packagedDirs } from '../../storage/paths.js';
import { splitFrontMatter } from '../../storage/yaml-file.js';
import { SdcoachError } from '../../errors.js';

export const JudgePromptMeta = z.object({
  name: z.string().min(1),
  description: z.string().min(1),
  version: z.union([z.string().min(1), z.number()]).transform(String),
  temperature: z.number().min(0).max(2).default(0),
});
export type JudgePromptMeta = z.infer<typeof JudgePromptMeta>;

export interface JudgePrompt extends JudgePromptMeta {
  /** The markdown body: the system message. */
  body: string;
  file: string | null;
}

export class JudgePromptError extends SdcoachError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 1, options);
    this.name = 'JudgePromptError';
  }
}

/** The front-matter (parsed) and body of a markdown prompt; no front-matter → `{}`. */
export function readFrontMatter(text: string): { data: unknown; body: string } {
  const split = splitFrontMatter(text);
  if (split.frontMatter === null) return { data: {}, body: split.body };
  return { data: parseYaml(split.frontMatter, { prettyErrors: true }) ?? {}, body: split.body };
}

/** Parse a judge prompt file's text; throws JudgePromptError naming the file on bad front-matter. */
export function parseJudgePrompt(text: string, file: string | null = null): JudgePrompt {
  const where = file ?? 'judge prompt';
  let split: { data: unknown; body: string };
  try {
    split = readFrontMatter(text);
  } catch (error) {
    throw new JudgePromptError(`${where}: front-matter is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  const meta = JudgePromptMeta.safeParse(split.data);
  if (!meta.success) {
    const issues = meta.error.issues.map((i) => `${i.path.join('.') || '(front-matter)'}: ${i.message}`).join('; ');
    throw new JudgePromptError(`${where}: bad front-matter: ${issues}`);
  }
  const body = split.body.trim();
  if (!body) throw new JudgePromptError(`${where}: the prompt body is empty`);
  return { ...meta.data, body, file };
}

export function defaultJudgePromptFile(): string {
  return path.join(packagedDirs().prompts, 'judge.md');
}

const cache = new Map<string, Promise<JudgePrompt>>();

/** Load (once per process) and parse a judge prompt file; the packaged prompts/judge.md by default. */
export function loadJudgePrompt(file: string = defaultJudgePromptFile()): Promise<JudgePrompt> {
  const key = path.resolve(file);
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = readFile(key, 'utf8').then(
      (text) => parseJudgePrompt(text, key),
      (error: unknown) => {
        throw new JudgePromptError(`cannot read the judge prompt ${key}: ${(error as Error).message}`, { cause: error });
      },
    );
    // A failed load is not cached, so a fixed file is picked up on the next call.
    loaded.catch(() => cache.delete(key));
    cache.set(key, loaded);
  }
  return loaded;
}
