/**
 * What every request meets before a route: security headers (a strict Content-Security-Policy on the console),
 * refusal of NUL characters anywhere in a request (PostgreSQL cannot store them, and no Peerlink value contains one),
 * and the timeouts that cut a client sending its headers or body too slowly.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import { RefusalError, refusal } from '../core/errors.js';

/** The console is built by Vite into files of its own origin: nothing inline, nothing from elsewhere. */
const consoleCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 8 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v, depth + 1));
}

/** 400 for a NUL character in the path, the query or the body. */
async function refuseNul(req: FastifyRequest): Promise<void> {
  if (req.url.includes('%00') || hasNul(req.params) || hasNul(req.query) || hasNul(req.body))
    throw new RefusalError(refusal('VALIDATION_FAILED', { detail: 'the request contains a NUL character' }));
}

export async function registerHardening(app: FastifyInstance): Promise<void> {
  // HSTS is left to the TLS terminator in front of Peerlink; the rest of helmet's defaults apply to every answer
  await app.register(helmet, { contentSecurityPolicy: false, strictTransportSecurity: false });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/console')) reply.header('content-security-policy', consoleCsp);
    return payload;
  });
  app.addHook('preValidation', refuseNul);
}

/** Fastify's and Node's timeouts for receiving a request: its headers, and all of it. */
export function serverTimeouts(t: { requestMs: number; headersMs: number }) {
  return {
    requestTimeout: t.requestMs,
    // checked every second (Node's default is 30 s, which lets a slow client hold its connection that much longer)
    http: { headersTimeout: t.headersMs, connectionsCheckingInterval: 1_000 },
  };
}
