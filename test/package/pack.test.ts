import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { binaryPath } from '../e2e/stack.ts';
import { startOtlpSink } from '../helpers/otlpSink.ts';

/**
 * The package as a user gets it: packed with `npm pack` (prepack builds dist/), installed into a fresh project,
 * imported as ESM with its types — never from src/.
 */
const root = resolve(import.meta.dirname, '../..');
const project = mkdtempSync(join(tmpdir(), 'olp-consumer-'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const installed = join(project, 'node_modules', 'otel-log-policy');
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Runs this Node (24 under vitest) in `cwd` with only PATH and `env`, so no policy or OTEL variable leaks in. */
function runNodeIn(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env['PATH'], ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

beforeAll(() => {
  const packDir = mkdtempSync(join(tmpdir(), 'olp-pack-'));
  npm(['pack', '--pack-destination', packDir], root);
  const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The app's own SDK packages, at the versions the package itself uses (as a user following its docs would).
  const own = ['@opentelemetry/sdk-logs', '@opentelemetry/api'].map((name) => `${name}@${manifest.dependencies[name]}`);
  npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball, ...own], project);
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
  expect(run.stdout.trim()).toBe(
    'CALL_PROTOCOLS,EXOTEL,SUPPORTED_WS_VERSIONS,TELNYX,TWILIO,WsCallsInstrumentation,hookBridgedImports,instrumentCalls,linkApiLogsGlobal,logBridgeInstrumentations',
  );
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

test('from the install, LOG_POLICY_REDACT_PATTERNS is checked for backtracking: a catastrophic one ends start-up with code 2, a safe one starts', async () => {
  writeFileSync(join(project, 'quiet.mjs'), '');
  const env = { OTEL_SDK_DISABLED: 'true' };
  const bad = await runNodeIn(project, ['--import', 'otel-log-policy/register', 'quiet.mjs'], { ...env, LOG_POLICY_REDACT_PATTERNS: '(a+)+$' });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/LOG_POLICY_REDACT_PATTERNS="\(a\+\)\+\$" is not valid: it can take exponential backtracking/);
  const good = await runNodeIn(project, ['--import', 'otel-log-policy/register', 'quiet.mjs'], { ...env, LOG_POLICY_REDACT_PATTERNS: String.raw`PAT-\d{6}|member#\w+` });
  expect(good.code, good.stderr).toBe(0);
}, 60_000);

test("the README's LoggerProvider example runs as written against the installed package", async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it with a LoggerProvider'));
  const example = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  writeFileSync(join(project, 'readme-example.mjs'), example);
  const exported = async (mode: string): Promise<string[]> => {
    const sink = await startOtlpSink();
    try {
      const run = await runNodeIn(project, ['readme-example.mjs'], { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, LOG_POLICY_MODE: mode });
      expect(run.code, run.stderr).toBe(0);
      return sink
        .records()
        .map((r) => String(r.body))
        .sort();
    } finally {
      await sink.close();
    }
  };
  expect(await exported('production')).toEqual(['[CALL_END] call CA123 ended', '[CALL_START] call CA123 started', '[CREATE_APPT] booked 10:30', '[TX_SLOW] queue=12']);
  // Development mode lets the debug line through: the same example, the policy acting differently.
  expect(await exported('development')).toEqual([
    '[AUDIO_DELTA] 320 bytes',
    '[CALL_END] call CA123 ended',
    '[CALL_START] call CA123 started',
    '[CREATE_APPT] booked 10:30',
    '[TX_SLOW] queue=12',
  ]);
});

test('the install holds one copy of @opentelemetry/instrumentation (NodeSDK and the pino/winston bridges agree)', () => {
  // --all: every path to it, not only the top level; no overrides apply to a user's install.
  const tree = JSON.parse(npm(['ls', '@opentelemetry/instrumentation', '--all', '--json'], project)) as Tree;
  const versions = new Set<string>();
  const paths: string[] = [];
  const walk = (node: Tree, path: string[]) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (name === '@opentelemetry/instrumentation') {
        versions.add(child.version!);
        paths.push([...path, `${name}@${child.version}`].join(' > '));
      }
      walk(child, [...path, name]);
    }
  };
  walk(tree, []);
  expect(paths.length, 'nothing depends on @opentelemetry/instrumentation?').toBeGreaterThanOrEqual(3);
  expect([...versions], paths.join('\n')).toHaveLength(1);
  // And npm agrees: one package directory.
  expect(npm(['ls', '@opentelemetry/instrumentation', '--all', '--parseable'], project).trim().split('\n')).toHaveLength(1);
});
interface Tree {
  version?: string;
  dependencies?: Record<string, Tree>;
}

test('the package has its MIT LICENSE', () => {
  const license = readFileSync(join(installed, 'LICENSE'), 'utf8');
  expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} otel-log-policy contributors\n/);
  expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
  expect((JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { license: string }).license).toBe('MIT');
});

test('every source map in the package points at sources that are in the package', () => {
  const maps = (function list(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(join(dir, e.name)) : e.name.endsWith('.map') ? [join(dir, e.name)] : []));
  })(join(installed, 'dist'));
  expect(maps.length).toBeGreaterThan(50);
  const missing: string[] = [];
  for (const map of maps) {
    const { sources, sourceRoot } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[]; sourceRoot?: string };
    expect(sources.length, map).toBeGreaterThan(0);
    for (const source of sources) {
      const path = resolve(dirname(map), sourceRoot ?? '', source);
      if (!path.startsWith(installed) || !existsSync(path)) missing.push(`${map.slice(installed.length)} → ${source}`);
    }
  }
  expect(missing).toEqual([]);
  // Each compiled file names its map, so the maps are the ones a debugger or --enable-source-maps uses.
  expect(readFileSync(join(installed, 'dist/index.js'), 'utf8')).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
});

describe('npx otel-log-policy init [dir]', () => {
  const bin = join(project, 'node_modules/.bin/otel-log-policy');
  const init = (args: string[]) => spawnSync(bin, ['init', ...args], { cwd: project, encoding: 'utf8', env: { PATH: process.env['PATH'] } });
  const FILES = ['collector-config.yaml', 'docker-compose.yml'];

  test('writes the collector config and the compose file, as shipped, into a new directory', () => {
    const run = init(['stack']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const name of FILES) {
      expect(run.stdout).toContain(`wrote   ${join('stack', name)}`);
      expect(readFileSync(join(project, 'stack', name), 'utf8')).toBe(readFileSync(join(root, name), 'utf8'));
    }
    // The compose file runs from the user's project: images only, nothing built from this repository.
    const compose = readFileSync(join(project, 'stack', 'docker-compose.yml'), 'utf8');
    expect(compose).not.toMatch(/^\s*build:/m);
    expect(compose).toMatch(/image: otel\/opentelemetry-collector-contrib:/);
    expect(compose).toMatch(/image: victoriametrics\/victoria-logs:/);
    expect(compose).toContain('./collector-config.yaml:');
  });

  test('the written compose file passes the Compose Specification checks where it was written', () => {
    const check = spawnSync(binaryPath('composecheck'), [join(project, 'stack', 'docker-compose.yml')], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  test('keeps and reports a file that is already there (exit 1); --force overwrites it', () => {
    const mine = '# my own compose file\nservices: {}\n';
    writeFileSync(join(project, 'docker-compose.yml'), mine);
    const run = init([]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('wrote   collector-config.yaml');
    expect(run.stdout).toContain('kept    docker-compose.yml: it exists (otel-log-policy init --force overwrites it)');
    expect(readFileSync(join(project, 'docker-compose.yml'), 'utf8')).toBe(mine);
    // Run again: both exist now, both kept.
    const again = init(['.']);
    expect(again.status).toBe(1);
    expect(again.stdout.match(/^kept /gm)).toHaveLength(2);
    const forced = init(['--force']);
    expect(forced.status).toBe(0);
    expect(readFileSync(join(project, 'docker-compose.yml'), 'utf8')).toBe(readFileSync(join(root, 'docker-compose.yml'), 'utf8'));
  });

  test('a bad command line is a usage error (exit 2), and writes nothing', () => {
    const run = init(['a', 'b']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: otel-log-policy init [DIR] [--force]');
    expect(existsSync(join(project, 'a'))).toBe(false);
  });
});
