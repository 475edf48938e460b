import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readerNames, SRC, variableRowsBySection, variablesReadBySrc, variablesReadIn } from '../helpers/envVariables.ts';

const PAGE = resolve(import.meta.dirname, '../../docs/configuration.md');
const READ_HERE = 'Read by this package';
const READ_BY_SDK = 'Read by the OpenTelemetry SDK, not by this package';

describe('the env scanner', () => {
  const readers = readerNames(readFileSync(join(SRC, 'config/envReaders.ts'), 'utf8'));

  test('finds the generic readers of envReaders.ts', () => {
    expect(readers).toEqual(expect.arrayContaining(['read', 'level', 'duration', 'count', 'size', 'flag', 'onOff']));
    expect(readers).not.toContain('list'); // list(value) takes no env
  });

  test('finds every way of reading, and no mere mention', () => {
    const fixture = `
      const a = read(env, 'A_READ');
      const b = count(env, 'B_COUNT', 10, 1);
      const c = flag(env, 'C_FLAG');
      const d = env['D_INDEX']?.trim();
      const e = process.env.E_PROPERTY;
      const f = options.env?.['F_OPTIONAL'];
      throw new LogPolicyConfigError('G_ONLY_IN_A_MESSAGE', value, 'accepted: 1');
      const severity = 'DEBUG';
      field('label', 'H_ONLY_A_LABEL');
    `;
    expect([...variablesReadIn(fixture, readers)].sort()).toEqual(['A_READ', 'B_COUNT', 'C_FLAG', 'D_INDEX', 'E_PROPERTY', 'F_OPTIONAL']);
  });

  test('a computed index counts the table of names beside it', () => {
    const table = `const TABLE = [['x', 'X_ONE'], ['y', 'X_TWO']];\nfor (const [, variable] of TABLE) env[variable]?.trim();`;
    expect([...variablesReadIn(table, readers)].sort()).toEqual(['X_ONE', 'X_TWO']);
    expect([...variablesReadIn(`const TABLE = ['X_ONE'];`, readers)]).toEqual([]);
  });

  test('reads src/ as it is', () => {
    const read = variablesReadBySrc();
    expect(read).toEqual(
      expect.arrayContaining(['LOG_POLICY_MODE', 'DEBUG', 'DEBUG_TX', 'LOG_POLICY_CAPTURE_CONSOLE', 'OTEL_BLRP_MAX_QUEUE_SIZE', 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT']),
    );
    // A label or an attribute key is not a variable.
    expect(read).not.toContain('LOG_POLICY_RETRY_OVERFLOW');
  });
});

describe('docs/configuration.md', () => {
  const sections = variableRowsBySection(readFileSync(PAGE, 'utf8'));
  const documented = (sections.get(READ_HERE) ?? []).map((row) => row.name);

  test('the page parser sees the rows of each section, and only table rows', () => {
    const page = '## One\n\n| variable | default |\n|---|---|\n| `A_B` | `1` |\n\n`C_D` in prose\n\n## Two\n\n```\n| `E_F` | in a code block |\n```\n| `G_H` | x \\| y | z |\n';
    const parsed = variableRowsBySection(page);
    expect([...parsed.keys()]).toEqual(['One', 'Two']);
    expect(parsed.get('One')!.map((r) => r.name)).toEqual(['A_B']);
    expect(parsed.get('Two')!.map((r) => r.cells)).toEqual([['`G_H`', 'x \\| y', 'z']]);
  });

  test('documents every variable src/ reads, and none it does not read', () => {
    const read = variablesReadBySrc();
    expect({ undocumented: read.filter((name) => !documented.includes(name)), unread: documented.filter((name) => !read.includes(name)) }).toEqual({
      undocumented: [],
      unread: [],
    });
  });

  test('one row each, with a default, the accepted values and a meaning', () => {
    expect(documented.length).toBe(new Set(documented).size);
    for (const row of sections.get(READ_HERE)!) {
      expect(row.cells, row.name).toHaveLength(4);
      expect(
        row.cells.every((cell) => cell !== ''),
        row.name,
      ).toBe(true);
    }
  });

  test('what it says the SDK reads, the package does not read itself', () => {
    const bySdk = (sections.get(READ_BY_SDK) ?? []).map((row) => row.name);
    expect(bySdk.length).toBeGreaterThan(0);
    expect(bySdk.filter((name) => variablesReadBySrc().includes(name))).toEqual([]);
    expect([...sections.keys()].filter((heading) => heading !== READ_HERE && heading !== READ_BY_SDK)).toEqual([]);
  });
});
