import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The folders of src/, bottom first: a folder may import only folders before it in this list
// (and itself). A new import that points up the list is a cycle in the making.
const LAYERS = ['config', 'state', 'policy', 'pipeline', 'api', 'calls', 'bridges', 'sdk', 'cli'] as const;
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The top folder of a file under src/ ('' for src/index.ts and src/register.ts). */
function layerOf(file: string, src = SRC): string {
  const parts = relative(src, file).split('/');
  return parts.length === 1 ? '' : parts[0]!;
}

/** Every relative import (type-only ones too: they tie the folders just the same). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => resolve(dirname(file), m[1]!));
}

/** Imports that point up the layer list (or at the entry points), as readable lines. */
function upwardImports(src: string): string[] {
  const upward: string[] = [];
  for (const file of sourceFiles(src)) {
    const from = layerOf(file, src);
    if (from === '') continue;
    for (const target of importsOf(file)) {
      const to = layerOf(target, src);
      if (to === '') upward.push(`${relative(src, file)} imports ${relative(src, target)} (the entry points import src/, not the other way)`);
      else if (LAYERS.indexOf(to as never) > LAYERS.indexOf(from as never)) upward.push(`${relative(src, file)} (${from}) imports ${relative(src, target)} (${to})`);
    }
  }
  return upward;
}

describe('src/ folders', () => {
  it('are all in the layer list', () => {
    const unknown = [...new Set(sourceFiles(SRC).map((f) => layerOf(f)))].filter((l) => l !== '' && !(LAYERS as readonly string[]).includes(l));
    expect(unknown).toEqual([]);
  });

  it('import only folders below them', () => {
    expect(upwardImports(SRC)).toEqual([]);
  });

  it('the check finds an upward import, type-only ones included', () => {
    const src = mkdtempSync(join(tmpdir(), 'layers-'));
    mkdirSync(join(src, 'config'));
    mkdirSync(join(src, 'api'));
    writeFileSync(join(src, 'api', 'b.ts'), "import { a } from '../config/a.ts';\nexport const b = a;\n");
    writeFileSync(join(src, 'config', 'a.ts'), "import type { B } from '../api/b.ts';\nexport const a = 1;\n");
    expect(upwardImports(src)).toEqual(['config/a.ts (config) imports api/b.ts (api)']);
  });
});
