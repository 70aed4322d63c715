import type { SlashCommand } from './types.js';

export const endCommand: SlashCommand = {
  name: 'end',
  description: 'end the session now and see the score card',
  async run(context) {
    await context.end();
  },
};
