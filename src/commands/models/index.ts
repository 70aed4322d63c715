// `sdcoach models list|pull|rm|path`: GGUF model files for the local provider. Registration only;
// the work (downloads, GGUF headers) is in ./action.ts, imported when a subcommand runs.
import type { Command } from 'commander';
import { rejectUnknownSubcommands } from '../unknown-subcommand.js';
import { exitCodeOf } from '../exit-code.js';

async function action() {
  return import('./action.js');
}

export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description('GGUF models for the local provider (no server): list, pull, rm, path')
    .addHelpText(
      'after',
      `
Models live in $SDCOACH_HOME/models (SDCOACH_MODELS_DIR moves them). The local provider needs
node-llama-cpp (npm install -g node-llama-cpp); nothing is downloaded unless you pull it.

Examples:
  $ sdcoach models pull Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf
  $ sdcoach models list
  $ sdcoach practice url-shortener --provider local --model qwen2.5-1.5b-instruct-q4_k_m
  $ sdcoach models rm qwen2.5-1.5b-instruct-q4_k_m`,
    );
  rejectUnknownSubcommands(models);

  models
    .command('list', { isDefault: true })
    .description('the models you pulled: size, quantisation, context length and architecture (from the GGUF header)')
    .option('--json', 'print the list as JSON')
    .action(exitCodeOf(async (options: { json?: boolean }) => {
      return (await action()).runModelsList({ json: Boolean(options.json) });
    }));

  models
    .command('pull')
    .description('download a GGUF model: a URL or a Hugging Face OWNER/REPO/FILE.gguf (resumes, checks sha256)')
    .argument('<source>', 'https://…/file.gguf or OWNER/REPO/FILE.gguf')
    .option('--sha256 <hex>', 'the file’s expected sha256 (default: the hub’s ETag when it is one)')
    .option('--base-url <url>', 'the hub for OWNER/REPO/FILE names (env HF_ENDPOINT; default https://huggingface.co)')
    .option('--force', 'download again even if the file is already there')
    .addHelpText('after', '\nA gated model needs HF_TOKEN (sent only to the hub). Exit codes: 0 pulled, 1 failed (a partial download is kept and resumed next time).')
    .action(exitCodeOf(async (source: string, options: { sha256?: string; baseUrl?: string; force?: boolean }) => {
      return (await action()).runModelsPull(source, options);
    }));

  models
    .command('rm')
    .description('delete a pulled model (and any partial download of it)')
    .argument('<name>', 'model name as `sdcoach models list` shows it')
    .action(exitCodeOf(async (name: string) => {
      return (await action()).runModelsRm(name);
    }));

  models
    .command('path')
    .description('print the models folder, or the file of one model')
    .argument('[name]', 'model name')
    .action(exitCodeOf(async (name: string | undefined) => {
      return (await action()).runModelsPath(name);
    }));
}
