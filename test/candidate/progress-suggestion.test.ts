// `sdcoach progress` says why it suggests a problem in one readable sentence: no pushback trigger
// words run together, no match repeated inside a longer one, counts that say what they count.
import { describe, expect, it } from 'vitest';
import { suggestionReason } from '../../src/commands/progress/action.js';
import { suggestProblem } from '../../src/grading/trend.js';
import { listProblems } from '../../src/content/problem-loader.js';
import { resolvePaths } from '../../src/storage/paths.js';

const weak = (...ids: string[]) => ids.map((id) => ({ id, name: id, recent: 2, latest: 2, missing: [], missingFrom: null }));

describe('progress: the suggestion sentence', () => {
  it('payments for security, deep dive: no run-together trigger words, no repeats', async () => {
    const problems = (await listProblems(resolvePaths({ SDCOACH_HOME: '/dev/null/progress-suggestion' }))).flatMap((p) => (p.ok ? [p.problem] : []));
    const payments = problems.find((p) => p.id === 'payments')!;
    const suggestion = suggestProblem(weak('security', 'deep_dive'), [payments], []);
    expect(suggestion).not.toBeNull();
    const reason = suggestionReason(suggestion!, payments);
    expect(reason).toBe('It exercises security (PCI) and deep dive (idempotency of the payment API).');
  });

  it('every suggestion over the bundled problems is a sentence of readable parts', async () => {
    const problems = (await listProblems(resolvePaths({ SDCOACH_HOME: '/dev/null/progress-suggestion' }))).flatMap((p) => (p.ok ? [p.problem] : []));
    const dims = ['requirements', 'estimation', 'architecture', 'deep_dive', 'tradeoffs', 'scalability', 'reliability', 'observability', 'security', 'composure'];
    for (let i = 0; i < dims.length; i++) {
      for (const last of [null, 'payments', 'news-feed', 'group-chat']) {
        const suggestion = suggestProblem(weak(dims[i]!, dims[(i + 3) % dims.length]!, dims[(i + 7) % dims.length]!), problems, [last])!;
        const problem = problems.find((p) => p.id === suggestion.problem)!;
        const reason = suggestionReason(suggestion, problem);
        expect(reason).toMatch(/^(It exercises .+|A problem you have not practised lately)\.$/);
        // No pushback's trigger list run together as if it were a phrase.
        for (const p of problem.pushbacks) if (p.trigger.length > 1) expect(reason.toLowerCase()).not.toContain(p.trigger.join(' ').toLowerCase());
        expect(reason).not.toMatch(/_|\b\d+ pushbacks\b|\b\d+ facts\)/);
        // No item repeated inside a longer one in the same parentheses.
        for (const group of reason.match(/\(([^)]*)\)/g) ?? []) {
          const items = group.slice(1, -1).split(/; |, /);
          for (const a of items) for (const b of items) if (a !== b) expect(b.toLowerCase().replace(/-/g, ' ').includes(a.toLowerCase().replace(/-/g, ' ')), `${a} inside ${b}`).toBe(false);
        }
      }
    }
  });

  it('a section count says what it counts', () => {
    const reason = suggestionReason(
      { problem: 'x', title: 'X', difficulty: 'easy', reason: '', exercises: [{ dimension: 'composure', because: ['9 pushbacks'] }, { dimension: 'requirements', because: ['11 facts'] }] },
      { pushbacks: [] },
    );
    expect(reason).toBe('It exercises composure (9 pushback questions) and requirements (11 facts to clarify).');
  });
});
