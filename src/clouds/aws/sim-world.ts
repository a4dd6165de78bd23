/**
 * The EC2 simulator's state and semantics, both sides of a peering: accounts, VPCs, route tables, security
 * groups and VPC peering connections, with the documented lifecycle (7-day expiry, overlap -> failed, one
 * peering per VPC pair, InvalidStateTransition, blackhole routes, visibility windows of ended connections).
 *
 * Over 300 lines on purpose: one cloud's rules in one place, read top to bottom.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { parseIpv4Cidr, overlaps } from '../../core/cidr.js';

export class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface Account {
  id: string;
  accessKeyId: string;
  secretAccessKey: string;
}
export interface Vpc {
  id: string;
  ownerId: string;
  region: string;
  cidrs: string[];
  /** IPv6 blocks (AssociateVpcCidrBlock with AmazonProvidedIpv6CidrBlock) */
  ipv6Cidrs: string[];
}
export interface Route {
  destinationCidrBlock: string;
  gatewayId?: string;
  vpcPeeringConnectionId?: string;
  state: 'active' | 'blackhole';
  origin: string;
}
export interface RouteTable {
  id: string;
  vpcId: string;
  ownerId: string;
  region: string;
  main: boolean;
  routes: Route[];
}
export interface IngressRule {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIp: string;
}
export interface SecurityGroup {
  id: string;
  vpcId: string;
  ownerId: string;
  region: string;
  ingress: IngressRule[];
}
export type PcxCode =
  | 'initiating-request'
  | 'pending-acceptance'
  | 'provisioning'
  | 'active'
  | 'failed'
  | 'expired'
  | 'rejected'
  | 'deleting'
  | 'deleted';
export interface PcxSide {
  ownerId: string;
  vpcId: string;
  region: string;
}
export interface Pcx {
  id: string;
  requester: PcxSide;
  accepter: PcxSide;
  code: PcxCode;
  message: string;
  expirationTime?: Date;
  changedAt: Date;
  deletedBy?: string;
  tags: Record<string, string>;
}
export interface Caller {
  accountId: string;
  region: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const liveForPair: PcxCode[] = ['initiating-request', 'pending-acceptance', 'provisioning', 'active'];

export function hexId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

export interface AwsWorldOptions {
  /** how long an accepted connection stays `provisioning` */
  provisioningMs?: number;
  /** what no public source settles; each false by default: the conservative answer (docs/CLOUDS.md) */
  assume: AwsAssumptions;
}

export interface AwsAssumptions {
  /**
   * An unknown peering is InvalidVpcPeeringConnectionID.NotFound, as the API reference's error list spells it.
   * Default: InvalidVpcPeeringConnectionId.NotFound, the spelling of its sibling codes (…Id.Malformed), which a
   * case-sensitive match on the documented one would miss.
   */
  notFoundAsDocumented: boolean;
}

export class AwsWorld {
  readonly accounts = new Map<string, Account>();
  readonly vpcs = new Map<string, Vpc>();
  readonly routeTables = new Map<string, RouteTable>();
  readonly securityGroups = new Map<string, SecurityGroup>();
  readonly peerings = new Map<string, Pcx>();
  /** the peerings each VPC is part of: a create looks for an existing one among its VPC's, not the whole world's */
  private readonly peeringsOfVpc = new Map<string, Pcx[]>();

  readonly options: AwsWorldOptions;

  constructor(
    readonly clock: Clock,
    options: Partial<AwsWorldOptions> = {},
  ) {
    this.options = { ...options, assume: { notFoundAsDocumented: false, ...options.assume } };
  }

  /** The not-found code for a peering, spelled as `assume` says. */
  peeringNotFound(id: string, why = 'does not exist'): Ec2Error {
    const code = this.options.assume.notFoundAsDocumented
      ? 'InvalidVpcPeeringConnectionID.NotFound'
      : 'InvalidVpcPeeringConnectionId.NotFound';
    return new Ec2Error(code, `The vpcPeeringConnection ID '${id}' ${why}`);
  }

  createAccount(id?: string, accessKeyId?: string, secretAccessKey?: string): Account {
    const accountId = id ?? String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
    const account = {
      id: accountId,
      accessKeyId: accessKeyId ?? `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: secretAccessKey ?? randomBytes(20).toString('base64'),
    };
    this.accounts.set(account.accessKeyId, account);
    return account;
  }

  accountByKey(accessKeyId: string): Account | undefined {
    return this.accounts.get(accessKeyId);
  }

  /** CreateVpc: a VPC with its main route table (local route) and default security group. */
  createVpc(
    caller: Caller,
    cidr: string,
    ids: { vpcId?: string; routeTableId?: string; securityGroupId?: string } = {},
  ): Vpc {
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed.ok)
      throw new Ec2Error(
        'InvalidParameterValue',
        `Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
      );
    const vpc: Vpc = {
      id: ids.vpcId ?? hexId('vpc'),
      ownerId: caller.accountId,
      region: caller.region,
      cidrs: [parsed.span.text],
      ipv6Cidrs: [],
    };
    this.vpcs.set(vpc.id, vpc);
    const rtb: RouteTable = {
      id: ids.routeTableId ?? hexId('rtb'),
      vpcId: vpc.id,
      ownerId: vpc.ownerId,
      region: vpc.region,
      main: true,
      routes: [
        { destinationCidrBlock: parsed.span.text, gatewayId: 'local', state: 'active', origin: 'CreateRouteTable' },
      ],
    };
    this.routeTables.set(rtb.id, rtb);
    const sg: SecurityGroup = {
      id: ids.securityGroupId ?? hexId('sg'),
      vpcId: vpc.id,
      ownerId: vpc.ownerId,
      region: vpc.region,
      ingress: [],
    };
    this.securityGroups.set(sg.id, sg);
    return vpc;
  }

  ownVpc(caller: Caller, vpcId: string): Vpc {
    const vpc = this.vpcs.get(vpcId);
    if (!vpc || vpc.ownerId !== caller.accountId || vpc.region !== caller.region)
      throw new Ec2Error('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
    return vpc;
  }

  /** An Amazon-provided IPv6 /56 for the VPC. */
  associateIpv6(caller: Caller, vpcId: string): Vpc {
    const vpc = this.ownVpc(caller, vpcId);
    vpc.ipv6Cidrs.push(`2600:1f18:${randomBytes(2).toString('hex')}:${randomBytes(1).toString('hex')}00::/56`);
    return vpc;
  }

  associateVpcCidr(caller: Caller, vpcId: string, cidr: string): Vpc {
    const vpc = this.ownVpc(caller, vpcId);
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed.ok) throw new Ec2Error('InvalidParameterValue', `Value (${cidr}) for parameter cidrBlock is invalid.`);
    vpc.cidrs.push(parsed.span.text);
    return vpc;
  }

  /** Time-driven transitions, applied lazily whenever a connection is read. */
  refresh(p: Pcx): Pcx {
    const now = this.clock.now();
    if (p.code === 'pending-acceptance' && p.expirationTime && now >= p.expirationTime)
      this.setCode(p, 'expired', 'Expired', p.expirationTime);
    if (p.code === 'provisioning' && now.getTime() - p.changedAt.getTime() >= (this.options.provisioningMs ?? 0))
      this.setCode(p, 'active', 'Active');
    return p;
  }

  private setCode(p: Pcx, code: PcxCode, message: string, at = this.clock.now()): void {
    p.code = code;
    p.message = message;
    p.changedAt = at;
    if (code !== 'pending-acceptance') p.expirationTime = undefined;
  }

  /** Who may still see an ended connection, and for how long (AWS VPC peering basics). */
  private visibleTo(p: Pcx, caller: Caller): boolean {
    const isRequester = p.requester.ownerId === caller.accountId && p.requester.region === caller.region;
    const isAccepter = p.accepter.ownerId === caller.accountId && p.accepter.region === caller.region;
    if (!isRequester && !isAccepter) return false;
    const age = this.clock.now().getTime() - p.changedAt.getTime();
    switch (p.code) {
      case 'failed':
        return isRequester && age < 2 * HOUR;
      case 'expired':
        return age < 2 * DAY;
      case 'rejected':
        return age < (isRequester && p.requester.ownerId !== p.accepter.ownerId ? 2 * DAY : 2 * HOUR);
      case 'deleted':
        return age < (p.deletedBy === caller.accountId ? 2 * HOUR : 2 * DAY);
      default:
        return true;
    }
  }

  cidrsOf(side: PcxSide): string[] {
    return this.vpcs.get(side.vpcId)?.cidrs ?? [];
  }

  private visible(caller: Caller, id: string): Pcx {
    const p = this.peerings.get(id);
    if (!p || !this.visibleTo(this.refresh(p), caller)) throw this.peeringNotFound(id);
    return p;
  }

  createPeering(
    caller: Caller,
    vpcId: string,
    peerVpcId: string,
    peerOwnerId = caller.accountId,
    peerRegion = caller.region,
    tags: Record<string, string> = {},
  ): Pcx {
    const own = this.ownVpc(caller, vpcId);
    if (!/^\d{12}$/.test(peerOwnerId))
      throw new Ec2Error('InvalidParameterValue', `Invalid value '${peerOwnerId}' for peerOwnerId`);
    const peer = this.vpcs.get(peerVpcId);
    for (const p of this.peeringsOfVpc.get(vpcId) ?? []) {
      this.refresh(p);
      const pair = [p.requester.vpcId, p.accepter.vpcId];
      if (liveForPair.includes(p.code) && pair.includes(vpcId) && pair.includes(peerVpcId)) {
        throw new Ec2Error(
          'VpcPeeringConnectionAlreadyExists',
          `A VPC peering connection already exists between ${vpcId} and ${peerVpcId}: ${p.id}`,
        );
      }
    }
    const now = this.clock.now();
    const pcx: Pcx = {
      id: hexId('pcx'),
      requester: { ownerId: caller.accountId, vpcId, region: caller.region },
      accepter: { ownerId: peerOwnerId, vpcId: peerVpcId, region: peerRegion },
      code: 'pending-acceptance',
      message: `Pending Acceptance by ${peerOwnerId}`,
      expirationTime: new Date(now.getTime() + 7 * DAY),
      changedAt: now,
      tags,
    };
    if (!peer || peer.ownerId !== peerOwnerId || peer.region !== peerRegion) {
      this.setCode(pcx, 'failed', `Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range`);
    } else if (own.cidrs.some((a) => peer.cidrs.some((b) => overlapsText(a, b)))) {
      this.setCode(pcx, 'failed', `Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range`);
    }
    this.peerings.set(pcx.id, pcx);
    for (const vpc of new Set([vpcId, peerVpcId])) {
      const ofVpc = this.peeringsOfVpc.get(vpc) ?? [];
      ofVpc.push(pcx);
      this.peeringsOfVpc.set(vpc, ofVpc);
    }
    return pcx;
  }

  acceptPeering(caller: Caller, id: string): Pcx {
    const p = this.visible(caller, id);
    if (p.accepter.ownerId !== caller.accountId || p.accepter.region !== caller.region)
      throw new Ec2Error('OperationNotPermitted', `User ${caller.accountId} cannot accept peering ${id}`);
    if (p.code !== 'pending-acceptance')
      throw new Ec2Error(
        'InvalidStateTransition',
        `Invalid state transition for ${id}, attempted to transition from ${p.code} to active`,
      );
    this.setCode(p, 'provisioning', 'Provisioning');
    return this.refresh(p);
  }

  rejectPeering(caller: Caller, id: string): void {
    const p = this.visible(caller, id);
    if (p.accepter.ownerId !== caller.accountId)
      throw new Ec2Error('OperationNotPermitted', `User ${caller.accountId} cannot reject peering ${id}`);
    if (p.code !== 'pending-acceptance')
      throw new Ec2Error(
        'InvalidStateTransition',
        `Invalid state transition for ${id}, attempted to transition from ${p.code} to rejected`,
      );
    this.setCode(p, 'rejected', `Rejected by ${caller.accountId}`);
  }

  deletePeering(caller: Caller, id: string): void {
    const p = this.visible(caller, id);
    const isRequester = p.requester.ownerId === caller.accountId;
    const allowed =
      p.code === 'active' || p.code === 'provisioning' || (p.code === 'pending-acceptance' && isRequester);
    if (!allowed)
      throw new Ec2Error(
        'InvalidStateTransition',
        `Invalid state transition for ${id}, attempted to transition from ${p.code} to deleted`,
      );
    this.setCode(p, 'deleted', `Deleted by ${caller.accountId}`);
    p.deletedBy = caller.accountId;
    for (const rtb of this.routeTables.values()) {
      for (const r of rtb.routes) if (r.vpcPeeringConnectionId === id) r.state = 'blackhole';
    }
  }

  describePeerings(caller: Caller): Pcx[] {
    return [...this.peerings.values()]
      .filter((p) => this.visibleTo(this.refresh(p), caller))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The visible ones among these ids (unknown or invisible ids are skipped, as a filter would). */
  describeSome(caller: Caller, ids: string[]): Pcx[] {
    return ids.flatMap((id) => {
      const p = this.peerings.get(id);
      return p && this.visibleTo(this.refresh(p), caller) ? [p] : [];
    });
  }

  describePeering(caller: Caller, id: string): Pcx {
    return this.visible(caller, id);
  }

  ownRouteTable(caller: Caller, id: string): RouteTable {
    const rtb = this.routeTables.get(id);
    if (!rtb || rtb.ownerId !== caller.accountId || rtb.region !== caller.region)
      throw new Ec2Error('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`);
    return rtb;
  }

  createRoute(
    caller: Caller,
    tableId: string,
    destination: string,
    pcxId: string | undefined,
    gatewayId?: string,
  ): void {
    const rtb = this.ownRouteTable(caller, tableId);
    const parsed = parseIpv4Cidr(destination);
    if (!parsed.ok)
      throw new Ec2Error(
        'InvalidParameterValue',
        `Value (${destination}) for parameter destinationCidrBlock is invalid.`,
      );
    if (pcxId) {
      const p = this.visible(caller, pcxId);
      if (p.requester.vpcId !== rtb.vpcId && p.accepter.vpcId !== rtb.vpcId)
        throw new Ec2Error(
          'InvalidParameterValue',
          `route table ${tableId} and network gateway ${pcxId} belong to different networks`,
        );
      if (p.code !== 'active') throw this.peeringNotFound(pcxId, 'is not active');
    } else if (!gatewayId) {
      throw new Ec2Error('MissingParameter', 'The request must contain a route target');
    }
    if (rtb.routes.some((r) => r.destinationCidrBlock === parsed.span.text)) {
      throw new Ec2Error('RouteAlreadyExists', `The route identified by ${parsed.span.text} already exists.`);
    }
    rtb.routes.push({
      destinationCidrBlock: parsed.span.text,
      vpcPeeringConnectionId: pcxId,
      gatewayId,
      state: 'active',
      origin: 'CreateRoute',
    });
  }

  deleteRoute(caller: Caller, tableId: string, destination: string): void {
    const rtb = this.ownRouteTable(caller, tableId);
    const i = rtb.routes.findIndex((r) => r.destinationCidrBlock === destination && r.gatewayId !== 'local');
    if (i < 0)
      throw new Ec2Error(
        'InvalidRoute.NotFound',
        `no route with destination-cidr-block ${destination} in route table ${tableId}`,
      );
    rtb.routes.splice(i, 1);
  }

  /** The main route table a VPC was created with. */
  mainRouteTable(vpcId: string): RouteTable {
    const table = [...this.routeTables.values()].find((t) => t.vpcId === vpcId && t.main);
    if (!table) throw new Ec2Error('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
    return table;
  }

  describeRouteTables(caller: Caller): RouteTable[] {
    return [...this.routeTables.values()]
      .filter((t) => t.ownerId === caller.accountId && t.region === caller.region)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  authorizeIngress(caller: Caller, groupId: string, rules: IngressRule[]): void {
    const sg = this.securityGroups.get(groupId);
    if (!sg || sg.ownerId !== caller.accountId || sg.region !== caller.region)
      throw new Ec2Error('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
    for (const rule of rules) {
      if (
        sg.ingress.some(
          (r) =>
            r.cidrIp === rule.cidrIp &&
            r.ipProtocol === rule.ipProtocol &&
            r.fromPort === rule.fromPort &&
            r.toPort === rule.toPort,
        )
      ) {
        throw new Ec2Error(
          'InvalidPermission.Duplicate',
          `the specified rule "peer: ${rule.cidrIp}, ${rule.ipProtocol}" already exists`,
        );
      }
    }
    sg.ingress.push(...rules);
  }
}

function overlapsText(a: string, b: string): boolean {
  const pa = parseIpv4Cidr(a);
  const pb = parseIpv4Cidr(b);
  return pa.ok && pb.ok && overlaps(pa.span, pb.span);
}
