import type { SlashCommand } from './types.js';

export const helpCommand: SlashCommand = {
  name: 'help',
  description: 'commands and keys',
  async run(context) {
    // Imported here: index.ts imports this module, so a top-level import would be circular.
    const { SLASH_COMMANDS } = await import('./index.js');
    const commands = SLASH_COMMANDS.map((c) => `  /${c.name.padEnd(6)} ${c.description}`).join('\n');
    context.say(
      `Commands:\n${commands}\nKeys:\n  Enter sends · Ctrl+J or Alt+Enter new line · Up/Down your earlier turns\n  While the interviewer talks, Enter queues your answer (sent when the reply ends) and a /command runs at once\n  Esc cancels the interviewer's reply · Ctrl+C twice saves and quits`,
    );
  },
};
