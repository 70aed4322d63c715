// Writing --help, --version and completion output without creating process.stdout: Node builds
// that stream (and loads node:stream, node:net or node:tty for it) on first use, which costs
// more than everything else `sdcoach --help` does. When stdout is a terminal the stream is
// needed anyway (its width and colours), so it is used; otherwise the text goes straight to the
// file descriptor.
import { fstatSync, statSync, writeSync } from 'node:fs';

let terminal: boolean | undefined;

/** Whether stdout is (probably) a terminal, decided without process.stdout. */
export function stdoutIsTerminal(): boolean {
  if (terminal !== undefined) return terminal;
  try {
    const out = fstatSync(1);
    if (!out.isCharacterDevice()) terminal = false; // a pipe or a file
    else if (process.platform === 'win32') terminal = true;
    else {
      // /dev/null is a character device too.
      const nul = statSync('/dev/null');
      terminal = !(out.rdev === nul.rdev && out.ino === nul.ino);
    }
  } catch {
    terminal = true; // no answer: let the stream decide
  }
  return terminal;
}

/** process.stdout.write for a terminal; a blocking write to fd 1 otherwise. */
export function writeStdout(text: string): void {
  if (stdoutIsTerminal()) {
    process.stdout.write(text);
    return;
  }
  const bytes = Buffer.from(text);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // `sdcoach … | head` closed the pipe: the reader's choice, not an error.
    if (code === 'EPIPE') process.exit(0);
    // A non-blocking descriptor shared with the parent: let the stream queue the rest.
    if (code === 'EAGAIN') process.stdout.write(bytes.subarray(done));
    else throw error;
  }
}
