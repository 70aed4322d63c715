// A command group with a default subcommand (`sessions` → list, `problems` → list) hands any
// word commander does not know to that default, which then fails with "too many arguments".
// This hook catches the word first: `sdcoach sessions shwo` is an unknown command, with a
// did-you-mean, exit 2 like every usage error. Registration-time code: no imports.
import type { Command } from 'commander';

/** Optimal string alignment distance (a transposition counts as one edit). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest name within a typo's reach (at most 2 edits, fewer than the word's length), if any. */
export function closestName(word: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && distance < word.length && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** `unknown command "shwo" (did you mean "show"?)`, or without the suggestion when nothing is close. */
export function unknownCommandMessage(word: string, names: readonly string[]): string {
  return unknownCommandText(word, closestName(word, names));
}

export function unknownCommandText(word: string, guess: string | undefined): string {
  return `unknown command "${word}"${guess ? ` (did you mean "${guess}"?)` : ''}`;
}

/**
 * On a group with a default subcommand whose default takes no arguments: a first word that is not
 * an option and names no subcommand is an unknown command, not an argument for the default.
 */
export function rejectUnknownSubcommands(group: Command): Command {
  return group.hook('preSubcommand', (thisCommand, subcommand) => {
    const word = thisCommand.args[0];
    // Dispatched by name (`sessions show …`): args[0] is that name. Only the default gets the rest.
    if (word === undefined || word.startsWith('-') || word === subcommand.name() || subcommand.aliases().includes(word)) return;
    if (subcommand.registeredArguments.length > 0) return;
    const names = thisCommand.commands.flatMap((c) => [c.name(), ...c.aliases()]);
    thisCommand.error(`error: ${unknownCommandMessage(word, names)}`, { exitCode: 2, code: 'commander.unknownCommand' });
  });
}
