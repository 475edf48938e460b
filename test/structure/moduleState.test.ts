import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Top-level `let`/`var` declarations: state that belongs to the module instead of the object that owns it. */
function moduleVariables(text: string): string[] {
  return [...text.matchAll(/^(?:export\s+)?(?:let|var)\s+([\w$]+)/gm)].map((m) => m[1]!);
}

describe('src/ keeps no module-level mutable variables', () => {
  it('the check finds a top-level let or var, and not one inside a function', () => {
    expect(moduleVariables('let active;\nexport var n = 0;\nfunction f() {\n  let inner = 1;\n}\n')).toEqual(['active', 'n']);
  });

  it('no file of src/ declares one', () => {
    const found = sourceFiles(SRC).flatMap((file) => moduleVariables(readFileSync(file, 'utf8')).map((name) => `${relative(SRC, file)}: ${name}`));
    expect(found).toEqual([]);
  });
});
