// The one error type a failure reaches the user as: what to tell them, the exit code it means
// (1 a failure, 2 a usage, configuration or input error) and, when a command's action says it,
// the command it is told under. `main` (cli.ts) maps it once (errorText): `sdcoach <command>:
// <message>` (or `sdcoach: <message>` when no command claimed it) on stderr, and the code.
// Imports nothing, so every layer may throw it.

export type ExitCode = 1 | 2;

/**
 * What marks an SdcoachError. The launcher's bundle (dist/bundle/cli.cjs, with main) and the
 * actions it imports lazily from dist/ each hold a copy of this module, so an action's error is
 * not on the prototype chain of main's SdcoachError: `instanceof SdcoachError` checks this mark.
 */
const MARK = Symbol.for('sdcoach.SdcoachError');

export class SdcoachError extends Error {
  /** `x instanceof SdcoachError` holds for an error from either copy; subclasses check as usual. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== SdcoachError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [MARK]?: unknown })[MARK] === true;
  }

  readonly exitCode: ExitCode;
  /** The command the message is told under (`grade`, `problems show`); unset: plain `sdcoach:`. */
  command: string | undefined;
  constructor(message: string, exitCode: ExitCode = 1, options?: { cause?: unknown; command?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SdcoachError';
    this.exitCode = exitCode;
    this.command = options?.command;
  }

  /** Claims the failure for `command` (unless a command already did) and returns it, to rethrow. */
  under(command: string): this {
    this.command ??= command;
    return this;
  }
}

Object.defineProperty(SdcoachError.prototype, MARK, { value: true });

/** The command line asked for something that cannot be: exit code 2. */
export class UsageError extends SdcoachError {
  constructor(message: string, options?: { cause?: unknown; command?: string }) {
    super(message, 2, options);
    this.name = 'UsageError';
  }
}

/** What `main` writes on stderr for a failure: `sdcoach <command>: <message>` and a newline. */
export function errorText(error: SdcoachError): string {
  return `sdcoach${error.command ? ` ${error.command}` : ''}: ${error.message}\n`;
}
