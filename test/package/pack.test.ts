import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { startOtlpSink } from '../helpers/otlpSink.ts';
import { installPacked, ROOT as root } from '../helpers/packed.ts';

/**
 * The package as a user gets it: packed with `npm pack` (prepack builds dist/), installed into a fresh project,
 * imported as ESM with its types — never from src/.
 */
let project: string;

/** Runs this Node (24 under vitest) in `cwd` with only PATH and `env`, so no policy or OTEL variable leaks in. */
function runNodeIn(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env['PATH'], ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

beforeAll(() => {
  project = installPacked(['@opentelemetry/sdk-logs@3.1.0', '@opentelemetry/api@1.10.0']);
}, 240_000);

test('a fresh project imports the packed package (ESM) and the policy acts', () => {
  writeFileSync(
    join(project, 'app.mjs'),
    `import { logs } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { LogPolicyProcessor, getLogger, startCall, loadPolicyConfig } from 'otel-log-policy';
const exporter = new InMemoryLogRecordExporter();
const policy = new LogPolicyProcessor(new SimpleLogRecordProcessor({ exporter }), { config: loadPolicyConfig({}) });
logs.setGlobalLoggerProvider(new LoggerProvider({ processors: [policy] }));
const call = startCall('pkg-1');
call.run(() => { getLogger('app').debug('dropped'); getLogger('app').info('[DSP] on'); getLogger('app').info('[DSP] on'); });
call.end();
console.log(JSON.stringify(exporter.getFinishedLogRecords().map((r) => r.body)));
`,
  );
  const run = spawnSync(process.execPath, ['app.mjs'], { cwd: project, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(JSON.parse(run.stdout)).toEqual(['[CALL_START] call pkg-1 started', '[DSP] on', '[CALL_END] call pkg-1 ended']);
});

test('its bridges subpath resolves from the install', () => {
  writeFileSync(join(project, 'bridges.mjs'), `import * as bridges from 'otel-log-policy/bridges';\nconsole.log(Object.keys(bridges).sort().join(','));\n`);
  const run = spawnSync(process.execPath, ['bridges.mjs'], { cwd: project, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim()).toBe('CALL_PROTOCOLS,EXOTEL,SUPPORTED_WS_VERSIONS,TELNYX,TWILIO,WsCallsInstrumentation,hookBridgedImports,instrumentCalls,linkApiLogsGlobal,logBridgeInstrumentations');
});

test('its types resolve for a TypeScript consumer', () => {
  writeFileSync(
    join(project, 'typed.ts'),
    `import { getLogger, loadPolicyConfig, type PolicyConfig, type PolicyStats } from 'otel-log-policy';
const config: PolicyConfig = loadPolicyConfig({});
const mode: 'production' | 'development' = config.mode;
const stats: PolicyStats | undefined = undefined;
getLogger('x').info('typed', { n: 1 });
export { mode, stats };
`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['typed.ts'] }),
  );
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
  // And a wrong use is caught, so the check above can fail.
  writeFileSync(join(project, 'typed.ts'), `import { getLogger } from 'otel-log-policy';\ngetLogger(42);\n`);
  expect(spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' }).status).not.toBe(0);
});

test('its bin runs from the install: otel-log-policy explain', () => {
  const run = spawnSync(join(project, 'node_modules/.bin/otel-log-policy'), ['explain'], {
    cwd: project,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], DEBUG: '0' },
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('mode            development (set by DEBUG=0)');
});

test('its register entry works from the install: node --import otel-log-policy/register', async () => {
  writeFileSync(
    join(project, 'service.mjs'),
    `import { getLogger, startCall } from 'otel-log-policy';
const call = startCall('pkg-register');
call.run(() => {
  getLogger('server.app').debug('[RMS] not in production');
  getLogger('server.app').info('[REALTIME] connected');
});
call.end();
`,
  );
  const sink = await startOtlpSink();
  try {
    const run = await runNodeIn(project, ['--import', 'otel-log-policy/register', 'service.mjs'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_SERVICE_NAME: 'packed-service',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
    });
    expect(run.code, run.stderr).toBe(0);
    const records = await sink.waitFor((rs) => rs.some((r) => r.eventName === 'CALL_END'));
    // OTLP groups records by scope, so compare as a set: the debug line is not there.
    expect(records.map((r) => r.body).sort()).toEqual(['[CALL_END] call pkg-register ended', '[CALL_START] call pkg-register started', '[REALTIME] connected']);
    expect(records.every((r) => r.resource['service.name'] === 'packed-service' && r.attributes['call.id'] === 'pkg-register')).toBe(true);
  } finally {
    await sink.close();
  }
});

test('the README\'s LoggerProvider example runs as written against the installed package', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it with a LoggerProvider'));
  const example = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  writeFileSync(join(project, 'readme-example.mjs'), example);
  const exported = async (mode: string): Promise<string[]> => {
    const sink = await startOtlpSink();
    try {
      const run = await runNodeIn(project, ['readme-example.mjs'], { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, LOG_POLICY_MODE: mode });
      expect(run.code, run.stderr).toBe(0);
      return sink.records().map((r) => String(r.body)).sort();
    } finally {
      await sink.close();
    }
  };
  expect(await exported('production')).toEqual(['[CALL_END] call CA123 ended', '[CALL_START] call CA123 started', '[CREATE_APPT] booked 10:30', '[TX_SLOW] queue=12']);
  // Development mode lets the debug line through: the same example, the policy acting differently.
  expect(await exported('development')).toEqual(['[AUDIO_DELTA] 320 bytes', '[CALL_END] call CA123 ended', '[CALL_START] call CA123 started', '[CREATE_APPT] booked 10:30', '[TX_SLOW] queue=12']);
});
