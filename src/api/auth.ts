/**
 * Who is calling, decided once per request before anything else is read (so an anonymous caller learns nothing of a
 * route's schema): an organization API key (roles admin/viewer) or the operator credential. Routes then guard on the
 * caller. Failed authentications are counted per address and refused past a limit. A customer never reaches another
 * org's objects: repositories are asked by org id.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { RefusalError, refusal } from '../core/errors.js';
import type { OrgRepo } from '../store/orgs.js';
import type { Limiters } from './limits.js';

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1] ?? null;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A constant-time check of a presented token against a configured one (absent: never matches). */
export function tokenMatcher(expected: string | undefined): (token: string) => boolean {
  const want = expected ? digest(expected) : null;
  return (token) => !!want && timingSafeEqual(digest(token), want);
}

/** The onRequest hook that sets `req.caller` from the Authorization header, or leaves it null. */
export function identify(o: {
  orgs: OrgRepo;
  operatorToken?: string;
  metricsToken?: string;
  clock: Clock;
  limits: Limiters;
}) {
  const isOperator = tokenMatcher(o.operatorToken);
  const isMetricsReader = tokenMatcher(o.metricsToken);
  return async (req: FastifyRequest): Promise<void> => {
    const token = bearer(req);
    if (!token) return;
    await o.limits.authBlocked(req);
    if (isOperator(token)) {
      req.caller = { kind: 'operator' };
      return;
    }
    if (isMetricsReader(token)) {
      req.caller = { kind: 'metrics' };
      return;
    }
    const key = await o.orgs.authenticate(token, o.clock.now());
    if (key) {
      req.caller = { kind: 'org', orgId: key.orgId, role: key.role, keyId: key.id };
      return;
    }
    await o.limits.authFailed(req);
    throw new RefusalError(refusal('UNAUTHENTICATED'));
  };
}

/** A customer route: an organization key of at least this role. */
export function requireOrg(role: 'viewer' | 'admin') {
  return async (req: FastifyRequest): Promise<void> => {
    const c = req.caller;
    if (!c || c.kind !== 'org') throw new RefusalError(refusal('UNAUTHENTICATED'));
    if (role === 'admin' && c.role !== 'admin')
      throw new RefusalError(refusal('FORBIDDEN', { role: c.role, needed: 'admin' }));
  };
}

/** An operator route. */
export function requireOperator() {
  return async (req: FastifyRequest): Promise<void> => {
    if (req.caller?.kind !== 'operator') throw new RefusalError(refusal('UNAUTHENTICATED'));
  };
}
