// The practice slash commands, in the order /help lists them.
import { endCommand } from './end.js';
import { helpCommand } from './help.js';
import { hintCommand } from './hint.js';
import { pauseCommand } from './pause.js';
import { phaseCommand } from './phase.js';
import { timeCommand } from './time.js';
import type { SlashCommand } from './types.js';

export type { SlashCommand, SlashCommandContext } from './types.js';

export const SLASH_COMMANDS: readonly SlashCommand[] = [helpCommand(() => SLASH_COMMANDS), timeCommand, hintCommand, phaseCommand, pauseCommand, endCommand];

export function findSlashCommand(name: string): SlashCommand | undefined {
  const wanted = name.toLowerCase();
  return SLASH_COMMANDS.find((c) => c.name === wanted);
}
