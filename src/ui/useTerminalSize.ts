// Terminal columns/rows, updated on resize. Ink's <Static> items keep the width they were
// printed at (they are written once); the live region and composer re-wrap on the next render.
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

const FALLBACK: TerminalSize = { columns: 80, rows: 24 };

function read(stdout: NodeJS.WriteStream | undefined): TerminalSize {
  const columns = stdout?.columns;
  const rows = stdout?.rows;
  return {
    columns: typeof columns === 'number' && columns > 0 ? columns : FALLBACK.columns,
    rows: typeof rows === 'number' && rows > 0 ? rows : FALLBACK.rows,
  };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => read(stdout));
  useEffect(() => {
    if (!stdout) return;
    const onResize = () =>
      setSize((previous) => {
        const next = read(stdout);
        return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
      });
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
