/**
 * Request limits, so no tenant can slow another or the platform: per API key, per organization, per address for
 * callers without a key, a budget per organization for the commands that make Peerlink call a cloud, and a cap on
 * failed authentications per address. Windows are counted by @fastify/rate-limit — in memory on one instance, in the
 * database where several instances share PostgreSQL (so a limit holds across them). Refusals are `429 RATE_LIMITED`
 * with `Retry-After`; every answer carries the tightest limit's `X-RateLimit-*` headers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { RefusalError, refusal } from '../core/errors.js';
import type { RateCounterRepo } from '../store/rate-counters.js';

export interface ApiLimits {
  /** requests per minute */
  perKey: number;
  perOrg: number;
  anonymous: number;
  /** cloud-touching commands per organization per minute */
  cloudBudget: number;
  /** failed authentications per address per minute */
  authFailures: number;
}

const minute = 60_000;

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;

/** @fastify/rate-limit's store contract over the shared counters (PostgreSQL mode). */
function sharedStore(counters: RateCounterRepo) {
  // the keys already carry their limiter's prefix, so every child is the same store
  return class SharedStore {
    incr(key: string, cb: Callback, timeWindow: number): void {
      counters.hit(key, timeWindow, Date.now()).then(
        (r) => cb(null, { current: r.hits, ttl: r.ttlMs }),
        (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
      );
    }
    read(key: string, cb: Callback, timeWindow: number): void {
      counters.read(key, timeWindow, Date.now()).then(
        (r) => cb(null, { current: r.hits, ttl: r.ttlMs }),
        (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
      );
    }
    child(): SharedStore {
      return this;
    }
  };
}

interface Verdict {
  isExceeded: boolean;
  max: number;
  remaining: number;
  ttlInSeconds: number;
}
type Check = (req: FastifyRequest, options?: { increment?: boolean }) => Promise<Verdict>;

export interface Limiters {
  /** the request limits of the caller (per key and org, or per address), applied to every request */
  requests: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** a route's hook for commands that make Peerlink call a cloud */
  cloudBudget: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** refuses an address that failed authentication too often this minute */
  authBlocked: (req: FastifyRequest) => Promise<void>;
  /** counts one failed authentication for the address */
  authFailed: (req: FastifyRequest) => Promise<void>;
}

function headers(reply: FastifyReply, v: Verdict): void {
  reply.header('x-ratelimit-limit', v.max);
  reply.header('x-ratelimit-remaining', v.remaining);
  reply.header('x-ratelimit-reset', v.ttlInSeconds);
}

function exceeded(reply: FastifyReply, v: Verdict, scope: string): RefusalError {
  headers(reply, v);
  reply.header('retry-after', v.ttlInSeconds);
  return new RefusalError(refusal('RATE_LIMITED', { scope, limit: v.max, retryAfter: v.ttlInSeconds }));
}

/** Registers the counting plugin and builds the limiters (`counters`: the shared ones, in PostgreSQL mode). */
export async function registerLimits(
  app: FastifyInstance,
  limits: ApiLimits,
  counters: RateCounterRepo | null,
): Promise<Limiters> {
  await app.register(rateLimit, {
    global: false,
    ...(counters ? { store: sharedStore(counters) } : {}),
  });
  const ip = (req: FastifyRequest) => req.ip;
  const orgKey = (req: FastifyRequest) => (req.caller?.kind === 'org' ? req.caller.orgId : `anonymous:${req.ip}`);
  const make = (prefix: string, max: number, key: (req: FastifyRequest) => string): Check => {
    const check = app.createRateLimit({ max, timeWindow: minute, keyGenerator: (req) => prefix + key(req) });
    return async (req, options) => {
      const r = await check(req, options);
      // isAllowed is true only for an allow list, which these limiters do not have
      if (r.isAllowed) return { isExceeded: false, max, remaining: max, ttlInSeconds: 0 };
      return { isExceeded: r.isExceeded, max: r.max, remaining: r.remaining, ttlInSeconds: r.ttlInSeconds };
    };
  };
  const perKey = make('key:', limits.perKey, (req) => (req.caller?.kind === 'org' ? req.caller.keyId : req.ip));
  const perOrg = make('org:', limits.perOrg, orgKey);
  const anonymous = make('ip:', limits.anonymous, ip);
  const cloud = make('cloud:', limits.cloudBudget, orgKey);
  const failures = make('authfail:', limits.authFailures, ip);

  return {
    async requests(req, reply) {
      const caller = req.caller;
      if (caller?.kind === 'operator' || caller?.kind === 'metrics') return;
      if (caller?.kind === 'org') {
        const key = await perKey(req);
        if (key.isExceeded) throw exceeded(reply, key, 'api-key');
        const org = await perOrg(req);
        if (org.isExceeded) throw exceeded(reply, org, 'organization');
        headers(reply, key.remaining <= org.remaining ? key : org);
        return;
      }
      const anon = await anonymous(req);
      if (anon.isExceeded) throw exceeded(reply, anon, 'address');
      headers(reply, anon);
    },
    async cloudBudget(req, reply) {
      const v = await cloud(req);
      if (v.isExceeded) throw exceeded(reply, v, 'cloud-budget');
    },
    async authBlocked(req) {
      const v = await failures(req, { increment: false });
      if (v.remaining <= 0) {
        const params = { scope: 'failed-authentication', limit: v.max, retryAfter: v.ttlInSeconds };
        throw new RefusalError(refusal('RATE_LIMITED', params));
      }
    },
    async authFailed(req) {
      await failures(req);
    },
  };
}
