/**
 * The installed CLI as a user meets it: `peerlink --help` and `peerlink peerings --help` wall time, `serve` to a
 * ready `/readyz` on an empty SQLite database, and the idle instance's RSS and heap. Each run is a fresh process of
 * the compiled build (bin/peerlink.js), median of several.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = 'bin/peerlink.js';
const OPERATOR = 'startup-bench-operator-token-0123456789abcdef';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function wall(args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`peerlink ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function serveOnce(): Promise<{ readyMs: number; rss: number; heapUsed: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'peerlink-startup-'));
  const port = 39_000 + Math.floor(Math.random() * 1000);
  const t = process.hrtime.bigint();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      PEERLINK_DATABASE: join(dir, 'p.db'),
      PEERLINK_PORT: String(port),
      PEERLINK_OPERATOR_TOKEN: OPERATOR,
      PEERLINK_LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    let readyMs = NaN;
    for (let i = 0; i < 2000; i++) {
      const ok = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        readyMs = Number(process.hrtime.bigint() - t) / 1e6;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    if (!Number.isFinite(readyMs)) throw new Error('serve never became ready');
    // idle: let the first ticks, sweeps and lazy loads settle, then read the process from outside
    await new Promise((r) => setTimeout(r, 5_000));
    const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${OPERATOR}` } }).then((r) =>
      r.text(),
    );
    const heap = /^peerlink_nodejs_heap_size_used_bytes (\d+)/m.exec(metrics);
    return { readyMs, rss: rssOf(child.pid ?? 0), heapUsed: heap ? Number(heap[1]) : NaN };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startupBench(runs = 5): Promise<void> {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  for (const args of [['--help'], ['peerings', '--help'], ['peerings', 'get', '--help']]) {
    wall(args); // warm the file cache
    const times = Array.from({ length: runs }, () => wall(args));
    console.log(`peerlink ${args.join(' ').padEnd(22)} median ${median(times).toFixed(0)} ms (${runs} runs)`);
  }
  const serves = [];
  for (let i = 0; i < Math.min(runs, 3); i++) serves.push(await serveOnce());
  console.log(
    `serve ready (/readyz), empty SQLite  median ${median(serves.map((s) => s.readyMs)).toFixed(0)} ms; ` +
      `idle RSS ${mb(median(serves.map((s) => s.rss)))}, heap used ${mb(median(serves.map((s) => s.heapUsed)))}`,
  );
}
