// The layers hold (.dependency-cruiser.cjs): no import loops, no import up a layer, reading/ and
// term/ import nothing of the project. Run with dependency-cruiser itself over src/; and over a
// small tree that breaks each kind of rule on purpose, so a rule that stopped matching anything
// (a renamed folder, a typo in a path) fails here instead of passing quietly.
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

function cruise(cwd: string): Promise<{ modules: number; violations: Violation[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'src', '--config', CONFIG, '--output-type', 'json'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      try {
        const result = JSON.parse(stdout) as { summary: { totalCruised: number; violations: Violation[] } };
        resolve({ modules: result.summary.totalCruised, violations: result.summary.violations });
      } catch {
        reject(new Error(`dependency-cruiser gave no JSON:\n${stderr || stdout}`));
      }
    });
  });
}

describe('architecture', () => {
  it('src/ keeps the layers: no loops, nothing imported up a layer', async () => {
    const { modules, violations } = await cruise(ROOT);
    expect(modules).toBeGreaterThan(150);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  it('the rules catch a loop, an import up a layer and a leaf that imports the project', async () => {
    const { violations } = await cruise(path.join(ROOT, 'test', 'fixtures', 'layers'));
    expect(new Set(violations.map((v) => v.rule.name))).toEqual(
      new Set(['no-circular', 'layer-reading', 'leaves-use-types-only', 'layer-ui', 'ui-uses-the-interview-api', 'layer-llm']),
    );
  });

  it('reading/ keeps no module-level variables: what it learns lives in a Vocabulary its caller owns', async () => {
    // Module-scope `let`/`var` is state shared by every caller in the process (the word table
    // and buffers used to be). Constant tables and WeakMaps of compiled immutable content (a
    // problem's option catalogue) are not state anyone can observe, so they stay.
    const dir = path.join(ROOT, 'src', 'reading');
    const found: string[] = [];
    for (const name of (await readdir(dir)).filter((f) => f.endsWith('.ts'))) {
      const source = ts.createSourceFile(name, await readFile(path.join(dir, name), 'utf8'), ts.ScriptTarget.Latest, true);
      for (const statement of source.statements) {
        if (!ts.isVariableStatement(statement) || (statement.declarationList.flags & ts.NodeFlags.BlockScoped & ts.NodeFlags.Const) !== 0) continue;
        for (const d of statement.declarationList.declarations) found.push(`${name}: ${d.name.getText(source)}`);
      }
    }
    expect(found).toEqual([]);
  });
});

