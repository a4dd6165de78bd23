/**
 * The Alibaba Cloud simulator's state and semantics: accounts (UIDs as strings), VPCs with their system route
 * table, VpcPeer 2022-01-01 connections on both sides (the initiator creates, the accepter accepts or rejects)
 * with the asynchronous lifecycle Creating → Accepting → Updating → Activated, GmtExpired and expiry,
 * Deleting → Deleted, one peering operation per VPC at a time (Conflict.Operation), and VPC 2016-04-28 route entries
 * with NextHopType=VpcPeer that are asynchronous too (Pending → Available; Deleting → gone) and that a VPC changes one
 * at a time (IncorrectRouteEntryStatus, TaskConflict). Every behaviour cites its source in docs/CLOUDS.md; what no
 * source settles is a switch in `assume`, conservative by default.
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
export type RouteEntryStatus = 'Pending' | 'Available' | 'Deleting';
export interface RouteEntry {
  id: string;
  destinationCidrBlock: string;
  nextHopType: string;
  nextHopId: string;
  type: 'System' | 'Custom';
  createdAt: Date;
  status: RouteEntryStatus;
  changedAt: Date;
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
/** `region`: where the call was made; absent for the VpcPeer actions that take no RegionId (a central endpoint). */
export interface AliCaller {
  uid: string;
  region?: string;
}

const DAY = 24 * 3_600_000;
const live: PccStatus[] = ['Creating', 'Accepting', 'Updating', 'Activated'];

/** `pcc-…`, `rte-…`; VPCs and route tables of region cn-hangzhou start with `bp1` (vpc-bp1…, vtb-bp1…) */
export function aliId(prefix: string, length = 20, lead = ''): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `${prefix}-${lead}${Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('')}`;
}

/**
 * Durations of the asynchronous states. No public source gives real ones: the defaults are in the order of the
 * Terraform provider's waiters (VpcPeer: polled every 5 s, up to 5 min; route entries: waited for up to 10 min).
 */
export interface AliWorldOptions {
  /** how long a new connection stays Creating */
  creatingMs?: number;
  /** how long an accepted connection stays Updating */
  updatingMs?: number;
  /** how long a deleted connection stays Deleting */
  deletingMs?: number;
  /** how long a new route entry stays Pending */
  routePendingMs?: number;
  /** how long a deleted route entry stays Deleting before it is gone */
  routeDeletingMs?: number;
  /** how long a cross-account request waits for acceptance (only a metadata example shows 7 days) */
  acceptWindowMs?: number;
  /** peer connections per VPC (QuotaExceeded.VpcPeerCountPerVpc) */
  perVpcQuota?: number;
  /**
   * The code CreateRouteEntry answers for a destination already in the table: four are documented and no source
   * says which comes when (default: InvalidCIDRBlock.Duplicate, or InvalidRouteEntry.Duplicate for the same next hop).
   */
  duplicateCode?: string;
  /** what no public source settles; each false by default: the conservative answer (docs/CLOUDS.md) */
  assume: AliAssumptions;
}

export interface AliAssumptions {
  /** only the caller's own route entries block a DeleteVpcPeerConnection without Force (default: either side's do) */
  onlyCallerRoutesBlockDelete: boolean;
  /** the accepter may delete a connection still Accepting (default: it may only reject it) */
  accepterDeletesPending: boolean;
  /** an extra RegionId on Get/Accept/Reject/Delete, which take none, is ignored (default: refused) */
  extraRegionIdIgnored: boolean;
  /** a Deleted connection is not found at once (default: it stays visible, Deleted, for an hour) */
  deletedGoneAtOnce: boolean;
}

export const aliDefaults = {
  creatingMs: 5_000,
  updatingMs: 10_000,
  deletingMs: 10_000,
  routePendingMs: 5_000,
  routeDeletingMs: 5_000,
  acceptWindowMs: 7 * DAY,
} as const;

/** The documented "already there" answers of CreateRouteEntry (VPC API metadata; Terraform's route entry resource). */
export const routeDuplicateCodes = [
  'InvalidCIDRBlock.Duplicate',
  'InvalidRouteEntry.Duplicate',
  'Duplicated.VpcNextHop',
  'RouteConflict.AlreadyExist',
] as const;

/** A connection in one of these states is "another peering operation" on its VPCs (Conflict.Operation). */
const operating: PccStatus[] = ['Creating', 'Updating', 'Deleting'];

export class AliWorld {
  readonly accounts = new Map<string, AliAccount>();
  readonly vpcs = new Map<string, AliVpc>();
  readonly routeTables = new Map<string, AliRouteTable>();
  readonly connections = new Map<string, Pcc>();
  /** answers already given, by caller UID, action and ClientToken (`uid|action|token`) */
  readonly clientTokens = new Map<string, { at: number; body: Record<string, unknown> }>();

  readonly options: AliWorldOptions;

  constructor(
    readonly clock: Clock,
    options: Partial<AliWorldOptions> = {},
  ) {
    this.options = {
      ...options,
      assume: {
        onlyCallerRoutesBlockDelete: false,
        accepterDeletesPending: false,
        extraRegionIdIgnored: false,
        deletedGoneAtOnce: false,
        ...options.assume,
      },
    };
  }

  private ms(key: keyof typeof aliDefaults): number {
    return this.options[key] ?? aliDefaults[key];
  }

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

  createVpc(
    caller: AliCaller & { region: string },
    cidr: string,
    ids: { vpcId?: string; routeTableId?: string } = {},
  ): AliVpc {
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
          status: 'Available',
          changedAt: this.clock.now(),
        },
      ],
    });
    return vpc;
  }

  /** A secondary IPv4 CIDR block of a VPC (Vpc.Ipv4Cidrs is a list). */
  addCidr(vpcId: string, cidr: string): AliVpc {
    const vpc = this.vpcs.get(vpcId);
    const parsed = parseIpv4Cidr(cidr);
    if (!vpc) throw new AliError('ResourceNotFound.VpcId', `The specified resource of VpcId [${vpcId}] is not found.`);
    if (!parsed.ok) throw new AliError('InvalidCidrBlock.Malformed', `Specified CIDR block ${cidr} is not valid.`);
    vpc.cidrs.push(parsed.span.text);
    return vpc;
  }

  /** Time-driven transitions, applied lazily whenever a connection is read. */
  private refresh(p: Pcc): Pcc {
    const now = this.clock.now();
    /** when a state that lasts `ms` ended, if it has */
    const ended = (ms: number) => {
      const at = p.gmtModified.getTime() + ms;
      return now.getTime() >= at ? new Date(at) : null;
    };
    const created = p.status === 'Creating' ? ended(this.ms('creatingMs')) : null;
    if (created) this.set(p, p.ownerUid === p.acceptingOwnerUid ? 'Activated' : 'Accepting', created);
    if (p.status === 'Accepting' && p.gmtExpired && now >= p.gmtExpired) this.set(p, 'Expired', p.gmtExpired);
    const updated = p.status === 'Updating' ? ended(this.ms('updatingMs')) : null;
    if (updated) this.set(p, 'Activated', updated);
    const deleted = p.status === 'Deleting' ? ended(this.ms('deletingMs')) : null;
    if (deleted) this.set(p, 'Deleted', deleted);
    return p;
  }

  private set(p: Pcc, status: PccStatus, at = this.clock.now()): void {
    p.status = status;
    p.gmtModified = at;
  }

  /**
   * Both owners see a connection, at VpcPeer's central endpoint; a call made in a region (ListVpcPeerConnections with
   * RegionId, a route change) sees the connections with a side there. Deleted ones vanish after a while.
   */
  private visibleTo(p: Pcc, caller: AliCaller): boolean {
    const here = (region: string) => caller.region === undefined || caller.region === region;
    const mine =
      (p.ownerUid === caller.uid && here(p.regionId)) ||
      (p.acceptingOwnerUid === caller.uid && here(p.acceptingRegionId));
    if (!mine || p.status !== 'Deleted') return mine;
    const shownMs = this.options.assume.deletedGoneAtOnce ? 0 : 3_600_000;
    return this.clock.now().getTime() - p.gmtModified.getTime() < shownMs;
  }

  /**
   * "There are other peering operations on the requester VPC or accepter VPC, try again later" (Conflict.Operation):
   * Create, Accept and Delete are not concurrent on a VPC while another of its connections is changing.
   */
  private peerOperationFree(vpcIds: string[], except?: string): void {
    const busy = [...this.connections.values()]
      .map((p) => this.refresh(p))
      .find(
        (p) =>
          p.id !== except &&
          operating.includes(p.status) &&
          (vpcIds.includes(p.vpcId) || vpcIds.includes(p.acceptingVpcId)),
      );
    if (busy)
      throw new AliError(
        'Conflict.Operation',
        `There are other peering operations on the requester VPC or accepter VPC, try again later (${busy.id}).`,
      );
  }

  private visible(caller: AliCaller, id: string): Pcc {
    const p = this.connections.get(id);
    if (!p || !this.visibleTo(this.refresh(p), caller))
      throw new AliError('ResourceNotFound.InstanceId', `The specified resource of InstanceId [${id}] is not found.`);
    return p;
  }

  ownVpc(caller: AliCaller & { region: string }, vpcId: string): AliVpc {
    const vpc = this.vpcs.get(vpcId);
    if (!vpc || vpc.ownerUid !== caller.uid || vpc.region !== caller.region)
      throw new AliError('ResourceNotFound.VpcId', `The specified resource of VpcId [${vpcId}] is not found.`);
    return vpc;
  }

  createConnection(
    caller: AliCaller & { region: string },
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
    this.peerOperationFree([own.id, peer.id]);
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
      gmtExpired: acceptingUid === caller.uid ? undefined : new Date(now.getTime() + this.ms('acceptWindowMs')),
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
    this.peerOperationFree([p.vpcId, p.acceptingVpcId], id);
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
    p.gmtExpired = undefined;
  }

  /**
   * Either side deletes a settled connection (the accepter one still Accepting only where `accepterDeletesPending`;
   * otherwise it rejects it). Without Force, route entries pointing at it refuse the delete
   * (OperationDenied.RouteEntryExist): either side's, or only the caller's where `onlyCallerRoutesBlockDelete`. Force
   * deletes the caller's route entries to it ("the system deletes the routes that point to the VPC peering connection
   * from the VPC route table"); the other side's are left pointing at nothing.
   */
  delete(caller: AliCaller, id: string, force = false): void {
    const p = this.visible(caller, id);
    const settled: PccStatus[] = ['Activated', 'Rejected', 'Expired'];
    const byAccepter = p.acceptingOwnerUid === caller.uid && p.ownerUid !== caller.uid;
    if (p.status === 'Accepting' && (!byAccepter || this.options.assume.accepterDeletesPending)) settled.push(p.status);
    if (!settled.includes(p.status))
      throw new AliError('IncorrectStatus.VpcPeer', `The status of VpcPeer [${id}] is incorrect.`);
    this.peerOperationFree([p.vpcId, p.acceptingVpcId], id);
    const routed = [...this.routeTables.values()].filter((t) => this.settle(t).entries.some((e) => e.nextHopId === id));
    const blocking = routed.filter(
      (t) => t.ownerUid === caller.uid || !this.options.assume.onlyCallerRoutesBlockDelete,
    );
    if (blocking.length > 0 && !force)
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
      throw new AliError('InvalidRouteTableId.NotFound', `The specified route table [${id}] is not found.`, 404);
    return this.settle(t);
  }

  /** Time-driven route entry transitions, applied lazily: Pending → Available; Deleting → gone. */
  private settle(t: AliRouteTable): AliRouteTable {
    const now = this.clock.now().getTime();
    const pending = this.options.routePendingMs ?? aliDefaults.routePendingMs;
    const deleting = this.options.routeDeletingMs ?? aliDefaults.routeDeletingMs;
    for (const e of t.entries) {
      if (e.status === 'Pending' && now - e.changedAt.getTime() >= pending) {
        e.status = 'Available';
        e.changedAt = new Date(e.changedAt.getTime() + pending);
      }
    }
    t.entries = t.entries.filter((e) => !(e.status === 'Deleting' && now - e.changedAt.getTime() >= deleting));
    return t;
  }

  /**
   * CreateRouteEntry and DeleteRouteEntry "do not support concurrent" changes in one VPC: while an entry of the table
   * is being added or deleted, IncorrectRouteEntryStatus ("Some route entry status blocked this operation"); while
   * one of another table of the VPC is, TaskConflict ("The operation is too frequent").
   */
  private routeChangeFree(t: AliRouteTable): void {
    const changing = (x: AliRouteTable) => x.entries.find((e) => e.status !== 'Available');
    const here = changing(t);
    if (here)
      throw new AliError(
        'IncorrectRouteEntryStatus',
        `Some route entry status blocked this operation: ${here.id} is ${here.status}.`,
      );
    const sibling = [...this.routeTables.values()].find((x) => x.vpcId === t.vpcId && changing(this.settle(x)));
    if (sibling)
      throw new AliError('TaskConflict', `The operation is too frequent: route table ${sibling.id} is busy.`);
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
      throw new AliError('InvalidNextHopId.NotFound', `The specified NextHopId [${nextHopId}] is not found.`, 404);
    if (p.status !== 'Activated')
      throw new AliError('IncorrectStatus.VpcPeer', `The status of VpcPeer [${nextHopId}] is incorrect.`);
    const same = t.entries.find((e) => e.destinationCidrBlock === parsed.span.text);
    if (same) {
      const code =
        this.options.duplicateCode ??
        (same.nextHopId === nextHopId ? 'InvalidRouteEntry.Duplicate' : 'InvalidCIDRBlock.Duplicate');
      throw new AliError(code, `Specified CIDR block ${parsed.span.text} already exists in route table ${tableId}.`);
    }
    this.routeChangeFree(t);
    const now = this.clock.now();
    const entry: RouteEntry = {
      id: aliId('rte'),
      destinationCidrBlock: parsed.span.text,
      nextHopType,
      nextHopId,
      type: 'Custom',
      createdAt: now,
      status: 'Pending',
      changedAt: now,
    };
    t.entries.push(entry);
    this.settle(t);
    return entry;
  }

  /** Only an Available entry can be deleted; it is Deleting for a while, then gone. */
  deleteRouteEntry(
    caller: AliCaller,
    tableId: string,
    match: { destinationCidrBlock?: string; nextHopId?: string; routeEntryId?: string },
  ): void {
    const t = this.ownRouteTable(caller, tableId);
    const e = t.entries.find(
      (x) =>
        x.type === 'Custom' &&
        (match.routeEntryId
          ? x.id === match.routeEntryId
          : x.destinationCidrBlock === match.destinationCidrBlock &&
            (!match.nextHopId || x.nextHopId === match.nextHopId)),
    );
    if (!e)
      throw new AliError(
        'InvalidRouteEntry.NotFound',
        `The specified route entry is not found in route table ${tableId}.`,
      );
    if (e.status !== 'Available')
      throw new AliError('IncorrectStatus.VpcRouteEntry', `The status of route entry ${e.id} is ${e.status}.`);
    this.routeChangeFree(t);
    e.status = 'Deleting';
    e.changedAt = this.clock.now();
    this.settle(t);
  }

  /** A table's entries with their time-driven transitions applied. */
  entriesOf(t: AliRouteTable): RouteEntry[] {
    return this.settle(t).entries;
  }

  cidrsOf(vpcId: string): string[] {
    return this.vpcs.get(vpcId)?.cidrs ?? [];
  }
}
