/**
 * What a failed step means for its peering — the failure policy, kept apart from the step. A conflict re-observes at
 * once a few times, then backs off. A cloud's permanent refusal fails a peering still in flight (in the customer's
 * words where the cloud declares the code as the customer's mistake), and is shown but retried slowly on one that is
 * running or deleting (or failed, and being cleaned up). Transient errors and bugs back off and never fail a peering.
 */
import { backoffMs } from '../core/backoff.js';
import { refusal, type Refusal } from '../core/errors.js';
import { ProviderError, publicMessage, type AnyCloud } from '../clouds/provider.js';
import type { Peering } from '../store/peerings.js';
import type { StepDeps, StepResult } from './context.js';

/** Immediate re-observations after a conflict before its retries back off too. */
const conflictRetriesAtOnce = 3;

function reasonOf(cloud: AnyCloud, p: Peering, err: ProviderError): Refusal {
  const code = cloud.customerErrors[err.providerCode];
  const params = {
    operation: err.operation,
    providerCode: err.providerCode,
    providerMessage: publicMessage(err.message),
  };
  if (code) {
    const named = { providerId: p.providerPeeringId, accountId: p.customerAccountId, customerVpcId: p.customerVpcId };
    return refusal(code, { ...params, ...named, ...err.params });
  }
  return refusal('PROVIDER_ERROR', params);
}

export async function failStep(deps: StepDeps, p: Peering, cloud: AnyCloud, err: unknown): Promise<StepResult> {
  const now = deps.clock.now();
  const attempts = p.attempts + 1;
  const retryAt = new Date(now.getTime() + backoffMs(attempts, deps.random())).toISOString();
  // shown to the customer (the history, `retry.lastError`): the platform's endpoints taken out
  const text =
    err instanceof ProviderError
      ? `${err.operation}: ${err.providerCode} ${publicMessage(err.message)}`
      : 'internal error; retrying';
  const base = { peering: p, owner: deps.owner, now };
  const release = (nextAttemptAt: string | null, status = p.status) =>
    deps.leases.release({
      id: p.id,
      owner: deps.owner,
      seenStatus: status,
      now,
      next: { nextAttemptAt, attempts, lastError: text },
    });
  try {
    if (err instanceof ProviderError && err.kind === 'conflict') {
      const atOnce = attempts <= conflictRetriesAtOnce;
      const note = atOnce ? `${text}; observing again` : `${text}; still conflicting, retrying with backoff`;
      await deps.leases.recordOutcome({ ...base, kind: 'conflict', note });
      await release(atOnce ? now.toISOString() : retryAt);
      return { outcome: 'retrying', again: atOnce };
    }
    const inFlight = p.status === 'pending' || p.status === 'awaiting-customer';
    if (err instanceof ProviderError && err.kind === 'permanent') {
      const reason = reasonOf(cloud, p, err);
      if (inFlight) {
        await deps.leases.transition({ ...base, to: 'failed', reason, note: text });
        // a failed request the platform made is withdrawn next (level-triggered clean-up)
        await release(cloud.capabilities.opens === 'platform' ? now.toISOString() : null, 'failed');
        deps.metrics?.transitions.inc({ cloud: p.provider, to: 'failed', reason: reason.code });
        return { outcome: 'transitioned', again: false };
      }
      // Running or deleting cannot fail from here: keep the reason visible and retry slowly. A failed peering's
      // clean-up (withdrawing its request) the cloud refuses is shown once, then retried slowly and quietly for as
      // long as the cloud keeps the request.
      if (p.status !== 'failed' || attempts === 1)
        await deps.leases.recordOutcome({ ...base, kind: 'error', note: text, reason });
    } else if (attempts === 1) {
      await deps.leases.recordOutcome({ ...base, kind: 'retrying', note: `${text}; retrying with backoff` });
    }
    if (!(err instanceof ProviderError)) deps.log.error({ err, peeringId: p.id }, 'reconcile step failed');
    await release(retryAt);
  } catch (inner) {
    deps.log.error({ err: inner, peeringId: p.id }, 'could not record a failed step; the lease will expire');
  }
  return { outcome: err instanceof ProviderError ? 'retrying' : 'error', again: false };
}
