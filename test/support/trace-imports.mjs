// Loaded with `node --import ./test/support/trace-imports.mjs`: records every module the process resolves in the file
// PEERLINK_TRACE_IMPORTS names (the CLI test checks what a command loads).
import { register } from 'node:module';

register('./trace-hooks.mjs', import.meta.url);
