// Static checks of the deployment files, without a container engine:
// the collector config is validated by the collector built from
// collector/builder-config.yaml, and docker-compose.yml by compose-go (the
// Compose Specification JSON schema plus the model checks of docker compose).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { binaryPath, COLLECTOR_CONFIG, ROOT } from './stack.ts';

function run(bin: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const res = spawnSync(bin, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: res.status, output: `${res.stdout}${res.stderr}${res.error ? String(res.error) : ''}` };
}

const tmp = mkdtempSync(join(tmpdir(), 'otel-log-policy-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('collector-config.yaml', () => {
  test('the built collector validates it', () => {
    const res = run(binaryPath('otelcol'), ['validate', '--config', COLLECTOR_CONFIG]);
    expect(res.output).not.toMatch(/error/i);
    expect(res.status, res.output).toBe(0);
  });

  test('traces go to the exporter OTELCOL_TRACES_EXPORTER names: otlp_http/traces validates, an unknown one does not', () => {
    const forward = run(binaryPath('otelcol'), ['validate', '--config', COLLECTOR_CONFIG], { ...process.env, OTELCOL_TRACES_EXPORTER: 'otlp_http/traces' });
    expect(forward.status, forward.output).toBe(0);
    const unknown = run(binaryPath('otelcol'), ['validate', '--config', COLLECTOR_CONFIG], { ...process.env, OTELCOL_TRACES_EXPORTER: 'jaeger' });
    expect(unknown.status, unknown.output).not.toBe(0);
    expect(unknown.output).toMatch(/references exporter "jaeger" which is not configured/);
  });

  test('validation can fail: an unknown component is rejected', () => {
    const broken = join(tmp, 'broken-collector.yaml');
    writeFileSync(
      broken,
      [
        'receivers: { otlp: { protocols: { http: { endpoint: "127.0.0.1:0" } } } }',
        'exporters: { no_such_exporter: {} }',
        'service: { pipelines: { logs: { receivers: [otlp], exporters: [no_such_exporter] } } }',
        '',
      ].join('\n'),
    );
    const res = run(binaryPath('otelcol'), ['validate', '--config', broken]);
    expect(res.status, res.output).not.toBe(0);
    expect(res.output).toMatch(/no_such_exporter/);
  });

  test('it lists exactly the components of collector/builder-config.yaml', () => {
    const res = run(binaryPath('otelcol'), ['components']);
    expect(res.status, res.output).toBe(0);
    for (const name of ['otlp', 'memory_limiter', 'filter', 'forward', 'file', 'otlp_http', 'nop', 'health_check', 'file_storage']) {
      expect(res.output).toContain(`name: ${name}\n`);
    }
  });
});

describe('docker-compose.yml', () => {
  test('passes the Compose Specification schema and model checks', () => {
    const res = run(binaryPath('composecheck'), [join(ROOT, 'docker-compose.yml')]);
    expect(res.status, res.output).toBe(0);
    expect(res.output).toContain('valid');
  });

  test("with docker-compose.override.yml (the repository's demo) it is one valid project, as `docker compose up` loads them", () => {
    const res = run(binaryPath('composecheck'), ['--merge', join(ROOT, 'docker-compose.yml'), join(ROOT, 'docker-compose.override.yml')]);
    expect(res.status, res.output).toBe(0);
    expect(res.output).toContain('valid');
    // The override alone is not a project: it only adds the demo to the stack.
    expect(run(binaryPath('composecheck'), [join(ROOT, 'docker-compose.override.yml')]).status).not.toBe(0);
  });

  test('the check can fail: a broken compose file is rejected', () => {
    const cases: Record<string, string> = {
      // `ports` must be a list, and `service` is not a key of a service.
      'schema.yml': 'services:\n  web:\n    image: nginx\n    ports: "8080:80"\n    servcie: typo\n',
      // depends_on names a service that does not exist.
      'model.yml': 'services:\n  web:\n    image: nginx\n    depends_on:\n      db:\n        condition: service_healthy\n',
    };
    for (const [name, text] of Object.entries(cases)) {
      const file = join(tmp, name);
      writeFileSync(file, text);
      const res = run(binaryPath('composecheck'), [file]);
      expect(res.status, `${name}: ${res.output}`).not.toBe(0);
      expect(res.output).toContain('INVALID');
    }
  });
});
