/**
 * Authentication and authorization hooks: org API keys (roles admin/viewer) for customer routes, the operator
 * credential for /v1/admin. A customer never reaches another org's objects: repositories are asked by org id.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { RefusalError, refusal } from '../core/errors.js';
import type { OrgRepo } from '../store/orgs.js';

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m ? m[1] : null;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function requireOrg(orgs: OrgRepo, role: 'viewer' | 'admin') {
  return async (req: FastifyRequest): Promise<void> => {
    const token = bearer(req);
    const key = token ? await orgs.authenticate(token) : undefined;
    if (!key) throw new RefusalError(refusal('UNAUTHENTICATED'));
    req.caller = { kind: 'org', orgId: key.orgId, role: key.role, keyId: key.id };
    if (role === 'admin' && key.role !== 'admin')
      throw new RefusalError(refusal('FORBIDDEN', { role: key.role, needed: 'admin' }));
  };
}

export function requireOperator(operatorToken: string | undefined) {
  const expected = operatorToken ? digest(operatorToken) : null;
  return async (req: FastifyRequest): Promise<void> => {
    const token = bearer(req);
    if (!expected || !token || !timingSafeEqual(digest(token), expected))
      throw new RefusalError(refusal('UNAUTHENTICATED'));
    req.caller = { kind: 'operator' };
  };
}
