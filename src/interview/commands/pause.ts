import type { SlashCommand } from './types.js';

export const pauseCommand: SlashCommand = {
  name: 'pause',
  description: 'stop the clock (again, or your next message, resumes it)',
  run(context) {
    context.setPaused(!context.paused);
    context.say(context.paused ? 'Clock running again.' : 'Paused: the clock is stopped. /pause or your next message resumes it.');
  },
};
