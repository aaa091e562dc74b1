/**
 * Production the Node way (issue 16, item 3): build/ is plain JavaScript that runs on the
 * `dependencies` alone, the package's bin serves it, and examples/deploy/'s systemd unit and
 * Dockerfile are checked against what the build makes and what the server answers. Docker is not
 * on every machine, so the container's CMD and HEALTHCHECK run here as the container would run
 * them (its ENV, its WORKDIR = this checkout), and so does the unit's ExecStart (its Environment=
 * and the example EnvironmentFile); each then stops on SIGTERM, cleanly and in time.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, request } from 'node:http';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadConfig } from '../../server/config/config.ts';
import { freePort } from '../servers.ts';

const root = resolve(import.meta.dirname, '../..');
const deploy = join(root, 'examples/deploy');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};
/** What the server listens on when PORT is not set. */
const DEFAULT_PORT = loadConfig({}).port;

before(() => {
  // build/ as production runs it (about a second).
  execFileSync('npm', ['run', 'build:server'], { cwd: root, stdio: 'pipe' });
});

/** A systemd unit: section → key → its values, in order (keys like Environment= repeat). */
function parseUnit(text: string) {
  const sections = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  for (const raw of text.replace(/\\\n/g, ' ').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) sections.set(header[1]!, (section = new Map()));
    else {
      const [, key, value] = /^([A-Za-z]+)=(.*)$/.exec(line) ?? assert.fail(`Not a unit line: ${line}`);
      assert.ok(section, `${key}= before any [section]`);
      section.set(key!, [...(section.get(key!) ?? []), value!]);
    }
  }
  return sections;
}

/** A Dockerfile's instructions, continuation lines joined, comments dropped. */
function parseDockerfile(text: string) {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, instruction, args] = /^([A-Z]+)\s+(.*)$/.exec(line) ?? assert.fail(`Not an instruction: ${line}`);
      return { instruction: instruction!, args: args! };
    });
}

/** KEY=VALUE pairs (an env file's lines, a unit's Environment=, a Dockerfile's ENV). */
const pairs = (words: string[]) => Object.fromEntries(words.map((w) => /^([A-Z_]+)=(.*)$/.exec(w) ?? assert.fail(`Not KEY=VALUE: ${w}`)).map(([, k, v]) => [k!, v!]));

/**
 * The operator's settings, examples/deploy/otp-login.env (the unit's EnvironmentFile, and
 * `docker run --env-file` for the container): production needs PUBLIC_URL and a provider. Its
 * Postmark token is a placeholder; no code is asked for here, and the API address points at a
 * closed local port all the same, so nothing could leave this machine.
 */
const operatorEnv = () => ({
  ...pairs(readFileSync(join(deploy, 'otp-login.env'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'))),
  POSTMARK_API_URL: 'http://127.0.0.1:9',
});

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs a command line as the unit or the container would, with this checkout for its folder, until /healthz answers. */
async function startCommand(argv: string[], env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'otp-deploy-'));
  // Only what the unit or the image sets (and PATH, HOME), not this test runner's environment.
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => (rmSync(dataDir, { recursive: true, force: true }), done(code))));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) assert.fail(`${argv.join(' ')} stopped while starting:\n${output}`);
    const ok = await fetch(`http://localhost:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) assert.fail(`${argv.join(' ')} did not answer /healthz within 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, output: () => output, exited };
}

/**
 * SIGTERM with a browser's keep-alive connection still open (which would hold a plain close()
 * open): the server must say so and exit 0 within `limitMs`, the unit's or the runtime's wait.
 */
async function stopsCleanly({ child, port, output, exited }: Started, limitMs: number) {
  const agent = new Agent({ keepAlive: true });
  await new Promise<void>((done, fail) =>
    request({ host: 'localhost', port, path: '/healthz', agent }, (res) => res.resume().on('end', done)).on('error', fail).end(),
  );
  const asked = Date.now();
  child.kill('SIGTERM');
  const code = await exited;
  const took = Date.now() - asked;
  agent.destroy();
  assert.equal(code, 0, `exit code ${code}:\n${output()}`);
  assert.match(output(), /SIGTERM received/);
  assert.ok(took < limitMs, `stopping took ${took} ms, the limit is ${limitMs} ms`);
}

describe('the built server', () => {
  test('build/ imports only Node built-ins and the package dependencies (no tsx, vite or other development package)', () => {
    const allowed = new Set(Object.keys(pkg.dependencies));
    const builtins = new Set(builtinModules);
    const files = readdirSync(join(root, 'build')).filter((f) => f.endsWith('.js'));
    assert.ok(files.includes('main.js') && files.includes('cli.js'), `build/ holds ${files.join(', ')}`);
    const strays: string[] = [];
    for (const file of files) {
      const code = readFileSync(join(root, 'build', file), 'utf8');
      for (const [, fromLine, dynamic] of code.matchAll(/^(?:import|export)\b[^;'"]*?(?:from\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']/gm)) {
        const specifier = fromLine ?? dynamic;
        if (/\.[cm]?ts$/.test(specifier!)) strays.push(`${file}: ${specifier} (TypeScript)`);
        if (specifier!.startsWith('.') || specifier!.startsWith('node:') || builtins.has(specifier!)) continue;
        const name = specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!;
        if (!allowed.has(name)) strays.push(`${file}: ${specifier}`);
      }
    }
    assert.deepEqual(strays, [], 'imports of TypeScript files or of packages that are not in dependencies');
  });

  test('the package ships the bin, the built server and its migrations; the bin answers help and an unknown command', () => {
    const bin = pkg.bin['otp-login'];
    assert.equal(bin, 'build/cli.js');
    assert.ok(pkg.files.includes('build/'));
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const paths = packed.files.map((f) => f.path);
    for (const file of [bin, 'build/main.js', 'build/rotate-keys.js', 'build/migrate-to-postgres.js', 'build/migrations/0001_initial.sql']) {
      assert.ok(paths.includes(file), `the package lacks ${file}`);
    }
    assert.ok(readFileSync(join(root, bin), 'utf8').startsWith('#!/usr/bin/env node\n'));

    const help = spawnSync(process.execPath, [bin, 'help'], { cwd: root, encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /rotate-keys/);
    assert.match(help.stdout, /migrate-to-postgres/);
    const wrong = spawnSync(process.execPath, [bin, 'rotate'], { cwd: root, encoding: 'utf8' });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /otp-login has no command "rotate"/);
  });

  test('npx otp-login (build/cli.js) serves, and stops on SIGTERM', async () => {
    const server = await startCommand([process.execPath, pkg.bin['otp-login']!], {});
    try {
      assert.match(server.output(), /otp-login is running at/);
    } finally {
      await stopsCleanly(server, 10_000);
    }
  });
});

describe('examples/deploy/otp-login.service', () => {
  const unit = parseUnit(readFileSync(join(deploy, 'otp-login.service'), 'utf8'));
  const service = unit.get('Service')!;
  const one = (key: string) => {
    const values = service.get(key);
    assert.equal(values?.length, 1, `${key}= once in [Service]`);
    return values[0]!;
  };

  test('systemd-analyze verify finds nothing to say', (t) => {
    if (spawnSync('sh', ['-c', 'command -v systemd-analyze']).status !== 0) return t.skip('systemd-analyze is not on this machine (the key checks below still run)');
    const verify = spawnSync('systemd-analyze', ['verify', join(deploy, 'otp-login.service')], { encoding: 'utf8' });
    // It exits 0 even for an unknown key, which it only warns about.
    assert.equal(verify.status, 0, verify.stderr);
    assert.equal(`${verify.stdout}${verify.stderr}`.trim(), '');
  });

  test('runs as its own user, hardened, restarting on failure, with its database in its state directory', () => {
    assert.deepEqual([...unit.keys()], ['Unit', 'Service', 'Install']);
    assert.equal(one('Type'), 'simple');
    assert.ok(one('User') !== 'root' && one('User') !== '');
    assert.equal(one('NoNewPrivileges'), 'yes');
    assert.equal(one('ProtectSystem'), 'strict');
    assert.equal(one('Restart'), 'on-failure');
    assert.equal(one('KillSignal'), 'SIGTERM');
    assert.ok(one('EnvironmentFile').startsWith('/etc/'));
    assert.ok(existsSync(join(deploy, 'otp-login.env')), 'the example EnvironmentFile is beside the unit');
    const env = pairs(service.get('Environment')!.flatMap((line) => line.split(/\s+/)));
    // ProtectSystem=strict leaves only the state directory writable: DATA_DIR must be it.
    assert.equal(env.DATA_DIR, `/var/lib/${one('StateDirectory')}`);
    assert.equal(env.NODE_ENV, 'production');
    assert.equal(Number(env.PORT), DEFAULT_PORT);
    assert.equal(unit.get('Install')!.get('WantedBy')?.[0], 'multi-user.target');
  });

  test('its ExecStart, from the built files with its environment, answers /healthz and stops cleanly within TimeoutStopSec', async () => {
    const [node, ...args] = one('ExecStart').split(/\s+/);
    assert.match(node!, /^\/.*\/node$/, 'ExecStart runs node by its absolute path');
    const workDir = one('WorkingDirectory');
    const script = args.at(-1)!;
    assert.ok(script.startsWith(`${workDir}/`), `${script} is under WorkingDirectory ${workDir}`);
    const built = script.slice(workDir.length + 1);
    assert.ok(existsSync(join(root, built)) && built.startsWith('build/'), `${built} is what npm run build:server makes`);
    const env = { ...pairs(service.get('Environment')!.flatMap((line) => line.split(/\s+/))), ...operatorEnv() };
    // This test's Node (the one whose ABI node_modules was built for) in place of /usr/bin/node.
    const server = await startCommand([process.execPath, ...args.slice(0, -1), built], env);
    await stopsCleanly(server, Number(one('TimeoutStopSec')) * 1000);
  });
});

describe('examples/deploy/Dockerfile', () => {
  const steps = parseDockerfile(readFileSync(join(deploy, 'Dockerfile'), 'utf8'));
  const froms = steps.flatMap((s, i) => (s.instruction === 'FROM' ? [i] : []));
  const runtime = steps.slice(froms.at(-1));
  const all = (instruction: string, where = runtime) => where.filter((s) => s.instruction === instruction).map((s) => s.args);
  const last = (instruction: string) => all(instruction).at(-1) ?? assert.fail(`No ${instruction} in the runtime stage`);
  const env = pairs(all('ENV').flatMap((args) => args.split(/\s+/)));
  const exec = (args: string) => JSON.parse(args) as string[];

  test('two stages: a build with the dev dependencies, a runtime with production ones, a non-root user, the data on a volume', () => {
    assert.equal(froms.length, 2);
    assert.match(steps[froms[0]!]!.args, /\sAS build$/);
    const buildRuns = all('RUN', steps.slice(0, froms[1])).join('\n');
    assert.match(buildRuns, /npm ci\b/);
    for (const [, script] of buildRuns.matchAll(/npm run ([\w:-]+)/g)) assert.ok(pkg.scripts[script!], `package.json has no script ${script}`);
    assert.match(buildRuns, /npm (prune|ci) --omit=dev/);
    for (const copy of all('COPY')) {
      const [, source] = /^--from=build \/app\/(\S+) /.exec(copy) ?? assert.fail(`COPY ${copy} is not from the build stage`);
      assert.ok(['package.json', 'node_modules'].includes(source!) || pkg.files.includes(`${source}/`), `COPY of ${source}: not what the package is made of`);
    }
    assert.ok(!['', 'root', '0'].includes(last('USER')));
    assert.equal(env.NODE_ENV, 'production');
    assert.equal(last('VOLUME'), env.DATA_DIR);
  });

  test('the port, stop signal and health check are the server’s own', () => {
    assert.equal(Number(last('EXPOSE')), DEFAULT_PORT);
    assert.equal(Number(env.PORT), DEFAULT_PORT);
    assert.equal(last('STOPSIGNAL'), 'SIGTERM');
    assert.match(last('HEALTHCHECK'), /--interval=\S+ .*CMD \[/);
    assert.match(last('HEALTHCHECK'), /\/healthz/);
    const ignore = readFileSync(join(deploy, 'Dockerfile.dockerignore'), 'utf8');
    assert.match(ignore, /^\*\*\/node_modules$/m, 'the host’s node_modules (built for its Node) stays out of the image');
  });

  test('its CMD, with its ENV in its WORKDIR, serves; its HEALTHCHECK passes; it stops cleanly within docker stop’s 10 s', async () => {
    assert.equal(last('WORKDIR'), '/app');
    const cmd = exec(last('CMD'));
    assert.equal(cmd[0], 'node');
    assert.ok(existsSync(join(root, cmd.at(-1)!)) && cmd.at(-1)!.startsWith('build/'), `${cmd.at(-1)} is what npm run build:server makes`);
    const server = await startCommand([process.execPath, ...cmd.slice(1)], { ...env, ...operatorEnv() });
    const health = exec(last('HEALTHCHECK').replace(/^.*?CMD /, ''));
    assert.equal(health[0], 'node');
    const check = spawnSync(process.execPath, health.slice(1), { env: { PATH: process.env.PATH, PORT: String(server.port) }, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    await stopsCleanly(server, 10_000);
  });
});
