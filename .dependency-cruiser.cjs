// The layers of src/, checked in npm test (test/architecture.test.ts):
//
//   cli → commands/<name>/{index,action} → { ui, interview, grading, content, config, llm, storage, term }
//   ui → interview (its API), term         interview → engine, reading, llm (the port), storage, content
//   engine → reading                       grading → reading, content, llm (the port), storage, term
//   content → storage                      config → storage, term, llm
//   llm, storage → (schemas only)          reading, term → nothing of the project
//
// Every layer may use schemas/ (the shapes of files and reports) and errors.ts (the one error
// type); reading/ and term/ only as types, which are erased. Below commands nothing reads
// settings or decides colour: a command decides and hands the answer down.
// storage and interview may use term/strip.ts: imported text and a model's reply are cleaned of
// control characters on the way in (term imports nothing, so this cannot make a loop).

const SHARED = ['^src/schemas/', '^src/errors\\.ts$'];

/** Files under `from` may import only their own folder, `allowed` (under src/) and SHARED. */
function layer(name, from, allowed, fromNot) {
  return {
    name: `layer-${name}`,
    comment: `${name} may import only ${allowed.length ? allowed.join(', ') : 'nothing of the project'} (and schemas, errors)`,
    severity: 'error',
    from: fromNot ? { path: from, pathNot: fromNot } : { path: from },
    to: { path: '^src/', pathNot: [from, ...allowed.map((a) => `^src/${a}`), ...SHARED] },
  };
}

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import loops', from: {}, to: { circular: true } },
    layer('reading', '^src/reading/', []),
    layer('term', '^src/term/', []),
    {
      name: 'leaves-use-types-only',
      comment: 'reading/ and term/ use schemas only as types: they run without any other project module',
      severity: 'error',
      from: { path: '^src/(reading|term)/' },
      to: { path: '^src/', pathNot: '^src/(reading|term)/', dependencyTypesNot: ['type-only'] },
    },
    layer('engine', '^src/interview/engine/', ['reading/']),
    layer('interview', '^src/interview/', ['reading/', 'llm/', 'storage/', 'content/', 'term/strip'], '^src/interview/engine/'),
    layer('grading', '^src/grading/', ['reading/', 'content/', 'llm/', 'storage/', 'term/']),
    layer('ui', '^src/ui/', ['interview/', 'term/']),
    {
      name: 'ui-uses-the-interview-api',
      comment: 'ui talks to the session (interview/), never to the engine behind it',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: '^src/interview/engine/', dependencyTypesNot: ['type-only'] },
    },
    layer('content', '^src/content/', ['storage/']),
    layer('config', '^src/config/', ['storage/', 'term/', 'llm/']),
    layer('llm', '^src/llm/', []),
    layer('storage', '^src/storage/', ['term/strip']),
    layer('schemas', '^src/schemas/', []),
    layer('errors', '^src/errors\\.ts$', []),
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};
