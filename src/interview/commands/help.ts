import type { SlashCommand } from './types.js';

/** `/help` over the commands `list` gives (index.ts passes its own list, so neither imports the other in a loop). */
export function helpCommand(list: () => readonly SlashCommand[]): SlashCommand {
  return {
    name: 'help',
    description: 'commands and keys',
    run(context) {
      const commands = list()
        .map((c) => `  /${c.name.padEnd(6)} ${c.description}`)
        .join('\n');
      context.say(
        `Commands:\n${commands}\nKeys:\n  Enter sends · Ctrl+J or Alt+Enter new line · Up/Down your earlier turns\n  While the interviewer talks, Enter queues your answer (sent when the reply ends) and a /command runs at once\n  Esc cancels the interviewer's reply · Ctrl+C twice saves and quits`,
      );
    },
  };
}
