import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Redactor } from '../src/pipeline/redact/Redactor.ts';
import { BACKEND_FLAGS } from './e2e/stack.ts';

const read = (name: string) => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');
const lines = (text: string) => text.split('\n').filter((line) => !line.trim().startsWith('#'));

describe('the compose stack and the collector config', () => {
  test('compose publishes ports on 127.0.0.1 only', () => {
    const compose = lines(read('docker-compose.yml'));
    const published: string[] = [];
    let inPorts = false;
    for (const line of compose) {
      if (/^\s*ports:\s*$/.test(line)) inPorts = true;
      else if (inPorts && /^\s*-\s*/.test(line))
        published.push(
          line
            .replace(/^\s*-\s*/, '')
            .replace(/"/g, '')
            .trim(),
        );
      else inPorts = false;
    }
    expect(published.length).toBeGreaterThan(0);
    for (const port of published) expect(port, port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    expect(compose.join('\n')).not.toMatch(/network_mode:\s*host/);
  });

  test('no passwords, tokens or keys in the files: no env_file, nothing a redactor would catch', () => {
    for (const name of ['docker-compose.yml', 'collector-config.yaml']) {
      const text = lines(read(name)).join('\n');
      expect(text, name).not.toMatch(/env_file|password|passwd|secret|api[_-]?key|bearer/i);
      const redactor = new Redactor();
      redactor.text(text);
      expect(
        Object.values(redactor.counts).reduce((a, b) => a + b, 0),
        name,
      ).toBe(0);
    }
  });

  test("both backends run with the e2e stack's flags (CORS off, 1 s flush) in compose and in the by-hand instructions", () => {
    const compose = read('docker-compose.yml');
    // A service's block: the lines under its `  name:` line indented deeper.
    const block = (name: string) => new RegExp(`^ {2}${name}:\n((?: {4}.*\n|\n)+)`, 'm').exec(compose)?.[1] ?? '';
    const readme = read('collector/README.md');
    for (const [name, binary] of [
      ['victorialogs', 'victoria-logs'],
      ['victoriametrics', 'victoria-metrics'],
    ] as const) {
      const command = block(name);
      expect(command, name).toMatch(/command:/);
      const byHand = readme.split('\n').find((line) => line.startsWith(`.cache/bin/${binary} `)) ?? '';
      for (const flag of BACKEND_FLAGS) {
        expect(command, `${name} in docker-compose.yml`).toContain(`- ${flag}\n`);
        expect(byHand, `${binary} in collector/README.md`).toContain(` ${flag}`);
      }
    }
  });

  test('the collector refuses request bodies over 8 MiB (the e2e smoke test sends one)', () => {
    expect(read('collector-config.yaml')).toMatch(/max_request_body_size:\s*8388608/);
  });
});
