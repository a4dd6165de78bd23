/**
 * The built CLI answers at once: `--help` and the client commands load no server, no database driver and no cloud SDK
 * (the figures are in docs/PERFORMANCE.md; here, what is loaded). Runs the compiled code, as installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const built = existsSync('dist/server/cli/main.js');
/** Packages a client command has no use for: the server, the database drivers, the schemas, every cloud SDK. */
const heavy = [
  'fastify',
  'kysely',
  'better-sqlite3',
  'pg',
  'typebox',
  '@aws-sdk',
  '@alicloud',
  '@huaweicloud',
  'tencentcloud-sdk-nodejs',
  '@google-cloud',
].map((name) => `/node_modules/${name}/`);

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
    return { status: r.status, out: r.stdout + r.stderr, loaded };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the CLI is built (npm run build) and runs the compiled code', { skip: !built && 'not built' }, () => {
  const r = run(['--help']);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /peerings\s+create, list, inspect and delete peerings/);
  assert.ok(
    r.loaded.some((u) => u.includes('/dist/server/cli/main.js')),
    'the compiled entry',
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
      const found = r.loaded.filter((u) =>
        heavy.some((h) => u.includes(`node_modules/${h}`) || u.includes(`node_modules${h}`)),
      );
      assert.deepEqual(found, [], `loaded by ${args.join(' ')}`);
      assert.ok(r.loaded.length > 0, 'the trace recorded the loads');
    },
  );
}
