// What a user downloads and installs: the packed tarball (size, file count) and the package
// installed globally from it into a temporary prefix with its dependencies (target ≤ 60 MB).
// Reported, not asserted (the 60 MB bound is asserted by test/e2e/pack-smoke.test.ts).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { installedBytes } from '../test/support/dir-size.js';

const ROOT = path.resolve(import.meta.dirname, '..');
export const INSTALLED_TARGET_MB = 60;

function npm(args: string[], cwd: string) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  return spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd, env, encoding: 'utf8', timeout: 180_000 });
}

export async function benchPackageSize() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'sdcoach-bench-pack-'));
  try {
    const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT);
    if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
    const [info] = JSON.parse(pack.stdout) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
    const prefix = path.join(tmp, 'prefix');
    const install = npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', path.join(tmp, path.basename(info!.filename))], tmp);
    if (install.status !== 0) throw new Error(`npm install -g failed: ${install.stderr}`);
    const installed = await installedBytes(path.join(prefix, 'lib', 'node_modules', 'sdcoach'));
    const installedMb = installed / 1e6;
    return {
      tarballBytes: info!.size,
      unpackedBytes: info!.unpackedSize,
      files: info!.entryCount,
      installedMb,
      line:
        `package: tarball ${(info!.size / 1e3).toFixed(0)} kB, ${info!.entryCount} files (${(info!.unpackedSize / 1e6).toFixed(1)} MB unpacked); ` +
        `installed with dependencies ${installedMb.toFixed(1)} MB (target ≤ ${INSTALLED_TARGET_MB} MB)`,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
