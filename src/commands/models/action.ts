// The work behind `sdcoach models`: list the models folder (GGUF headers), pull a file with a
// progress bar (a redrawn bar on a TTY, plain lines otherwise; always on stderr), rm, path.
// Exit codes: 0 done, 1 failed, 2 usage error (no such model, bad source).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { access } from 'node:fs/promises';
import { resolvePaths } from '../../storage/paths.js';
import { formatBytes, listLocalModels, PART_SUFFIX, resolveLocalModel, type LocalModelEntry } from '../../llm/model-store.js';
import { HUGGING_FACE_URL, PullError, pullModel, pullSource, type PullOptions, type PullProgress } from '../../llm/model-download.js';
import { styler } from '../../term/colour.js';
import { useColour } from '../../config/colour.js';
import { textTable } from '../../term/table.js';
import { SdcoachError, type ExitCode } from '../../errors.js';

/** Told as `sdcoach models <command>: …` by main, with the exit code. */
function fail(command: string, message: string, code: ExitCode = 1): never {
  throw new SdcoachError(message, code, { command: `models ${command}` });
}

export function renderModelList(models: LocalModelEntry[], dir: string, colour: boolean): string {
  const style = styler(colour);
  if (models.length === 0) {
    return `No models in ${dir}.\nPull one: sdcoach models pull Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf\n`;
  }
  const rows = [['NAME', 'SIZE', 'QUANT', 'CONTEXT', 'ARCH']];
  for (const m of models) {
    rows.push([m.name, formatBytes(m.bytes), m.fileType ?? '?', m.contextLength ? m.contextLength.toLocaleString('en-US') : '?', m.error ? style.red('(unreadable)') : (m.architecture ?? '?')]);
  }
  const lines = textTable(rows, { header: style.bold, right: [1, 3] }).split('\n');
  const out: string[] = [lines[0]!];
  models.forEach((m, i) => {
    out.push(lines[i + 1]!);
    if (m.error) out.push(`  ${style.red(m.error)}`);
  });
  out.push('', style.dim(`in ${dir}`));
  return out.join('\n') + '\n';
}

export async function runModelsList(options: { json: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const dir = resolvePaths(env).modelsDir;
  const models = await listLocalModels(dir);
  if (options.json) process.stdout.write(JSON.stringify({ dir, models }, null, 2) + '\n');
  else process.stdout.write(renderModelList(models, dir, useColour(process.stdout)));
  return 0;
}

/** Progress on stderr: a bar redrawn in place on a terminal, a line per 10 % otherwise. */
export function progressReporter(stream: NodeJS.WritableStream & { isTTY?: boolean }, name: string, now: () => number = () => performance.now()) {
  const tty = Boolean(stream.isTTY);
  let lastTenth = -1;
  let lastDraw = 0;
  let start: { at: number; bytes: number } | null = null;
  return {
    update(p: PullProgress): void {
      start ??= { at: now(), bytes: p.received };
      const fraction = p.total ? p.received / p.total : null;
      if (!tty) {
        const tenth = fraction === null ? Math.floor(p.received / 100e6) : Math.floor(fraction * 10);
        if (tenth === lastTenth) return;
        lastTenth = tenth;
        const share = fraction === null ? '' : `${Math.floor(fraction * 100)}% `;
        stream.write(`pull ${name}: ${share}${formatBytes(p.received)}${p.total ? ` of ${formatBytes(p.total)}` : ''}\n`);
        return;
      }
      const t = now();
      if (t - lastDraw < 100 && p.received !== p.total) return;
      lastDraw = t;
      const seconds = (t - start.at) / 1000;
      const rate = seconds > 0.5 ? ` ${formatBytes((p.received - start.bytes) / seconds)}/s` : '';
      const width = 24;
      const filled = fraction === null ? 0 : Math.round(fraction * width);
      const bar = fraction === null ? '' : `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${String(Math.floor(fraction * 100)).padStart(3)}% `;
      stream.write(`\r\u001b[2K${bar}${formatBytes(p.received)}${p.total ? `/${formatBytes(p.total)}` : ''}${rate} ${name}`);
    },
    notice(message: string): void {
      stream.write(`${tty ? '\r\u001b[2K' : ''}pull ${name}: ${message}\n`);
    },
    finish(): void {
      if (tty) stream.write('\r\u001b[2K');
    },
  };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

export async function runModelsPull(
  source: string,
  options: { sha256?: string; baseUrl?: string; force?: boolean },
  env: NodeJS.ProcessEnv = process.env,
  inject: Pick<PullOptions, 'openPart' | 'fetch'> = {},
): Promise<number> {
  const hub = options.baseUrl ?? (env.HF_ENDPOINT?.trim() || HUGGING_FACE_URL);
  let target: { url: string; fileName: string };
  try {
    target = pullSource(source, hub);
  } catch (error) {
    fail('pull', (error as Error).message, 2);
  }
  const dir = resolvePaths(env).modelsDir;
  const dest = path.join(dir, target.fileName);
  const name = target.fileName.replace(/\.gguf$/i, '');
  if (!options.force && (await exists(dest))) {
    process.stderr.write(`sdcoach models pull: ${name} is already here (${dest}); --force downloads it again\n`);
    return 0;
  }
  if (options.force) await rm(dest, { force: true });
  const progress = progressReporter(process.stderr, name);
  const token = env.HF_TOKEN?.trim();
  const controller = new AbortController();
  // Ctrl+C stops the download cleanly: the .part file stays for the next run to resume.
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await pullModel({
      url: target.url,
      dest,
      sha256: options.sha256 ?? null,
      token: token ? { value: token, host: new URL(hub).host } : null,
      onProgress: (p) => progress.update(p),
      onNotice: (message) => progress.notice(message),
      signal: controller.signal,
      ...inject,
    });
    progress.finish();
    const check = result.verified === 'flag' ? 'sha256 matches --sha256' : result.verified === 'etag' ? 'sha256 matches the server’s' : `sha256 ${result.sha256} (not checked: no --sha256 and the server gave none)`;
    process.stderr.write(`pulled ${name} (${formatBytes(result.bytes)}), ${check}\n`);
    process.stdout.write(`${result.file}\n`);
    return 0;
  } catch (error) {
    progress.finish();
    if (error instanceof PullError) fail('pull', error.message);
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export async function runModelsRm(name: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const dir = resolvePaths(env).modelsDir;
  const models = await listLocalModels(dir);
  const wanted = name.replace(/\.gguf$/i, '').toLowerCase();
  const model = models.find((m) => m.name.toLowerCase() === wanted);
  const part = path.join(dir, `${name.replace(/\.gguf$/i, '')}.gguf${PART_SUFFIX}`);
  const hasPart = await exists(part);
  if (!model && !hasPart) {
    const have = models.map((m) => m.name).join(', ');
    fail('rm', `no model "${name}" in ${dir}${have ? ` (have: ${have})` : ''}`, 2);
  }
  if (model) await rm(model.file, { force: true });
  await rm(part, { force: true });
  process.stderr.write(`removed ${model ? `${model.name} (${formatBytes(model.bytes)})` : `the partial download of ${name}`}\n`);
  return 0;
}

export async function runModelsPath(name: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const dir = resolvePaths(env).modelsDir;
  if (!name) {
    process.stdout.write(`${dir}\n`);
    return 0;
  }
  const found = await resolveLocalModel(name, dir);
  if ('error' in found) fail('path', found.error, 2);
  process.stdout.write(`${found.file}\n`);
  return 0;
}
