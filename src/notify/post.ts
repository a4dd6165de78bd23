/**
 * One webhook POST: through the SSRF guard, with a short timeout, never following a redirect (a 3xx is a failed
 * attempt), keeping the start of the answer for the delivery log.
 */
import http from 'node:http';
import https from 'node:https';
import ipaddr from 'ipaddr.js';
import type { AttemptResult } from '../store/deliveries.js';
import { guardedLookup, refusedAddress, type TargetPolicy } from './ssrf.js';

const EXCERPT = 512;

export async function postWebhook(o: {
  url: string;
  headers: Record<string, string>;
  body: string;
  policy: TargetPolicy;
  timeoutMs: number;
}): Promise<AttemptResult> {
  const started = performance.now();
  const fail = (error: string, statusCode: number | null = null, excerpt = ''): AttemptResult => ({
    ok: false,
    statusCode,
    latencyMs: performance.now() - started,
    excerpt,
    error,
  });
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    return fail('not a URL');
  }
  // an IP literal is connected to without a lookup: check it here
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    const why = refusedAddress(host, o.policy);
    if (why) return fail(`target refused: ${why}`);
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Peerlink-Webhooks/1', ...o.headers },
        lookup: guardedLookup(o.policy),
        timeout: o.timeoutMs,
        signal: AbortSignal.timeout(o.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < EXCERPT) chunks.push(c);
          size += c.length;
        });
        res.on('error', (err) => resolve(fail(err.message, res.statusCode ?? null)));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const excerpt = Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT);
          const ok = status >= 200 && status < 300;
          const error = ok
            ? null
            : status >= 300 && status < 400
              ? `redirect (${status}) not followed`
              : `HTTP ${status}`;
          resolve({ ok, statusCode: status, latencyMs: performance.now() - started, excerpt, error });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)));
    req.on('error', (err) => resolve(fail(err.message)));
    req.end(o.body);
  });
}
