// Runs the test suite with node's own test runner (TypeScript through tsx): every file on SQLite, then the store,
// reconciler and end-to-end files again on PostgreSQL (a fresh database per test, created and dropped).
// Usage: npm test [-- <path filter>]     PEERLINK_TEST_PG=off skips the PostgreSQL pass.
// test/console/ drives the built console in Debian's chromium (/usr/bin/chromium; PEERLINK_CHROMIUM overrides): when
// it is missing it is installed (as root, with apt-get), or the run stops at once with the command that installs it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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

/** The browser the console tests drive: present, installed now, or the command that installs it. */
function ensureChromium() {
  const browser = process.env.PEERLINK_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(browser)) return;
  const install = 'apt-get install -y --no-install-recommends chromium fonts-wqy-zenhei';
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (canInstall) {
    console.log(`\n# chromium is missing: installing it (${install})`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const opts = { stdio: 'inherit', env, timeout: 600_000 };
    if (spawnSync('sh', ['-c', install], opts).status !== 0)
      spawnSync('sh', ['-c', `apt-get update && ${install}`], opts);
  }
  if (!existsSync(browser)) {
    console.error(`\nThe browser tests need Debian's chromium at ${browser}, which is missing. Install it with:`);
    console.error(`  sudo ${install}`);
    console.error('or skip them: npm test -- <a path filter outside test/console>, or set PEERLINK_CHROMIUM.');
    process.exit(1);
  }
}

// The CLI and browser tests run the build (the compiled server, and the console): build first.
if (files.some((f) => f.includes(join('test', 'console')) || f.includes(join('test', 'cli')))) {
  if (files.some((f) => f.includes(join('test', 'console')))) ensureChromium();
  console.log('\n# building (npm run build)');
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
