#!/usr/bin/env node
// Entry point: runs the compiled CLI (`npm run build` writes dist/server; a package installed from npm has it).
import { existsSync } from 'node:fs';

// The AWS SDK warns once that its 2027 releases need Node >= 22; docs/DECISIONS.md tracks that. Keep CLI output clean.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const main = new URL('../dist/server/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('Peerlink is not built yet: run `npm run build` (npm run demo does it for you).');
  process.exit(1);
}
await import(main.href);
