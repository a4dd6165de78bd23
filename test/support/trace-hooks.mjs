// The module-resolution hook trace-imports.mjs registers: appends each resolved URL to PEERLINK_TRACE_IMPORTS.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const file = process.env.PEERLINK_TRACE_IMPORTS;
  if (file) appendFileSync(file, `${resolved.url}\n`);
  return resolved;
}
