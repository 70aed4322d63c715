// `sdcoach doctor`: registers the command; the checks live in llm/doctor.ts and load only when run.
import { InvalidArgumentError, type Command } from 'commander';
import { addProviderOptions, providerFlags } from '../provider-options.js';
import { styler, type Styler } from '../../term/colour.js';
import { useColour } from '../../config/colour.js';
import { padDisplay } from '../../term/width.js';
import type { CheckStatus, DoctorReport } from '../../llm/doctor.js';
import type { LocalServer } from '../../llm/discovery.js';
import { exitCodeOf } from '../exit-code.js';

/** "Ollama at 127.0.0.1:11434 (llama3.2, qwen2.5:1.5b)"; here so rendering needs no import of discovery. */
function describeServer(server: LocalServer): string {
  const models = server.models.length ? server.models.slice(0, 4).join(', ') + (server.models.length > 4 ? `, +${server.models.length - 4} more` : '') : 'no models loaded';
  return `${server.name} at ${new URL(server.baseURL).host} (${models})`;
}

function mark(status: CheckStatus, style: Styler): string {
  switch (status) {
    case 'ok':
      return style.green('✓');
    case 'fail':
      return style.red('✗');
    case 'warn':
      return style.yellow('!');
    case 'skip':
      return style.dim('-');
  }
}

export function renderDoctorReport(report: DoctorReport, style: Styler): string {
  const lines = [style.bold(`sdcoach doctor — provider ${report.provider}, model ${report.model}`)];
  for (const check of report.checks) {
    lines.push(`${mark(check.status, style)} ${padDisplay(check.id, 9)} ${check.summary}`);
    if (check.advice && check.status !== 'ok') lines.push(`  ${' '.repeat(9)} ${style.dim('→')} ${check.advice}`);
  }
  if (report.localServers) {
    lines.push('', style.bold('Model servers on this machine:'));
    if (report.localServers.length === 0) lines.push(`${style.dim('-')} none found (looked for Ollama :11434, LM Studio :1234, llama.cpp :8080, vLLM :8000)`);
    for (const server of report.localServers) lines.push(`${style.green('✓')} ${describeServer(server)}`);
    if (report.localServerHint) lines.push(`  ${style.dim('→')} ${report.localServerHint}`);
  }
  const builtinHint = report.provider === 'builtin' ? report.checks[0]?.advice : undefined;
  if (builtinHint) lines.push('', style.dim(builtinHint));
  lines.push('', report.ok ? style.green('All checks passed.') : style.red('Some checks failed.'));
  return lines.join('\n') + '\n';
}

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new InvalidArgumentError('must be a positive number of milliseconds.');
  return ms;
}

export function registerDoctor(program: Command): void {
  const command = program
    .command('doctor')
    .description('check the configured provider: reachable, model exists, streaming works, time to first token')
    .option('--json', 'print the report as JSON')
    .option('--timeout <ms>', 'give up on each network step after this many milliseconds', parseTimeout, 15_000)
    .addHelpText(
      'after',
      `
Examples:
  $ sdcoach doctor                                   # whatever is configured (builtin when nothing is), and local servers found
  $ sdcoach doctor --provider ollama --model llama3.2  # Ollama on this machine (no key is sent)
  $ sdcoach doctor --provider local                  # the newest model pulled with \`sdcoach models pull\`
  $ sdcoach doctor --json | jq .firstTokenMs`,
    );
  addProviderOptions(command).action(exitCodeOf(async (options: Record<string, unknown>) => {
    const [{ resolvePaths }, { loadProviderConfig }, { createProvider }, { runDoctor }, { discoverLocalServers }] = await Promise.all([
      import('../../storage/paths.js'),
      import('../../config/provider.js'),
      import('../providers.js'),
      import('../../llm/doctor.js'),
      import('../../llm/discovery.js'),
    ]);
    const config = await loadProviderConfig(providerFlags(options), resolvePaths());
    const report = await runDoctor(config, {
      createProvider: (c) => createProvider(c),
      timeoutMs: options.timeout as number,
      discover: () => discoverLocalServers(),
    });
    if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else process.stdout.write(renderDoctorReport(report, styler(useColour())));
    return report.ok ? 0 : 1;
  }));
}
