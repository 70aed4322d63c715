// The problem picker `sdcoach practice` opens without a problem: ↑/↓ to move, typing filters,
// Enter picks, Esc gives up. A small ink app of its own, unmounted before the session starts.
import { Box, render, Text, useApp, useInput } from 'ink';
import React, { useState } from 'react';
import type { LoadedProblem } from '../schemas/problem.js';
import { padDisplay } from '../term/width.js';

interface PickerProps {
  problems: LoadedProblem[];
  onDone: (problem: LoadedProblem | null) => void;
}

export function matchesFilter(problem: LoadedProblem, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  return [problem.id, problem.title, ...problem.tags].some((text) => text.toLowerCase().includes(needle));
}

export function ProblemPicker({ problems, onDone }: PickerProps): React.JSX.Element {
  const { exit } = useApp();
  const [filter, setFilter] = useState('');
  const [index, setIndex] = useState(0);
  const shown = problems.filter((p) => matchesFilter(p, filter));
  const selected = Math.min(index, Math.max(0, shown.length - 1));

  const finish = (problem: LoadedProblem | null) => {
    onDone(problem);
    exit();
  };

  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === 'c')) finish(null);
    else if (key.return) {
      if (shown[selected]) finish(shown[selected]!);
    } else if (key.upArrow) setIndex(Math.max(0, selected - 1));
    else if (key.downArrow) setIndex(Math.min(shown.length - 1, selected + 1));
    else if (key.backspace || key.delete) setFilter((f) => f.slice(0, -1));
    else if (input && !key.ctrl && !key.meta && /^[\w -]+$/.test(input)) {
      setFilter((f) => f + input);
      setIndex(0);
    }
  });

  return (
    <Box flexDirection="column">
      <Text bold>Pick a problem (↑/↓, type to filter, Enter to start, Esc to quit){filter ? `  filter: ${filter}` : ''}</Text>
      {shown.length === 0 ? <Text dimColor>No problem matches "{filter}".</Text> : null}
      {shown.map((problem, i) => (
        <Text key={problem.id} inverse={i === selected}>
          {i === selected ? '›' : ' '} {padDisplay(problem.id, 20)} {padDisplay(problem.difficulty, 7)} {problem.title}
        </Text>
      ))}
    </Box>
  );
}

export async function pickProblem(problems: LoadedProblem[]): Promise<LoadedProblem | null> {
  let picked: LoadedProblem | null = null;
  const instance = render(<ProblemPicker problems={problems} onDone={(p) => (picked = p)} />, { exitOnCtrlC: false });
  await instance.waitUntilExit(); // asked for before any key can end the picker
  instance.unmount();
  return picked;
}
