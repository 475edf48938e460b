import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { callLifecycleQuery, LIFECYCLE_EVENTS } from '../e2e/stack.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', '.git', '.cache', 'test-results', 'dist']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? markdownFiles(path) : e.name.endsWith('.md') ? [path] : [];
  });
}

/** The page's text outside fenced code blocks and inline code, where a `[x](y)` is not a link. */
function prose(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .filter((line) => {
      if (!line.startsWith('```')) return !fenced;
      fenced = !fenced;
      return false;
    })
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: lower case, punctuation but `-` and `_` removed, spaces to `-`; repeats get `-1`, `-2`. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, text] of prose(markdown.replace(/^(#{1,6} .*)$/gm, (h) => h.replaceAll('`', ''))).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = text!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Relative links in `file` that lead nowhere: a missing file, or an anchor no heading of the target has. */
function brokenLinks(file: string, root: string): string[] {
  const broken: string[] = [];
  for (const [, target] of prose(readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target!)) continue; // http:, https:, mailto:
    const [path, anchor] = target!.split('#') as [string, string | undefined];
    const resolved = path === '' ? file : resolve(dirname(file), path);
    const where = `${relative(root, file)}: (${target})`;
    if (!existsSync(resolved)) broken.push(`${where} no such file`);
    else if (anchor !== undefined && statSync(resolved).isFile() && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${where} no such heading`);
  }
  return broken;
}

describe('links between the Markdown files', () => {
  test('the checker finds a missing file, a missing heading, and passes good links', () => {
    const dir = mkdtempSync(join(tmpdir(), 'olp-links-'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'README.md'), '# Top\n\n## Zero code: `--import x/register`\n\n[ok](docs/a.md#a-b) [ok](#zero-code---import-xregister) `[not](a link)`\n');
    writeFileSync(join(dir, 'docs/a.md'), '# A, b!\n\n[ok](../README.md#top) [gone](missing.md) [bad](../README.md#nowhere) <http://x.test/>\n\n```\n[in code](nowhere.md)\n```\n');
    expect(markdownFiles(dir).flatMap((f) => brokenLinks(f, dir))).toEqual(['docs/a.md: (missing.md) no such file', 'docs/a.md: (../README.md#nowhere) no such heading']);
  });

  test('every relative link in README.md, docs/, BENCHMARKS.md and collector/README.md resolves', () => {
    const files = markdownFiles(ROOT);
    expect(files.map((f) => relative(ROOT, f))).toEqual(expect.arrayContaining(['README.md', 'BENCHMARKS.md', 'collector/README.md', 'docs/configuration.md']));
    expect(files.flatMap((f) => brokenLinks(f, ROOT))).toEqual([]);
  });

  test('the README links to every page of docs/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const pages = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));
    expect(pages.filter((name) => !readme.includes(`](docs/${name}`))).toEqual([]);
  });
});

describe('README.md, the user page', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  test('is short, and keeps the two set-up commands', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(200);
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
    expect(readme).toContain('npm install otel-log-policy');
  });

  test('"See your calls" still gives the browser test its query, and the same as docs/see-your-calls.md', () => {
    // callLifecycleQuery reads docs/see-your-calls.md; the README shows the same block.
    const query = callLifecycleQuery('call-7');
    expect(query.startsWith('call.id:="call-7" ')).toBe(true);
    const section = readme.slice(readme.indexOf('## See your calls'));
    expect(/```logsql\n(.+)\n```/.exec(section)?.[1]?.replaceAll('CALL_ID', 'call-7')).toBe(query);
    expect(query).not.toContain('CALL_ID');
    for (const event of LIFECYCLE_EVENTS) expect(query).toContain(event);
  });

  test('"Use it with a LoggerProvider" still opens with the example the package test runs', () => {
    // test/package/pack.test.ts runs this block as written against the packed package.
    const section = readme.slice(readme.indexOf('## Use it with a LoggerProvider'));
    const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(example).toContain('new LogPolicyProcessor(exporting)');
    expect(example).toContain('await provider.shutdown()');
  });
});
