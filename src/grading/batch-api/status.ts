// `grade status [BATCH] [--json]`: one batch's status and request counts as the server reports
// them, or (no id) the batches recorded in the data folder.
import { resolvePaths } from '../../storage/paths.js';
import type { GradeOptions } from '../grade-options.js';
import { describeBatch, isFinished } from './batch-state.js';
import { batchCall, manifestClient } from './client.js';
import { listManifests, readManifest } from './manifest.js';

export async function statusCommand(batchId: string | null, options: Pick<GradeOptions, 'judgeConfig'> & { json?: boolean }): Promise<number> {
  const paths = resolvePaths();
  const out = (text: string) => process.stdout.write(text);
  if (!batchId) {
    const manifests = await listManifests(paths);
    const rows = manifests.map((m) => ({
      id: m.batchId,
      submittedAt: m.submittedAt,
      requests: m.requests.length,
      model: m.model,
      endpoint: m.baseURL,
      rubric: m.rubric.name,
      resubmissionOf: m.resubmissionOf,
    }));
    if (options.json) out(JSON.stringify(rows, null, 2) + '\n');
    else if (rows.length === 0) out('no batches submitted yet (sdcoach grade FILES --batch-api)\n');
    else
      for (const r of rows)
        out(
          `${r.id}  ${r.submittedAt}  ${r.requests} request${r.requests === 1 ? '' : 's'}  ${r.model}  rubric ${r.rubric}${r.resubmissionOf ? `  (resubmits ${r.resubmissionOf})` : ''}\n`,
        );
    return 0;
  }
  try {
    const manifest = await readManifest(paths, batchId);
    const client = await manifestClient(manifest, options, paths);
    const batch = await batchCall(`GET /batches/${batchId}`, manifest.baseURL, () => client.batches.retrieve(batchId, { maxRetries: 2 }));
    const status = {
      id: batch.id,
      status: batch.status,
      requestCounts: batch.request_counts ?? null,
      model: manifest.model,
      requests: manifest.requests.length,
      submittedAt: manifest.submittedAt,
      createdAt: new Date(batch.created_at * 1000).toISOString(),
      expiresAt: batch.expires_at ? new Date(batch.expires_at * 1000).toISOString() : null,
      finished: isFinished(batch),
      errors: (batch.errors?.data ?? []).map((e) => ({
        code: e.code ?? null,
        message: e.message ?? null,
        line: e.line ?? null,
      })),
    };
    if (options.json) out(JSON.stringify(status, null, 2) + '\n');
    else {
      out(
        `batch ${batch.id}: ${describeBatch(batch)} · ${manifest.requests.length} file${manifest.requests.length === 1 ? '' : 's'} · ${manifest.model} · submitted ${manifest.submittedAt}\n`,
      );
      for (const e of status.errors) out(`  ${e.line != null ? `line ${e.line}: ` : ''}${e.message ?? e.code}\n`);
      if (status.finished) out(`collect with: sdcoach grade collect ${batch.id}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`sdcoach grade status: ${(error as Error).message}\n`);
    return 1;
  }
}
