import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * The package as a user gets it: packed with `npm pack` (prepack builds dist/) and installed, with
 * `dependencies` (exact versions), into a fresh ESM project. Returns the project's directory.
 */
export function installPacked(dependencies: readonly string[]): string {
  const project = mkdtempSync(join(tmpdir(), 'olp-consumer-'));
  const packDir = mkdtempSync(join(tmpdir(), 'olp-pack-'));
  npm(['pack', '--pack-destination', packDir], ROOT);
  const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball, ...dependencies], project);
  return project;
}
