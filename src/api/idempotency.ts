/**
 * `Idempotency-Key` on every POST: the first request under a key runs and its response is kept; a repeat with the
 * same body replays it; a different body under the same key is refused. A 5xx frees the key for a retry.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RefusalError, refusal } from '../core/errors.js';
import type { IdempotencyRepo } from '../store/idempotency.js';
import type { Clock } from '../core/clock.js';

export function idempotencyHook(repo: IdempotencyRepo, clock: Clock) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || typeof key !== 'string') return;
    if (key.length < 1 || key.length > 200)
      throw new RefusalError(refusal('VALIDATION_FAILED', { detail: 'Idempotency-Key must be 1 to 200 characters' }));
    const scope = req.caller?.kind === 'org' ? req.caller.orgId : 'operator';
    const hash = createHash('sha256')
      .update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    const found = await repo.begin(scope, key, hash, clock.now());
    switch (found.state) {
      case 'new':
        req.idempotency = { scope, key };
        return;
      case 'mismatch':
        throw new RefusalError(refusal('IDEMPOTENCY_KEY_REUSED', { key }));
      case 'in-progress':
        throw new RefusalError(refusal('IDEMPOTENCY_IN_PROGRESS', { key }));
      case 'done':
        return reply
          .status(found.statusCode)
          .header('idempotent-replayed', 'true')
          .type('application/json; charset=utf-8')
          .send(found.response);
    }
  };
}

export function registerIdempotencyCompletion(app: FastifyInstance, repo: IdempotencyRepo): void {
  app.decorateRequest('idempotency', null);
  app.addHook('onSend', async (req, reply, payload) => {
    const idem = req.idempotency;
    if (!idem) return payload;
    req.idempotency = null;
    if (reply.statusCode >= 500) await repo.abandon(idem.scope, idem.key);
    else
      await repo.finish(
        idem.scope,
        idem.key,
        reply.statusCode,
        typeof payload === 'string' ? payload : JSON.stringify(payload ?? null),
      );
    return payload;
  });
}
