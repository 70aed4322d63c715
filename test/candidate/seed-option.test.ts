// `--seed` only drives the builtin interviewer: `practice` lists it, `grade` and `doctor` do not.
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';

function help(name: string): string {
  const command = buildProgram().commands.find((c) => c.name() === name);
  if (!command) throw new Error(`no command ${name}`);
  return command.helpInformation();
}

describe('--seed', () => {
  it('is listed by practice only', () => {
    expect(help('practice')).toMatch(/--seed <n>/);
    expect(help('grade')).not.toMatch(/--seed/);
    expect(help('doctor')).not.toMatch(/--seed/);
  });

  it('grade and doctor refuse it as an unknown option', async () => {
    for (const name of ['grade', 'doctor']) {
      const program = buildProgram();
      program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
      for (const sub of program.commands) sub.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
      await expect(program.parseAsync(['node', 'sdcoach', name, '--seed', '3'])).rejects.toMatchObject({ code: 'commander.unknownOption' });
    }
  });
});
