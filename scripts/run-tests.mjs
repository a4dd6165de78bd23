// Runs the test suite with node's own test runner (TypeScript through tsx): every file on SQLite, then the store,
// reconciler and end-to-end files again on PostgreSQL (a fresh database per test, created and dropped).
// Usage: npm test [-- <path filter>]     PEERLINK_TEST_PG=off skips the PostgreSQL pass.
// test/console/ drives the built console in Debian's chromium (/usr/bin/chromium; PEERLINK_CHROMIUM overrides).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filter = process.argv[2];
const files = collect('test')
  .filter((f) => !filter || f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filter ?? 'test/'}`);
  process.exit(1);
}
const pgUrl = process.env.PEERLINK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';
const bothEngines = files.filter((f) => /test\/(e2e|store|reconciler)\//.test(f));

function run(label, list, env) {
  console.log(`\n# ${label}: ${list.length} files`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...list],
    {
      stdio: 'inherit',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    },
  );
  return result.status ?? 1;
}

// The browser tests drive the built console: build it first (Vite, a few seconds).
if (files.some((f) => f.includes(join('test', 'console')))) {
  console.log('\n# building the console for the browser tests');
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const sqlite = run('SQLite (every test)', files, { PEERLINK_TEST_PG: '' });
const postgres =
  pgUrl === 'off' || bothEngines.length === 0
    ? 0
    : run(`PostgreSQL at ${pgUrl.replace(/\/\/[^@]*@/, '//')} (store, reconciler, end to end)`, bothEngines, {
        PEERLINK_TEST_PG: pgUrl,
      });
process.exit(sqlite || postgres);
