// A command's action returns its exit code; this is the one place that code becomes the
// process's (main in cli.ts reads it once commander is done, and maps thrown errors, errors.ts,
// to theirs). An action that returns nothing leaves the code as it is: 0 unless set.
export function exitCodeOf<A extends unknown[]>(action: (...args: A) => Promise<number | void> | number | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const code = await action(...args);
    if (typeof code === 'number') process.exitCode = code;
  };
}
