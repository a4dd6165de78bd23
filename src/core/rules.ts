/**
 * PRODUCT.md §4 as pure functions. Each returns a Refusal naming the rule, the range and the conflicting
 * object, or null when the input passes. Nothing here knows a cloud's vocabulary: id shapes come from the
 * cloud's own folder as IdShape values.
 */
import { parseIpv4Address, parseIpv4Cidr, parseRange, overlaps, contains, type Span } from './cidr.js';
import { refusal, type Refusal } from './errors.js';

export interface RulesConfig {
  allowedPlans: readonly string[];
  /** CIDRs or ranges of CIDRs, as written in configuration */
  reservedRanges: readonly string[];
  peeringQuota: number;
  /** how long Peerlink looks for a connection the customer named by its network */
  searchWindowMs: number;
  /** how long the customer has to approve a request Peerlink made (clouds with an approval window) */
  approvalWindowMs: number;
}

/** Both seed lists: the current edition's 10.10.0.0/24–10.64.255.0/24 and the legacy 100/8 and 101/8. */
export const defaultRulesConfig: RulesConfig = {
  allowedPlans: ['dedicated-professional'],
  reservedRanges: ['10.10.0.0/24-10.64.255.0/24', '100.0.0.0/8', '101.0.0.0/8'],
  peeringQuota: 10,
  searchWindowMs: 60 * 60_000,
  approvalWindowMs: 10 * 60_000,
};

export interface LivePeering {
  id: string;
  cidrs: readonly string[];
  /** the connection it holds, where known ('' while still looking for it) */
  providerId?: string;
}

export interface IdShape {
  pattern: RegExp;
  /** what a user should type, in the cloud's own words (e.g. a prefix followed by so many hex digits) */
  expected: string;
  /** the same in Chinese */
  expectedZh: string;
}

export function checkPlan(plan: string, config: RulesConfig): Refusal | null {
  if (config.allowedPlans.includes(plan)) return null;
  return refusal('PLAN_NOT_ELIGIBLE', { plan, allowed: config.allowedPlans.join(', ') });
}

export function checkRegion(deploymentRegion: string, customerRegion: string): Refusal | null {
  if (deploymentRegion === customerRegion) return null;
  return refusal('REGION_MISMATCH', { deploymentRegion, customerRegion });
}

/** `field`: the form field's key and its label in both languages, so the refusal can be shown next to it. */
export function checkIdShape(
  field: { key: string; en: string; zh: string },
  value: string,
  shape: IdShape,
): Refusal | null {
  if (shape.pattern.test(value)) return null;
  return refusal('ID_MALFORMED', {
    fieldKey: field.key,
    field: field.en,
    fieldZh: field.zh,
    value,
    expected: shape.expected,
    expectedZh: shape.expectedZh,
  });
}

export function checkQuota(deploymentId: string, liveCount: number, config: RulesConfig): Refusal | null {
  if (liveCount < config.peeringQuota) return null;
  return refusal('PEERING_QUOTA_EXCEEDED', { deploymentId, count: liveCount, quota: config.peeringQuota });
}

/** One live peering per customer VPC and deployment: a second would race the first for the same connection. */
export function checkCustomerVpcFree(
  customerVpcId: string,
  siblings: ReadonlyArray<{ id: string; customerVpcId: string }>,
): Refusal | null {
  const holder = customerVpcId ? siblings.find((s) => s.customerVpcId === customerVpcId) : undefined;
  return holder ? refusal('CUSTOMER_VPC_ALREADY_PEERED', { customerVpcId, peeringId: holder.id }) : null;
}

/**
 * Where the deployment's network can belong to one customer network at a time: a live peering to another network
 * refuses the new one (the refusal names it by the cloud's id, which the customer knows).
 */
export function checkOneCustomerNetwork(
  vpcId: string,
  networkId: string,
  live: ReadonlyArray<{ providerPeeringId: string; status: string }>,
): Refusal | null {
  const other = live.find((s) => s.providerPeeringId !== networkId);
  if (!other) return null;
  return refusal('DEPLOYMENT_JOINED_ELSEWHERE', {
    vpcId,
    otherConnectionId: other.providerPeeringId || '(not yet found)',
    state: other.status,
  });
}

export function checkProviderIdFree(providerId: string, holder: { id: string } | undefined): Refusal | null {
  if (!holder) return null;
  return refusal('PROVIDER_ID_TAKEN', { providerId, peeringId: holder.id });
}

/** Parses reserved ranges from configuration; throws on a bad entry (configuration is validated at start-up). */
export function parseReservedRanges(ranges: readonly string[]): Span[] {
  return ranges.map((r) => {
    const span = parseRange(r);
    if (!span) throw new Error(`reserved range "${r}" is neither a CIDR nor a CIDR-CIDR range`);
    return span;
  });
}

export interface CidrContext {
  deploymentCidr: string;
  reservedRanges: readonly string[];
  /** the other live peerings of the same deployment */
  siblings: readonly LivePeering[];
}

/** One customer CIDR against every CIDR rule, in the order a user would fix them. */
export function checkCustomerCidr(cidr: string, ctx: CidrContext): Refusal | null {
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed.ok) {
    return parsed.reason === 'host-bits'
      ? refusal('CIDR_NOT_NETWORK', { cidr, suggestion: parsed.suggestion })
      : refusal('CIDR_INVALID', { cidr });
  }
  const span = parsed.span;
  for (const range of parseReservedRanges(ctx.reservedRanges)) {
    if (overlaps(span, range)) return refusal('CIDR_RESERVED', { cidr: span.text, range: range.text });
  }
  const deployment = parseIpv4Cidr(ctx.deploymentCidr);
  if (deployment.ok && overlaps(span, deployment.span)) {
    return refusal('CIDR_OVERLAPS_DEPLOYMENT', { cidr: span.text, deploymentCidr: deployment.span.text });
  }
  for (const sibling of ctx.siblings) {
    for (const other of sibling.cidrs) {
      const o = parseIpv4Cidr(other);
      if (o.ok && overlaps(span, o.span)) {
        return refusal('CIDR_OVERLAPS_PEERING', { cidr: span.text, otherCidr: o.span.text, peeringId: sibling.id });
      }
    }
  }
  return null;
}

/** Every CIDR of a customer VPC, also against each other (a VPC's own blocks never overlap, typed ones might). */
export function checkCustomerCidrs(cidrs: readonly string[], ctx: CidrContext): Refusal | null {
  if (cidrs.length === 0) return refusal('VALIDATION_FAILED', { detail: 'at least one customer CIDR is required' });
  const accepted: LivePeering[] = [];
  for (const cidr of cidrs) {
    const r = checkCustomerCidr(cidr, { ...ctx, siblings: [...ctx.siblings, ...accepted] });
    if (r) return r;
    accepted.push({ id: 'this request', cidrs: [cidr] });
  }
  return null;
}

export interface BindResult {
  peeringId: string;
  address: string;
}

/**
 * Create the peering before the resources: an address binds to the running peering whose customer CIDR
 * contains it (the most specific one when several do).
 */
export function bindResourceAddress(
  deploymentId: string,
  address: string,
  running: readonly LivePeering[],
): BindResult | Refusal {
  const m = /^(.+?)(?::(\d{1,5}))?$/.exec(address.trim());
  const ip = m ? parseIpv4Address(m[1]) : null;
  if (!m || !ip || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))) {
    return refusal('RESOURCE_ADDRESS_INVALID', { address });
  }
  let best: { id: string; size: bigint } | null = null;
  for (const p of running) {
    for (const c of p.cidrs) {
      const parsed = parseIpv4Cidr(c);
      if (!parsed.ok || !contains(parsed.span, ip)) continue;
      const size = parsed.span.end - parsed.span.start;
      if (!best || size < best.size) best = { id: p.id, size };
    }
  }
  if (!best) return refusal('RESOURCE_OUTSIDE_PEERING', { address, deploymentId });
  return { peeringId: best.id, address: m[2] ? `${ip.text}:${m[2]}` : ip.text };
}

export function isRefusal(x: unknown): x is Refusal {
  return typeof x === 'object' && x !== null && 'code' in x && 'params' in x;
}
