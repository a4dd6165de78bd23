/**
 * The Tencent Cloud simulator's state and semantics for CCN (VPC API 2017-03-12): accounts (UINs), VPCs, CCNs
 * owned by customer accounts, attachments of VPCs to CCNs — within an account ACTIVE at once; across accounts an
 * application (PENDING) the CCN owner accepts (ATTACHING → ACTIVE) or rejects, that expires if unanswered and can be
 * reset — detachment by either side (DETACHING, then DELETED), one CCN per VPC, and CCN routes learned from the
 * attached VPCs' CIDRs with overlapping ones disabled (the later attachment loses) and routes the owner disabled.
 *
 * What the applicant (the platform) may read of a CCN it does not own, what a CcnId-less query lists, which code a
 * second application answers and whether a pending application can be withdrawn are not documented: switches in
 * `assume`, conservative by default (docs/CLOUDS.md).
 *
 * Over 300 lines on purpose: one cloud's rules in one place, read top to bottom.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { parseIpv4Cidr, overlaps } from '../../core/cidr.js';

export class TcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface TcAccount {
  uin: string;
  secretId: string;
  secretKey: string;
}
export interface TcVpc {
  id: string;
  uin: string;
  region: string;
  cidr: string;
}
export interface Ccn {
  id: string;
  ownerUin: string;
  name: string;
  description: string;
  createdAt: Date;
  /** false: the CCN refuses instances of other accounts (UnsupportedOperation.CcnCrossAccount) */
  crossAccount: boolean;
}
export type AttachState =
  'PENDING' | 'ACTIVE' | 'EXPIRED' | 'REJECTED' | 'DELETED' | 'FAILED' | 'ATTACHING' | 'DETACHING' | 'DETACHFAILED';
export interface Attachment {
  ccnId: string;
  instanceId: string;
  instanceRegion: string;
  instanceUin: string;
  state: AttachState;
  description: string;
  attachedAt: Date;
  changedAt: Date;
  expiresAt?: Date;
}
export interface CcnRouteView {
  id: string;
  destination: string;
  instanceId: string;
  instanceRegion: string;
  instanceUin: string;
  enabled: boolean;
  extraState: string;
  updatedAt: Date;
}
export interface TcCaller {
  uin: string;
  region: string;
}

const live: AttachState[] = ['PENDING', 'ATTACHING', 'ACTIVE', 'DETACHING'];

export function tcId(prefix: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `${prefix}-${Array.from(randomBytes(8), (b) => alphabet[b % alphabet.length]).join('')}`;
}

/**
 * Durations of the asynchronous states: no public source gives them; seconds, in the order of the other clouds'
 * waiters.
 */
export interface TcWorldOptions {
  /** how long an accepted attachment stays ATTACHING */
  attachingMs?: number;
  /** how long a detached instance stays DETACHING before it is DELETED */
  detachingMs?: number;
  /** Tencent's own expiry of an unanswered cross-account application; absent: as `assume.longApplicationTtl` says */
  applicationTtlMs?: number;
  /** what no public source settles; each false by default: the conservative answer (docs/CLOUDS.md) */
  assume: TcAssumptions;
}

export interface TcAssumptions {
  /**
   * The applicant (an account with an instance in, or applying to, a CCN it does not own) reads the CCN's other
   * attachments (DescribeCcnAttachedInstances with its CcnId) and its routes (DescribeCcnRoutes). Default: it sees its
   * own rows only, and DescribeCcnRoutes is refused.
   */
  applicantReadsCcn: boolean;
  /**
   * A DescribeCcnAttachedInstances without CcnId lists the caller's own instances in other accounts' CCNs too.
   * Default: only the attachments of CCNs the caller owns.
   */
  ccnlessListsApplications: boolean;
  /** A second application to the same CCN answers InvalidParameterValue.Duplicate. Default: CcnAttached. */
  sameCcnAnswersDuplicate: boolean;
  /**
   * An instance whose application the CCN owner rejected may apply again (ResetAttachCcnInstances is documented for
   * an expired one only). Default: AttachCcnInstances answers UnsupportedOperation.InvalidState.
   */
  reapplyAfterRejected: boolean;
  /**
   * Tencent keeps an unanswered application longer than Peerlink's approval window (7 days here). Default: it expires
   * it sooner — after 5 minutes — so Peerlink must re-apply (ResetAttachCcnInstances) within its own window.
   */
  longApplicationTtl: boolean;
  /**
   * The applicant may withdraw its PENDING application with DetachCcnInstances. Default: it may not — the answer is
   * UnsupportedOperation.CcnNotAttached (the application is not an attachment yet).
   */
  applicantWithdrawsPending: boolean;
}

const defaultAssumptions: TcAssumptions = {
  applicantReadsCcn: false,
  ccnlessListsApplications: false,
  sameCcnAnswersDuplicate: false,
  reapplyAfterRejected: false,
  longApplicationTtl: false,
  applicantWithdrawsPending: false,
};

export class TcWorld {
  readonly accounts = new Map<string, TcAccount>();
  readonly vpcs = new Map<string, TcVpc>();
  readonly ccns = new Map<string, Ccn>();
  readonly attachments: Attachment[] = [];
  /** route ids the CCN owner disabled */
  readonly disabledRoutes = new Set<string>();

  readonly options: TcWorldOptions;

  constructor(
    readonly clock: Clock,
    options: Partial<TcWorldOptions> = {},
  ) {
    this.options = { ...options, assume: { ...defaultAssumptions, ...options.assume } };
  }

  createAccount(uin?: string, secretId?: string, secretKey?: string): TcAccount {
    const a = {
      uin: uin ?? String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999)),
      secretId: secretId ?? `AKID${randomBytes(16).toString('hex')}`,
      secretKey: secretKey ?? randomBytes(16).toString('hex'),
    };
    this.accounts.set(a.secretId, a);
    return a;
  }

  accountById(secretId: string): TcAccount | undefined {
    return this.accounts.get(secretId);
  }

  createVpc(caller: TcCaller, cidr: string, vpcId?: string): TcVpc {
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed.ok) throw new TcError('InvalidParameterValue.Malformed', `CidrBlock ${cidr} is malformed`);
    const vpc = { id: vpcId ?? tcId('vpc'), uin: caller.uin, region: caller.region, cidr: parsed.span.text };
    this.vpcs.set(vpc.id, vpc);
    return vpc;
  }

  createCcn(caller: TcCaller, name: string, description = '', crossAccount = true): Ccn {
    const ccn = { id: tcId('ccn'), ownerUin: caller.uin, name, description, createdAt: this.clock.now(), crossAccount };
    this.ccns.set(ccn.id, ccn);
    return ccn;
  }

  private refresh(a: Attachment): Attachment {
    const now = this.clock.now();
    const ended = (ms: number) => {
      const at = a.changedAt.getTime() + ms;
      return now.getTime() >= at ? new Date(at) : null;
    };
    if (a.state === 'PENDING' && a.expiresAt && now >= a.expiresAt) this.set(a, 'EXPIRED', a.expiresAt);
    const attached = a.state === 'ATTACHING' ? ended(this.options.attachingMs ?? 5_000) : null;
    if (attached) this.set(a, 'ACTIVE', attached);
    const detached = a.state === 'DETACHING' ? ended(this.options.detachingMs ?? 5_000) : null;
    if (detached) this.set(a, 'DELETED', detached);
    return a;
  }

  private applicationTtlMs(): number {
    return this.options.applicationTtlMs ?? (this.options.assume.longApplicationTtl ? 7 * 24 * 3_600_000 : 5 * 60_000);
  }

  private set(a: Attachment, state: AttachState, at = this.clock.now()): void {
    a.state = state;
    a.changedAt = at;
    if (state !== 'PENDING') a.expiresAt = undefined;
  }

  private all(): Attachment[] {
    const cutoff = this.clock.now().getTime() - 3_600_000;
    return this.attachments
      .map((a) => this.refresh(a))
      .filter((a) => a.state !== 'DELETED' || a.changedAt.getTime() > cutoff);
  }

  ccnOf(id: string): Ccn {
    const ccn = this.ccns.get(id);
    if (!ccn) throw new TcError('ResourceNotFound', `The specified CCN ${id} does not exist.`);
    return ccn;
  }

  /** The owner reads its CCN; where `applicantReadsCcn`, an account with an instance in it (pending too) as well. */
  canRead(caller: TcCaller, ccnId: string): boolean {
    const ccn = this.ccns.get(ccnId);
    if (!ccn) return false;
    if (ccn.ownerUin === caller.uin) return true;
    return (
      this.options.assume.applicantReadsCcn &&
      this.all().some((a) => a.ccnId === ccnId && a.instanceUin === caller.uin && a.state !== 'DELETED')
    );
  }

  /**
   * The attachments DescribeCcnAttachedInstances shows the caller. With a CcnId: all of the CCN's where the caller may
   * read it, else the caller's own instances' rows in it (what Terraform's cross-account attachment reads). Without:
   * the attachments of the caller's CCNs, and — where `ccnlessListsApplications` — its own instances' anywhere.
   */
  visible(caller: TcCaller, ccnId?: string): Attachment[] {
    const owns = (a: Attachment) => this.ccns.get(a.ccnId)?.ownerUin === caller.uin;
    const mine = (a: Attachment) => a.instanceUin === caller.uin;
    if (ccnId !== undefined) {
      const all = this.canRead(caller, ccnId);
      return this.all().filter((a) => a.ccnId === ccnId && (all || mine(a)));
    }
    const anywhere = this.options.assume.ccnlessListsApplications;
    return this.all().filter((a) => owns(a) || (anywhere && mine(a)));
  }

  attach(
    caller: TcCaller,
    ccnId: string,
    ccnUin: string | undefined,
    instances: Array<{ instanceId: string; instanceRegion: string; description?: string }>,
  ): void {
    const ccn = this.ccns.get(ccnId);
    const ownerUin = ccnUin ?? caller.uin;
    if (![...this.accounts.values()].some((a) => a.uin === ownerUin))
      throw new TcError('UnsupportedOperation.UinNotFound', `The account ID ${ownerUin} does not exist.`);
    if (!ccn || ccn.ownerUin !== ownerUin)
      throw new TcError('ResourceNotFound', `The specified CCN ${ccnId} of account ${ownerUin} does not exist.`);
    if (ownerUin !== caller.uin && !ccn.crossAccount)
      throw new TcError('UnsupportedOperation.CcnCrossAccount', `The CCN ${ccnId} does not support cross-account.`);
    const now = this.clock.now();
    for (const i of instances) {
      const vpc = this.vpcs.get(i.instanceId);
      if (!vpc || vpc.uin !== caller.uin || vpc.region !== i.instanceRegion)
        throw new TcError('ResourceNotFound', `The instance ${i.instanceId} does not exist in ${i.instanceRegion}.`);
      const current = this.all().filter((a) => a.instanceId === vpc.id && live.includes(a.state));
      const rejected = this.all().find((a) => a.instanceId === vpc.id && a.ccnId === ccnId && a.state === 'REJECTED');
      if (rejected && !this.options.assume.reapplyAfterRejected)
        throw new TcError(
          'UnsupportedOperation.InvalidState',
          `The application of ${vpc.id} to ${ccnId} was rejected.`,
        );
      const same = current.find((a) => a.ccnId === ccnId);
      if (same && this.options.assume.sameCcnAnswersDuplicate)
        throw new TcError(
          'InvalidParameterValue.Duplicate',
          `The instance ${vpc.id} is already attached to or applying for ${ccnId}.`,
        );
      if (current.length > 0)
        throw new TcError(
          'UnsupportedOperation.CcnAttached',
          `The instance ${vpc.id} is already attached to CCN ${current[0].ccnId}.`,
        );
    }
    for (const i of instances) {
      const old = this.attachments.findIndex((a) => a.ccnId === ccnId && a.instanceId === i.instanceId);
      if (old >= 0) this.attachments.splice(old, 1);
      const cross = ccn.ownerUin !== caller.uin;
      this.attachments.push({
        ccnId,
        instanceId: i.instanceId,
        instanceRegion: i.instanceRegion,
        instanceUin: caller.uin,
        state: cross ? 'PENDING' : 'ACTIVE',
        description: i.description ?? '',
        attachedAt: now,
        changedAt: now,
        expiresAt: cross ? new Date(now.getTime() + this.applicationTtlMs()) : undefined,
      });
    }
  }

  private ownerOp(
    caller: TcCaller,
    ccnId: string,
    instanceIds: string[],
    from: AttachState[],
    to: AttachState,
    verb: string,
  ): void {
    const ccn = this.ccnOf(ccnId);
    if (ccn.ownerUin !== caller.uin)
      throw new TcError('UnauthorizedOperation', `Only the owner of ${ccnId} can ${verb} instances.`);
    // every instance is checked before any changes (the call is all or nothing)
    const targets = instanceIds.map((id) => {
      const a = this.all().find((x) => x.ccnId === ccnId && x.instanceId === id && x.state !== 'DELETED');
      if (!a) throw new TcError('ResourceNotFound', `The instance ${id} is not associated with ${ccnId}.`);
      if (!from.includes(a.state))
        throw new TcError(
          'UnsupportedOperation.NotPendingCcnInstance',
          `The instance ${a.instanceId} is ${a.state}, not PENDING.`,
        );
      return a;
    });
    for (const a of targets) this.set(a, to);
  }

  accept(caller: TcCaller, ccnId: string, instanceIds: string[]): void {
    this.ownerOp(caller, ccnId, instanceIds, ['PENDING'], 'ATTACHING', 'accept');
  }

  reject(caller: TcCaller, ccnId: string, instanceIds: string[]): void {
    this.ownerOp(caller, ccnId, instanceIds, ['PENDING'], 'REJECTED', 'reject');
  }

  /** The applicant re-applies after its application expired. */
  reset(caller: TcCaller, ccnId: string, ccnUin: string, instanceIds: string[]): void {
    const ccn = this.ccnOf(ccnId);
    if (ccn.ownerUin !== ccnUin)
      throw new TcError('ResourceNotFound', `The specified CCN ${ccnId} of account ${ccnUin} does not exist.`);
    for (const id of instanceIds) {
      const a = this.all().find((x) => x.ccnId === ccnId && x.instanceId === id && x.instanceUin === caller.uin);
      if (!a) throw new TcError('ResourceNotFound', `The instance ${id} has no application to ${ccnId}.`);
      if (a.state !== 'EXPIRED')
        throw new TcError(
          'UnsupportedOperation.InvalidInstanceState',
          `The application of ${id} is ${a.state}, not EXPIRED.`,
        );
      this.set(a, 'PENDING');
      a.expiresAt = new Date(this.clock.now().getTime() + this.applicationTtlMs());
    }
  }

  /**
   * The CCN owner or the instance owner detaches (DETACHING, then DELETED). An instance not attached answers
   * UnsupportedOperation.CcnNotAttached, one detaching MutexOperationTaskRunning. A PENDING application is withdrawn
   * the same way only where `applicantWithdrawsPending` (the CCN owner can always detach it, as it can reject it).
   */
  detach(caller: TcCaller, ccnId: string, instanceIds: string[]): void {
    const ccn = this.ccnOf(ccnId);
    const targets = instanceIds.map((id) => {
      const a = this.all().find((x) => x.ccnId === ccnId && x.instanceId === id && x.state !== 'DELETED');
      if (a && ccn.ownerUin !== caller.uin && a.instanceUin !== caller.uin)
        throw new TcError('ResourceNotFound', `The instance ${id} is not associated with ${ccnId}.`);
      const withdrawable = ccn.ownerUin === caller.uin || this.options.assume.applicantWithdrawsPending;
      if (!a || ['REJECTED', 'EXPIRED'].includes(a.state) || (a.state === 'PENDING' && !withdrawable))
        throw new TcError('UnsupportedOperation.CcnNotAttached', `The instance ${id} is not attached to ${ccnId}.`);
      if (a.state === 'DETACHING' || a.state === 'ATTACHING')
        throw new TcError('UnsupportedOperation.MutexOperationTaskRunning', `A task on ${id} is running.`);
      return a;
    });
    for (const a of targets) this.set(a, a.state === 'PENDING' ? 'DELETED' : 'DETACHING');
  }

  /** Routes learned from the ACTIVE VPCs: an overlapping destination is disabled for the later attachment. */
  routes(ccnId: string): CcnRouteView[] {
    const active = this.all()
      .filter((a) => a.ccnId === ccnId && a.state === 'ACTIVE')
      .sort((a, b) => a.attachedAt.getTime() - b.attachedAt.getTime());
    const out: CcnRouteView[] = [];
    for (const a of active) {
      const vpc = this.vpcs.get(a.instanceId);
      if (!vpc) continue;
      const digest = createHash('sha256').update(`${ccnId} ${a.instanceId} ${vpc.cidr}`).digest('hex');
      const id = `ccnr-${digest.slice(0, 8)}`;
      const mine = parseIpv4Cidr(vpc.cidr);
      const clash = out.find((r) => {
        const o = parseIpv4Cidr(r.destination);
        return mine.ok && o.ok && overlaps(mine.span, o.span);
      });
      const disabledByOwner = this.disabledRoutes.has(id);
      out.push({
        id,
        destination: vpc.cidr,
        instanceId: a.instanceId,
        instanceRegion: a.instanceRegion,
        instanceUin: a.instanceUin,
        enabled: !clash && !disabledByOwner,
        extraState: clash ? 'Conflict' : disabledByOwner ? 'Disabled' : 'Running',
        updatedAt: a.changedAt,
      });
    }
    return out;
  }

  setRouteEnabled(caller: TcCaller, ccnId: string, routeIds: string[], enabled: boolean): void {
    if (this.ccnOf(ccnId).ownerUin !== caller.uin)
      throw new TcError('UnauthorizedOperation', `Only the owner of ${ccnId} can change its routes.`);
    for (const id of routeIds) {
      if (enabled) this.disabledRoutes.delete(id);
      else this.disabledRoutes.add(id);
    }
  }
}
