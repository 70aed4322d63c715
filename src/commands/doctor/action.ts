// The work behind `sdcoach doctor`: runs the checks (llm/doctor.ts) and prints the report.
import { styler, type Styler } from '../../term/colour.js';
import { useColour } from '../../config/colour.js';
import { padDisplay } from '../../term/width.js';
import type { CheckStatus, DoctorReport } from '../../llm/doctor.js';
import type { LocalServer } from '../../llm/discovery.js';
import { providerFlags } from '../provider-options.js';

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

/** `sdcoach doctor`: 0 when every check passed, else 1. */
export async function runDoctorCommand(options: Record<string, unknown>): Promise<number> {
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
}
