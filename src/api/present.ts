/** How Peerlink's objects look on the wire, localized for the caller and worded in their cloud's terms. */
import { peeringActions } from '../core/actions.js';
import type { Locale, Refusal } from '../core/errors.js';
import { cloudOf } from '../clouds/registry.js';
import type { PeeringEvent } from '../store/peering-events.js';
import type { Peering } from '../store/peerings.js';
import type { Deployment } from '../store/platform.js';
import type { Resource } from '../store/resources.js';
import { errorBody } from './errors.js';

export function presentReason(r: Refusal | null, locale: Locale, cloud?: string) {
  return r ? errorBody(r, locale, cloud) : null;
}

export function presentPeering(p: Peering, locale: Locale) {
  return {
    id: p.id,
    deploymentId: p.deploymentId,
    provider: p.provider,
    providerPeeringId: p.providerPeeringId || null,
    customerAccountId: p.customerAccountId,
    customerVpcId: p.customerVpcId,
    customerCidrs: p.customerCidrs,
    region: p.region,
    status: p.status,
    reason: presentReason(p.reason, locale, p.provider),
    providerStatus: p.providerStatus,
    deadlineAt: p.deadlineAt,
    retry: p.lastError ? { attempts: p.attempts, lastError: p.lastError, nextAttemptAt: p.nextAttemptAt } : null,
    actions: peeringActions(p, cloudOf(p.provider).capabilities),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function presentEvent(e: PeeringEvent, locale: Locale, cloud: string) {
  return {
    id: e.id,
    at: e.at,
    actor: e.actor,
    kind: e.kind,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    reason: presentReason(e.reason, locale, cloud),
    note: e.note,
  };
}

export function presentResource(r: Resource) {
  return {
    id: r.id,
    deploymentId: r.deploymentId,
    peeringId: r.peeringId,
    name: r.name,
    address: r.address,
    createdAt: r.createdAt,
  };
}

export function presentDeployment(d: Deployment) {
  return {
    id: d.id,
    name: d.name,
    plan: d.plan,
    provider: d.provider,
    region: d.region,
    vpcId: d.vpcId,
    vpcCidr: d.vpcCidr,
    routeTableIds: d.routeTableIds,
    privateEndpoint: d.privateEndpoint,
    createdAt: d.createdAt,
  };
}
