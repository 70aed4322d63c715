// The layers of src/ (issue 17), checked in npm test (test/architecture.test.ts):
//
//   cli → commands/<name>/{index,action} → { ui, interview, grading, content, config, llm, storage, term }
//   ui → interview (its API), term         interview → engine, reading, llm (the port), storage, content
//   engine → reading, schemas              grading → reading, content, llm (the port), storage, term
//   content → storage, schemas             config → storage, schemas, term, llm
//   llm, storage → schemas                 reading, term → nothing of the project
//
// Below commands nothing reads settings or decides colour itself: commands decide and hand down.
// Type-only imports of schemas/ are allowed everywhere (they are erased; the shapes are shared).
// storage and interview may use term/strip.ts: imported text and a model's reply are cleaned of
// control characters on the way in (term imports nothing, so this cannot make a loop).

/** A layer may import only itself and `allowed` (folders under src/, with the trailing slash). */
function layer(name, from, allowed, extra = {}) {
  return {
    name: `layer-${name}`,
    comment: `${name} may import only: ${allowed.length ? allowed.join(', ') : 'nothing of the project'}`,
    severity: 'error',
    from: { path: from, ...(extra.fromNot ? { pathNot: extra.fromNot } : {}) },
    to: {
      path: '^src/',
      pathNot: [from, ...allowed.map((a) => `^src/${a}`), ...(extra.typeOnlySchemas === false ? [] : [])],
      ...(extra.typeOnlySchemas === false ? {} : {}),
    },
  };
}

const SCHEMAS_TYPES = { name: 'schemas-as-types', path: '^src/schemas/' };

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import loops', from: {}, to: { circular: true } },
    layer('reading', '^src/reading/', []),
    layer('term', '^src/term/', []),
    layer('engine', '^src/interview/engine/', ['reading/', 'schemas/']),
    layer('interview', '^src/interview/', ['interview/', 'reading/', 'llm/', 'storage/', 'content/', 'schemas/', 'term/strip'], { fromNot: '^src/interview/engine/' }),
    layer('grading', '^src/grading/', ['reading/', 'content/', 'llm/', 'storage/', 'term/', 'schemas/']),
    layer('ui', '^src/ui/', ['interview/', 'term/', 'schemas/']),
    layer('content', '^src/content/', ['storage/', 'schemas/']),
    layer('config', '^src/config/', ['storage/', 'schemas/', 'term/', 'llm/']),
    layer('llm', '^src/llm/', ['schemas/']),
    layer('storage', '^src/storage/', ['schemas/', 'term/strip']),
    layer('schemas', '^src/schemas/', []),
    layer('errors', '^src/errors\\.ts$', []),
  ].map((rule) =>
    // Type-only imports of schemas/ are allowed from every layer.
    // errors.ts (one error type, imports nothing) may be thrown from every layer.
    rule.name.startsWith('layer-') ? { ...rule, to: { ...rule.to, pathNot: [...rule.to.pathNot, SCHEMAS_TYPES.path, '^src/errors\\.ts$'] } } : rule,
  ),
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
