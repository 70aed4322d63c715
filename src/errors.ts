// The one error type a command fails with: what to tell the user, and the exit code it means
// (1 a failure, 2 a usage error). `main` (cli.ts) maps it once: `sdcoach: <message>` on stderr
// and the code. Imports nothing, so every layer may throw it.

export class SdcoachError extends Error {
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2 = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SdcoachError';
    this.exitCode = exitCode;
  }
}

/** The command line asked for something that cannot be: exit code 2. */
export class UsageError extends SdcoachError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
    this.name = 'UsageError';
  }
}
