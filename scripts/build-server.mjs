// Compiles the server and CLI (src/, without the console) into dist/server with esbuild: one module graph bundled
// into a few files, split at every dynamic import, so a CLI command, `serve`, or a cloud's adapter loads only its own
// part. Start-up reads a handful of files instead of ~1,000 modules (docs/PERFORMANCE.md). Kept outside the bundle
// and loaded from node_modules: native code (better-sqlite3), what reads files from its own package at run time
// (@fastify/static, swagger-ui, swagger), pino (its transports run in worker threads), the PostgreSQL driver and
// every cloud SDK (loaded only when a cloud is used). dist/server/meta.json records which sources went into which
// file (the CLI test reads it to see what a command loads).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';

const external = [
  'better-sqlite3',
  'pg',
  'pino',
  '@fastify/static',
  '@fastify/swagger',
  '@fastify/swagger-ui',
  '@aws-sdk/*',
  '@alicloud/*',
  '@darabonba/*',
  '@huaweicloud/*',
  '@google-cloud/*',
  '@azure/*',
  'tencentcloud-sdk-nodejs',
];

rmSync('dist/server', { recursive: true, force: true });
const result = await build({
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist/server',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  // bundled CommonJS packages call require(): give every ESM file one
  banner: {
    js:
      "import { createRequire as __peerlinkRequire } from 'node:module'; " +
      'const require = __peerlinkRequire(import.meta.url);',
  },
});
writeFileSync('dist/server/meta.json', JSON.stringify(result.metafile));
