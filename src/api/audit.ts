/**
 * The audit log's writer: every mutation (any method but GET, HEAD and OPTIONS) to the API — the operator's and the
 * customers', from the API, the CLI and the console alike — with who made it, on what, from where, and the answer.
 * Only ids and codes are kept: never a body, so never a secret.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import type { AuditRepo } from '../store/audit.js';

const reads = new Set(['GET', 'HEAD', 'OPTIONS']);

function targetOf(req: FastifyRequest): string | null {
  const params = req.params;
  if (typeof params === 'object' && params !== null && 'id' in params && typeof params.id === 'string')
    return params.id;
  const body = req.body;
  if (typeof body === 'object' && body !== null && 'deploymentId' in body && typeof body.deploymentId === 'string')
    return body.deploymentId;
  return null;
}

export function registerAudit(app: FastifyInstance, audit: AuditRepo, clock: Clock): void {
  app.decorateRequest('refusalCode', null);
  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    if (reads.has(req.method) || !req.url.startsWith('/v1/')) return;
    const caller = req.caller;
    try {
      await audit.record(
        {
          orgId: caller?.kind === 'org' ? caller.orgId : null,
          actor: caller?.kind === 'org' ? `key:${caller.keyId}` : (caller?.kind ?? 'anonymous'),
          role: caller?.kind === 'org' ? caller.role : caller?.kind === 'operator' ? 'operator' : null,
          action: `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`,
          target: targetOf(req),
          outcome: reply.statusCode,
          code: req.refusalCode,
          ip: req.ip,
          requestId: req.id,
        },
        clock.now(),
      );
    } catch (err) {
      req.log.error({ err }, 'could not write the audit log');
    }
  });
}
