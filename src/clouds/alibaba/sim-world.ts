/**
 * The Alibaba Cloud simulator's state and semantics: accounts (UIDs as strings), VPCs with their system route
 * table, VpcPeer 2022-01-01 connections on both sides (the initiator creates, the accepter accepts or rejects)
 * with the asynchronous lifecycle Creating → Accepting → Updating → Activated, GmtExpired and expiry,
 * Deleting → Deleted, and VPC 2016-04-28 route entries (Pending → Available) with NextHopType=VpcPeer.
 *
 * Over 300 lines on purpose: one cloud's rules in one place, read top to bottom.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { parseIpv4Cidr } from '../../core/cidr.js';

export class AliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface AliAccount {
  uid: string;
  accessKeyId: string;
  accessKeySecret: string;
}
export interface AliVpc {
  id: string;
  ownerUid: string;
  region: string;
  cidrs: string[];
  routeTableId: string;
}
export interface RouteEntry {
  id: string;
  destinationCidrBlock: string;
  nextHopType: string;
  nextHopId: string;
  type: 'System' | 'Custom';
  createdAt: Date;
}
export interface AliRouteTable {
  id: string;
  vpcId: string;
  ownerUid: string;
  region: string;
  entries: RouteEntry[];
}
export type PccStatus =
  'Creating' | 'Accepting' | 'Updating' | 'Activated' | 'Rejected' | 'Expired' | 'Deleting' | 'Deleted';
export interface Pcc {
  id: string;
  ownerUid: string;
  vpcId: string;
  regionId: string;
  acceptingOwnerUid: string;
  acceptingVpcId: string;
  acceptingRegionId: string;
  status: PccStatus;
  name: string;
  description: string;
  bandwidth: number;
  gmtCreate: Date;
  gmtModified: Date;
  gmtExpired?: Date;
  clientToken?: string;
}
export interface AliCaller {
  uid: string;
  region: string;
}

const DAY = 24 * 3_600_000;
const live: PccStatus[] = ['Creating', 'Accepting', 'Updating', 'Activated'];

/** `pcc-…`, `rte-…`; VPCs and route tables of region cn-hangzhou start with `bp1` (vpc-bp1…, vtb-bp1…) */
export function aliId(prefix: string, length = 20, lead = ''): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `${prefix}-${lead}${Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('')}`;
}

export interface AliWorldOptions {
  /** how long a new connection stays Creating */
  creatingMs?: number;
  /** how long an accepted connection stays Updating */
  updatingMs?: number;
  /** how long a deleted connection stays Deleting */
  deletingMs?: number;
  /** how long a new route entry stays Pending */
  routePendingMs?: number;
  /** peer connections per VPC (QuotaExceeded.VpcPeerCountPerVpc) */
  perVpcQuota?: number;
}

export class AliWorld {
  readonly accounts = new Map<string, AliAccount>();
  readonly vpcs = new Map<string, AliVpc>();
  readonly routeTables = new Map<string, AliRouteTable>();
  readonly connections = new Map<string, Pcc>();

  constructor(
    readonly clock: Clock,
    readonly options: AliWorldOptions = {},
  ) {}

  createAccount(uid?: string, accessKeyId?: string, accessKeySecret?: string): AliAccount {
    const a = {
      uid:
        uid ??
        String(1_000_000_000_000_000n + (BigInt(`0x${randomBytes(7).toString('hex')}`) % 9_000_000_000_000_000n)),
      accessKeyId: accessKeyId ?? `LTAI${randomBytes(10).toString('hex').slice(0, 20)}`,
      accessKeySecret: accessKeySecret ?? randomBytes(15).toString('base64'),
    };
    if (!/^\d{16,18}$/.test(a.uid))
      throw new AliError('IllegalParam.AliUid', `The param of AliUid [${a.uid}] is illegal.`);
    this.accounts.set(a.accessKeyId, a);
    return a;
  }

  accountByKey(accessKeyId: string): AliAccount | undefined {
    return this.accounts.get(accessKeyId);
  }

  createVpc(caller: AliCaller, cidr: string, ids: { vpcId?: string; routeTableId?: string } = {}): AliVpc {
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed.ok) throw new AliError('InvalidCidrBlock.Malformed', `Specified CIDR block ${cidr} is not valid.`);
    const vpc: AliVpc = {
      id: ids.vpcId ?? aliId('vpc', 19, 'bp1'),
      ownerUid: caller.uid,
      region: caller.region,
      cidrs: [parsed.span.text],
      routeTableId: ids.routeTableId ?? aliId('vtb', 19, 'bp1'),
    };
    this.vpcs.set(vpc.id, vpc);
    this.routeTables.set(vpc.routeTableId, {
      id: vpc.routeTableId,
      vpcId: vpc.id,
      ownerUid: caller.uid,
      region: caller.region,
      entries: [
        {
          id: aliId('rte'),
          destinationCidrBlock: '100.64.0.0/10',
          nextHopType: 'service',
          nextHopId: '',
          type: 'System',
          createdAt: this.clock.now(),
        },
      ],
    });
    return vpc;
  }

  /** Time-driven transitions, applied lazily whenever a connection is read. */
  private refresh(p: Pcc): Pcc {
    const now = this.clock.now();
    const since = now.getTime() - p.gmtModified.getTime();
    if (p.status === 'Creating' && since >= (this.options.creatingMs ?? 0))
      this.set(
        p,
        p.ownerUid === p.acceptingOwnerUid ? 'Activated' : 'Accepting',
        new Date(p.gmtModified.getTime() + (this.options.creatingMs ?? 0)),
      );
    if (p.status === 'Accepting' && p.gmtExpired && now >= p.gmtExpired) this.set(p, 'Expired', p.gmtExpired);
    if (p.status === 'Updating' && since >= (this.options.updatingMs ?? 1_000)) this.set(p, 'Activated');
    if (p.status === 'Deleting' && since >= (this.options.deletingMs ?? 1_000)) this.set(p, 'Deleted');
    return p;
  }

  private set(p: Pcc, status: PccStatus, at = this.clock.now()): void {
    p.status = status;
    p.gmtModified = at;
  }

  /** The initiator sees it in its region, the accepter in the accepting region; deleted ones vanish after an hour. */
  private visibleTo(p: Pcc, caller: AliCaller): boolean {
    const mine =
      (p.ownerUid === caller.uid && p.regionId === caller.region) ||
      (p.acceptingOwnerUid === caller.uid && p.acceptingRegionId === caller.region);
    if (!mine) return false;
    return !(p.status === 'Deleted' && this.clock.now().getTime() - p.gmtModified.getTime() > 3_600_000);
  }

  private visible(caller: AliCaller, id: string): Pcc {
    const p = this.connections.get(id);
    if (!p || !this.visibleTo(this.refresh(p), caller))
      throw new AliError('ResourceNotFound.InstanceId', `The specified resource of InstanceId [${id}] is not found.`);
    return p;
  }

  ownVpc(caller: AliCaller, vpcId: string): AliVpc {
    const vpc = this.vpcs.get(vpcId);
    if (!vpc || vpc.ownerUid !== caller.uid || vpc.region !== caller.region)
      throw new AliError('ResourceNotFound.VpcId', `The specified resource of VpcId [${vpcId}] is not found.`);
    return vpc;
  }

  createConnection(
    caller: AliCaller,
    input: {
      vpcId: string;
      acceptingAliUid?: string;
      acceptingRegionId?: string;
      acceptingVpcId: string;
      name?: string;
      description?: string;
      bandwidth?: number;
      clientToken?: string;
      dryRun?: boolean;
    },
  ): Pcc {
    if (input.clientToken) {
      const again = [...this.connections.values()].find(
        (p) => p.clientToken === input.clientToken && p.ownerUid === caller.uid,
      );
      if (again) return again;
    }
    const own = this.ownVpc(caller, input.vpcId);
    const acceptingUid = input.acceptingAliUid ?? caller.uid;
    const acceptingRegion = input.acceptingRegionId ?? caller.region;
    if (!/^\d{16,18}$/.test(acceptingUid))
      throw new AliError('IllegalParam.AcceptingAliUid', `The param of AcceptingAliUid [${acceptingUid}] is illegal.`);
    const peer = this.vpcs.get(input.acceptingVpcId);
    if (!peer || peer.ownerUid !== acceptingUid || peer.region !== acceptingRegion)
      throw new AliError(
        'IncorrectStatus.AcceptingVpc',
        `The status of AcceptingVpc [${input.acceptingVpcId}] is incorrect.`,
      );
    const existing = [...this.connections.values()].map((p) => this.refresh(p));
    if (
      existing.some(
        (p) =>
          live.includes(p.status) &&
          [p.vpcId, p.acceptingVpcId].includes(own.id) &&
          [p.vpcId, p.acceptingVpcId].includes(peer.id),
      )
    ) {
      throw new AliError(
        'ResourceAlreadyExist.VpcPeer',
        `The resource of VpcPeer between [${own.id}] and [${peer.id}] already exists.`,
      );
    }
    const quota = this.options.perVpcQuota ?? 20;
    if (
      existing.filter((p) => live.includes(p.status) && (p.vpcId === own.id || p.acceptingVpcId === own.id)).length >=
      quota
    ) {
      throw new AliError(
        'QuotaExceeded.VpcPeerCountPerVpc',
        `The quota of VpcPeerCountPerVpc is exceeded, quota is ${quota}.`,
      );
    }
    if (input.dryRun) throw new AliError('DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    const now = this.clock.now();
    const pcc: Pcc = {
      id: aliId('pcc'),
      ownerUid: caller.uid,
      vpcId: own.id,
      regionId: caller.region,
      acceptingOwnerUid: acceptingUid,
      acceptingVpcId: peer.id,
      acceptingRegionId: acceptingRegion,
      status: 'Creating',
      name: input.name ?? '',
      description: input.description ?? '',
      bandwidth: input.bandwidth ?? (acceptingRegion === caller.region ? -1 : 1024),
      gmtCreate: now,
      gmtModified: now,
      gmtExpired: acceptingUid === caller.uid ? undefined : new Date(now.getTime() + 7 * DAY),
      clientToken: input.clientToken,
    };
    this.connections.set(pcc.id, pcc);
    return this.refresh(pcc);
  }

  accept(caller: AliCaller, id: string): void {
    const p = this.visible(caller, id);
    if (p.acceptingOwnerUid !== caller.uid)
      throw new AliError('ResourceNotFound.InstanceId', `The specified resource of InstanceId [${id}] is not found.`);
    if (p.status !== 'Accepting')
      throw new AliError('IncorrectStatus.VpcPeer', `The status of VpcPeer [${id}] is incorrect.`);
    this.set(p, 'Updating');
    this.refresh(p);
  }

  reject(caller: AliCaller, id: string): void {
    const p = this.visible(caller, id);
    if (p.acceptingOwnerUid !== caller.uid)
      throw new AliError('ResourceNotFound.InstanceId', `The specified resource of InstanceId [${id}] is not found.`);
    if (p.status !== 'Accepting')
      throw new AliError('IncorrectStatus.VpcPeer', `The status of VpcPeer [${id}] is incorrect.`);
    this.set(p, 'Rejected');
  }

  /** Either side may delete a settled connection; without Force, the caller's route entries to it must go first. */
  delete(caller: AliCaller, id: string, force = false): void {
    const p = this.visible(caller, id);
    if (!['Accepting', 'Activated', 'Rejected', 'Expired'].includes(p.status))
      throw new AliError('IncorrectStatus.VpcPeer', `The status of VpcPeer [${id}] is incorrect.`);
    const routed = [...this.routeTables.values()].filter((t) => t.entries.some((e) => e.nextHopId === id));
    if (routed.some((t) => t.ownerUid === caller.uid) && !force)
      throw new AliError(
        'OperationDenied.RouteEntryExist',
        'The operation is not allowed because of existing routeEntry point to VpcPeer.',
      );
    if (force)
      for (const t of routed) if (t.ownerUid === caller.uid) t.entries = t.entries.filter((e) => e.nextHopId !== id);
    this.set(p, 'Deleting');
    p.gmtExpired = undefined;
    this.refresh(p);
  }

  get(caller: AliCaller, id: string): Pcc {
    return this.visible(caller, id);
  }

  list(caller: AliCaller): Pcc[] {
    return [...this.connections.values()]
      .filter((p) => this.visibleTo(this.refresh(p), caller))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  ownRouteTable(caller: AliCaller, id: string): AliRouteTable {
    const t = this.routeTables.get(id);
    if (!t || t.ownerUid !== caller.uid || t.region !== caller.region)
      throw new AliError('InvalidRouteTableId.NotFound', `The specified route table [${id}] is not found.`);
    return t;
  }

  createRouteEntry(
    caller: AliCaller,
    tableId: string,
    destination: string,
    nextHopType: string,
    nextHopId: string,
  ): RouteEntry {
    const t = this.ownRouteTable(caller, tableId);
    const parsed = parseIpv4Cidr(destination);
    if (!parsed.ok)
      throw new AliError(
        'InvalidDestinationCidrBlock.Malformed',
        `Specified DestinationCidrBlock ${destination} is not valid.`,
      );
    if (nextHopType !== 'VpcPeer')
      throw new AliError(
        'InvalidNextHopType.NotSupported',
        `The simulator only routes to NextHopType VpcPeer, not ${nextHopType}.`,
      );
    const p = this.connections.get(nextHopId);
    if (!p || !this.visibleTo(this.refresh(p), caller) || (p.vpcId !== t.vpcId && p.acceptingVpcId !== t.vpcId))
      throw new AliError('InvalidNextHopId.NotFound', `The specified NextHopId [${nextHopId}] is not found.`);
    if (p.status !== 'Activated')
      throw new AliError('IncorrectStatus.VpcPeer', `The status of VpcPeer [${nextHopId}] is incorrect.`);
    if (t.entries.some((e) => e.destinationCidrBlock === parsed.span.text))
      throw new AliError(
        'InvalidCIDRBlock.Duplicate',
        `Specified CIDR block ${parsed.span.text} already exists in route table ${tableId}.`,
      );
    const entry: RouteEntry = {
      id: aliId('rte'),
      destinationCidrBlock: parsed.span.text,
      nextHopType,
      nextHopId,
      type: 'Custom',
      createdAt: this.clock.now(),
    };
    t.entries.push(entry);
    return entry;
  }

  deleteRouteEntry(
    caller: AliCaller,
    tableId: string,
    match: { destinationCidrBlock?: string; nextHopId?: string; routeEntryId?: string },
  ): void {
    const t = this.ownRouteTable(caller, tableId);
    const i = t.entries.findIndex(
      (e) =>
        e.type === 'Custom' &&
        (match.routeEntryId
          ? e.id === match.routeEntryId
          : e.destinationCidrBlock === match.destinationCidrBlock &&
            (!match.nextHopId || e.nextHopId === match.nextHopId)),
    );
    if (i < 0)
      throw new AliError(
        'InvalidRouteEntry.NotFound',
        `The specified route entry is not found in route table ${tableId}.`,
      );
    t.entries.splice(i, 1);
  }

  routeStatus(e: RouteEntry): 'Pending' | 'Available' {
    return this.clock.now().getTime() - e.createdAt.getTime() >= (this.options.routePendingMs ?? 500)
      ? 'Available'
      : 'Pending';
  }

  cidrsOf(vpcId: string): string[] {
    return this.vpcs.get(vpcId)?.cidrs ?? [];
  }
}
