// A command's action returns its exit code; this is the one place that code becomes the
// process's (main in cli.ts reads it once commander is done). A failure is not returned but
// thrown, as an SdcoachError (errors.ts) carrying its code and the command it is told under:
// main maps it, once, to `sdcoach <command>: <message>` on stderr and that code. An action that
// returns nothing leaves the code as it is: 0 unless set.
export function exitCodeOf<A extends unknown[]>(action: (...args: A) => Promise<number | void> | number | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const code = await action(...args);
    if (typeof code === 'number') process.exitCode = code;
  };
}
