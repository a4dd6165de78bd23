/**
 * The built CLI answers at once: `--help` and the client commands load no server, no database driver and no cloud SDK
 * (the figures are in docs/PERFORMANCE.md; here, what is loaded). Runs the compiled code, as installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const built = existsSync('dist/server/main.js');
/** Packages a client command has no use for: the server, the database drivers, the schemas, every cloud SDK. */
const cloudSdks = ['@aws-sdk', '@alicloud', '@huaweicloud', 'tencentcloud-sdk-nodejs', '@google-cloud', '@azure'].map(
  (name) => `/node_modules/${name}/`,
);
const heavy = [
  ...['fastify', 'kysely', 'better-sqlite3', 'pg', 'typebox'].map((n) => `/node_modules/${n}/`),
  ...cloudSdks,
];

/**
 * The loaded files, and for each file of the build the sources bundled into it (dist/server/meta.json, written by
 * the build), so a package counts as loaded whether it was bundled or loaded from node_modules.
 */
function withSources(loaded: string[]): string[] {
  const meta = JSON.parse(readFileSync('dist/server/meta.json', 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  return loaded.flatMap((url) => {
    const at = url.indexOf('/dist/server/');
    const inputs = at >= 0 ? meta.outputs[url.slice(at + 1)]?.inputs : undefined;
    return [url, ...Object.keys(inputs ?? {}).map((input) => `bundled:/${input}`)];
  });
}

function run(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; out: string; loaded: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'peerlink-cli-'));
  const trace = join(dir, 'imports.txt');
  try {
    const r = spawnSync(
      process.execPath,
      ['--import', './test/support/trace-imports.mjs', 'bin/peerlink.js', ...args],
      {
        env: { ...process.env, PEERLINK_TRACE_IMPORTS: trace, ...env },
        encoding: 'utf8',
      },
    );
    const loaded = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
    return { status: r.status, out: r.stdout + r.stderr, loaded: withSources(loaded) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the CLI is built (npm run build) and runs the compiled code', { skip: !built && 'not built' }, () => {
  const r = run(['--help']);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /peerings\s+create, list, inspect and delete peerings/);
  assert.ok(
    r.loaded.some((u) => u.includes('/dist/server/main.js')),
    'the compiled entry',
  );
  assert.ok(
    r.loaded.some((u) => u === 'bundled:/src/cli/main.ts'),
    'the build records its sources',
  );
  assert.ok(!r.loaded.some((u) => u.includes('/tsx/')), 'no TypeScript compiler at run time');
});

for (const args of [['--help'], ['peerings', '--help'], ['peerings', 'get', 'pr_x']]) {
  test(
    `peerlink ${args.join(' ')} loads no server, database driver or cloud SDK`,
    { skip: !built && 'not built' },
    () => {
      // no server listens on this port: the client command fails, having loaded only what a client needs
      const r = run(args, { PEERLINK_URL: 'http://127.0.0.1:9', PEERLINK_API_KEY: 'plk_key_x.y' });
      const found = r.loaded.filter((u) => heavy.some((h) => u.includes(h)));
      assert.deepEqual(found, [], `loaded by ${args.join(' ')}`);
      assert.ok(r.loaded.length > 0, 'the trace recorded the loads');
    },
  );
}

const OPERATOR = 'cli-test-operator-token-0123456789abcdef';

/** `serve` on `dir`'s database, its imports traced: its URL, what it has loaded so far, and a stop. */
async function serveTraced(
  dir: string,
): Promise<{ url: string; loaded: () => string[]; has: (name: string) => boolean; stop: () => Promise<void> }> {
  const trace = join(dir, 'imports.txt');
  rmSync(trace, { force: true });
  const child = spawn(process.execPath, ['--import', './test/support/trace-imports.mjs', 'bin/peerlink.js', 'serve'], {
    env: {
      ...process.env,
      PEERLINK_TRACE_IMPORTS: trace,
      PEERLINK_DATABASE: join(dir, 'p.db'),
      PEERLINK_PORT: '0',
      PEERLINK_OPERATOR_TOKEN: OPERATOR,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`serve never listened: ${out}`)), 30_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/i.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    const loaded = () => withSources(readFileSync(trace, 'utf8').split('\n').filter(Boolean));
    const has = (name: string) => loaded().some((u) => u.includes(`/node_modules/${name}/`));
    return { url, loaded, has, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

test(
  'serve loads the server and SQLite, and no cloud SDK before a cloud is used',
  { skip: !built && 'not built' },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerlink-serve-'));
    const serve = await serveTraced(dir);
    try {
      assert.equal((await fetch(`${serve.url}/readyz`)).status, 200, 'ready');
      assert.ok(serve.has('fastify') && serve.has('kysely') && serve.has('better-sqlite3'), 'the server and SQLite');
      assert.ok(!serve.has('pg'), 'no PostgreSQL driver in embedded mode');
      const sdks = serve.loaded().filter((u) => cloudSdks.some((h) => u.includes(h)));
      assert.deepEqual(sdks, [], 'no cloud SDK');
    } finally {
      await serve.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'serve loads, at start, the SDK of each cloud with a platform account and no other',
  { skip: !built && 'not built' },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerlink-serve-'));
    try {
      const first = await serveTraced(dir);
      try {
        const r = await fetch(`${first.url}/v1/admin/platform-accounts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            provider: 'aws',
            region: 'us-east-1',
            accountId: '111122223333',
            endpoint: 'http://127.0.0.1:9',
            credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'example' },
          }),
        });
        assert.equal(r.status, 201, await r.text());
      } finally {
        await first.stop();
      }
      const serve = await serveTraced(dir);
      try {
        const deadline = Date.now() + 20_000;
        while (!serve.has('@aws-sdk') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        assert.ok(serve.has('@aws-sdk'), 'the AWS SDK, loaded with no call made');
        const others = serve.loaded().filter((u) => cloudSdks.some((h) => u.includes(h) && !h.includes('@aws-sdk')));
        assert.deepEqual(others, [], 'no other cloud SDK');
      } finally {
        await serve.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
