// `sdcoach doctor`: registers the command; the checks live in llm/doctor.ts and load only when run.
import { InvalidArgumentError, type Command } from 'commander';
import { addProviderOptions, providerFlags } from './provider-options.js';
import { styler, type Styler } from '../term/colour.js';
import { useColour } from '../config/colour.js';
import type { CheckStatus, DoctorReport } from '../llm/doctor.js';

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
    lines.push(`${mark(check.status, style)} ${check.id.padEnd(9)} ${check.summary}`);
    if (check.advice && check.status !== 'ok') lines.push(`  ${' '.repeat(9)} ${style.dim('→')} ${check.advice}`);
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
  $ sdcoach doctor                                   # whatever is configured (builtin when nothing is)
  $ OPENAI_BASE_URL=http://localhost:11434/v1 sdcoach doctor --model llama3.1
  $ sdcoach doctor --json | jq .firstTokenMs`,
    );
  addProviderOptions(command).action(async (options: Record<string, unknown>) => {
    const [{ resolvePaths }, { loadProviderConfig, createProvider }, { runDoctor }] = await Promise.all([
      import('../storage/paths.js'),
      import('../llm/create-provider.js'),
      import('../llm/doctor.js'),
    ]);
    const config = await loadProviderConfig(providerFlags(options), resolvePaths());
    const report = await runDoctor(config, {
      createProvider: (c) => createProvider(c),
      timeoutMs: options.timeout as number,
    });
    if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else process.stdout.write(renderDoctorReport(report, styler(useColour())));
    process.exitCode = report.ok ? 0 : 1;
  });
}
