/**
 * PRODUCT.md §4 as pure functions. Each returns a Refusal naming the rule, the range and the conflicting
 * object, or null when the input passes. Nothing here knows a cloud's vocabulary: id shapes come from the
 * cloud's own folder as IdShape values.
 */
import { idProblem } from './id-input.js';
import { parseIpv4Address, parseIpv4Cidr, parseRange, overlaps, contains, type Span } from './cidr.js';
import { refusal, type Refusal } from './errors.js';

/** Where a customer's CIDRs may lie, whatever else the rules say (PRODUCT.md §4; the trust issue's F3). */
export interface CidrPolicy {
  /** CIDRs or ranges of CIDRs a customer block must lie within */
  allowedRanges: readonly string[];
  /** the largest block accepted: a customer CIDR's prefix must be at least this long */
  minPrefix: number;
}

/**
 * Special-purpose IPv4 ranges (RFC 6890 and its registry) that no customer block may touch, whatever the
 * configuration: "this network", loopback, link-local, the documentation nets, multicast and the reserved /4.
 */
export const specialPurposeRanges: ReadonlyArray<{ range: string; purpose: string }> = [
  { range: '0.0.0.0/8', purpose: 'this network (RFC 791)' },
  { range: '127.0.0.0/8', purpose: 'loopback (RFC 1122)' },
  { range: '169.254.0.0/16', purpose: 'link-local (RFC 3927)' },
  { range: '192.0.0.0/24', purpose: 'IETF protocol assignments (RFC 6890)' },
  { range: '192.0.2.0/24', purpose: 'documentation (RFC 5737)' },
  { range: '198.51.100.0/24', purpose: 'documentation (RFC 5737)' },
  { range: '203.0.113.0/24', purpose: 'documentation (RFC 5737)' },
  { range: '224.0.0.0/4', purpose: 'multicast (RFC 5771)' },
  { range: '240.0.0.0/4', purpose: 'reserved (RFC 1112), incl. broadcast' },
];

/** Private (RFC 1918), shared (RFC 6598) and benchmarking (RFC 2544) space: what customer VPCs use. */
export const defaultCidrPolicy: CidrPolicy = {
  allowedRanges: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '198.18.0.0/15'],
  minPrefix: 8,
};

export interface RulesConfig {
  allowedPlans: readonly string[];
  /** CIDRs or ranges of CIDRs, as written in configuration */
  reservedRanges: readonly string[];
  cidrPolicy: CidrPolicy;
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
  cidrPolicy: defaultCidrPolicy,
  peeringQuota: 10,
  searchWindowMs: 60 * 60_000,
  approvalWindowMs: 10 * 60_000,
};

export interface LivePeering {
  id: string;
  cidrs: readonly string[];
  /** the connection it holds, where known ('' while still looking for it) */
  providerId?: string;
  /** how the customer knows it (its cloud connection id, or its VPC while the connection is still being found) */
  name?: string;
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
  const problem = idProblem(value, shape.pattern) ?? { en: 'it does not match', zh: '与格式不符' };
  return refusal('ID_MALFORMED', {
    fieldKey: field.key,
    field: field.en,
    fieldZh: field.zh,
    value,
    problem: problem.en,
    problemZh: problem.zh,
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
  siblings: ReadonlyArray<{ id: string; customerVpcId: string; customerAccountId?: string }>,
  customerAccountId = '',
): Refusal | null {
  // network ids are unique per account (on some clouds only per account: two projects may both have "default")
  const sameAccount = (s: { customerAccountId?: string }) =>
    !customerAccountId || !s.customerAccountId || s.customerAccountId === customerAccountId;
  const holder = customerVpcId ? siblings.find((s) => s.customerVpcId === customerVpcId && sameAccount(s)) : undefined;
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

/** Checks a configured policy: its ranges parse, and none touches a special-purpose range. Throws on a bad one. */
export function parseCidrPolicy(policy: CidrPolicy): Span[] {
  const spans = parseReservedRanges(policy.allowedRanges);
  for (const span of spans) {
    for (const s of specialPurposeRanges) {
      const special = parseRange(s.range);
      if (special && overlaps(span, special))
        throw new Error(`allowed range ${span.text} touches ${s.range}, ${s.purpose}; no customer block may`);
    }
  }
  if (!Number.isInteger(policy.minPrefix) || policy.minPrefix < 1 || policy.minPrefix > 32)
    throw new Error(`minimum prefix ${policy.minPrefix} is not between 1 and 32`);
  return spans;
}

export interface CidrContext {
  deploymentCidr: string;
  reservedRanges: readonly string[];
  policy: CidrPolicy;
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
  for (const s of specialPurposeRanges) {
    const special = parseRange(s.range);
    if (special && overlaps(span, special))
      return refusal('CIDR_SPECIAL_PURPOSE', { cidr: span.text, range: s.range, purpose: s.purpose });
  }
  for (const range of parseReservedRanges(ctx.reservedRanges)) {
    if (overlaps(span, range)) return refusal('CIDR_RESERVED', { cidr: span.text, range: range.text });
  }
  const allowed = parseReservedRanges(ctx.policy.allowedRanges);
  if (!allowed.some((range) => contains(range, span))) {
    return refusal('CIDR_NOT_ALLOWED', { cidr: span.text, allowed: allowed.map((r) => r.text).join(', ') });
  }
  if (Number(span.text.split('/')[1]) < ctx.policy.minPrefix) {
    return refusal('CIDR_TOO_LARGE', { cidr: span.text, minPrefix: ctx.policy.minPrefix });
  }
  const deployment = parseIpv4Cidr(ctx.deploymentCidr);
  if (deployment.ok && overlaps(span, deployment.span)) {
    return refusal('CIDR_OVERLAPS_DEPLOYMENT', { cidr: span.text, deploymentCidr: deployment.span.text });
  }
  for (const sibling of ctx.siblings) {
    for (const other of sibling.cidrs) {
      const o = parseIpv4Cidr(other);
      if (o.ok && overlaps(span, o.span)) {
        const peering = sibling.name || sibling.providerId || sibling.id;
        return refusal('CIDR_OVERLAPS_PEERING', {
          cidr: span.text,
          otherCidr: o.span.text,
          peeringId: sibling.id,
          peering,
        });
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
    accepted.push({ id: 'this request', name: cidr, cidrs: [cidr] });
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
