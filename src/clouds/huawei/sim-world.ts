/**
 * The Huawei Cloud simulator's state and semantics (VPC API v2.0 peerings, v1 route tables): projects (one per
 * account and region, 32-hex ids) with AK/SK, VPCs with a default route table, peerings requested by one project's
 * VPC to another's (PENDING_ACCEPTANCE until the accepter accepts or rejects; ACTIVE at once within a project),
 * expiry of unanswered requests, deletion by either side (409 while the peering is still changing, then gone: 404),
 * and route tables whose routes may point at an ACTIVE peering of their VPC. The peering object carries no CIDR, as
 * on the real API.
 *
 * Errors carry a documented code where the public catalogue has one that fits (VPC.0003, VPC.0007, VPC.0101;
 * support.huaweicloud.com …/api-vpc/vpc_api_0003.html); the peering and route-table modules document none, so their
 * errors are plain HTTP statuses. What no source settles is a switch in `assume`, conservative by default
 * (docs/CLOUDS.md).
 *
 * A little over 300 lines on purpose: one cloud's rules in one place, read top to bottom.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { parseIpv4Cidr } from '../../core/cidr.js';

export class HwError extends Error {
  /**
   * `code`: a documented code, or null where none is (the answer is the HTTP status and a message); `style`: a VPC
   * error `{code, message}` or an API-gateway error `{error_code, error_msg}`
   */
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
    readonly style: 'vpc' | 'apigw' = 'vpc',
  ) {
    super(message);
  }
}

export interface HwProject {
  projectId: string;
  region: string;
  ak: string;
  sk: string;
}
export interface HwVpc {
  id: string;
  projectId: string;
  region: string;
  cidr: string;
  routeTableId: string;
}
export interface HwRoute {
  type: string;
  destination: string;
  nexthop: string;
  description: string;
}
export interface HwRouteTable {
  id: string;
  vpcId: string;
  projectId: string;
  region: string;
  routes: HwRoute[];
}
export type HwPeeringStatus = 'PENDING_ACCEPTANCE' | 'ACTIVE' | 'REJECTED' | 'EXPIRED';
export interface HwPeering {
  id: string;
  /** an accept or a delete the cloud is still applying (asynchronously, where `assume` says so), and until when */
  changing?: { what: 'accept' | 'delete'; until: Date };
  name: string;
  description: string;
  region: string;
  request: { vpcId: string; tenantId: string };
  accept: { vpcId: string; tenantId: string };
  status: HwPeeringStatus;
  createdAt: Date;
  updatedAt: Date;
  expiresAt?: Date;
}
export interface HwCaller {
  projectId: string;
  region: string;
}

export interface HwWorldOptions {
  /** how long a request to another project waits for acceptance (the public docs do not give it; 7 days assumed) */
  acceptWindowMs?: number;
  /**
   * How long an accept and a delete take to apply where they are asynchronous. No source gives one; Terraform's
   * accepter polls after 5 s (then every 3 s or more) for up to 10 minutes.
   */
  applyingMs?: number;
  /** what no public source settles; each false by default: the conservative answer (docs/CLOUDS.md) */
  assume: HwAssumptions;
}

export interface HwAssumptions {
  /**
   * The accept answers ACTIVE at once (the doc's example shows it). Default: it takes a while — the peering still
   * shows PENDING_ACCEPTANCE — and an accept repeated meanwhile is refused with a 400, as Terraform's accepter, which
   * accepts once and then polls, would never notice.
   */
  acceptIsSynchronous: boolean;
  /**
   * A delete takes effect at once (404 right after). Default: the peering is still shown for a while and a DELETE
   * meanwhile answers 409, as Terraform's delete loop expects ("409: still active, retry; 404: gone").
   */
  deleteIsSynchronous: boolean;
}

export class HwWorld {
  readonly projects = new Map<string, HwProject>();
  readonly vpcs = new Map<string, HwVpc>();
  readonly routeTables = new Map<string, HwRouteTable>();
  readonly peerings = new Map<string, HwPeering>();

  readonly options: HwWorldOptions;

  constructor(
    readonly clock: Clock,
    options: Partial<HwWorldOptions> = {},
  ) {
    this.options = {
      ...options,
      assume: { acceptIsSynchronous: false, deleteIsSynchronous: false, ...options.assume },
    };
  }

  createProject(region: string, projectId?: string, ak?: string, sk?: string): HwProject {
    const p = {
      projectId: projectId ?? randomBytes(16).toString('hex'),
      region,
      ak: ak ?? randomBytes(10).toString('hex').toUpperCase(),
      sk: sk ?? randomBytes(20).toString('base64'),
    };
    if (!/^[0-9a-f]{32}$/.test(p.projectId)) throw new HwError(400, null, `invalid project id ${p.projectId}`);
    this.projects.set(p.ak, p);
    return p;
  }

  projectByAk(ak: string): HwProject | undefined {
    return this.projects.get(ak);
  }

  createVpc(caller: HwCaller, cidr: string, ids: { vpcId?: string; routeTableId?: string } = {}): HwVpc {
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed.ok) throw new HwError(400, 'VPC.0101', `cidr ${cidr} is invalid`);
    const vpc: HwVpc = {
      id: ids.vpcId ?? randomUUID(),
      projectId: caller.projectId,
      region: caller.region,
      cidr: parsed.span.text,
      routeTableId: ids.routeTableId ?? randomUUID(),
    };
    this.vpcs.set(vpc.id, vpc);
    this.routeTables.set(vpc.routeTableId, {
      id: vpc.routeTableId,
      vpcId: vpc.id,
      projectId: caller.projectId,
      region: caller.region,
      routes: [{ type: 'local', destination: parsed.span.text, nexthop: '-', description: '' }],
    });
    return vpc;
  }

  /** Time-driven transitions, applied lazily: an accept or a delete applied, an unanswered request expired. */
  private refresh(p: HwPeering): HwPeering {
    const now = this.clock.now();
    if (p.changing && now >= p.changing.until) {
      const { what, until } = p.changing;
      p.changing = undefined;
      if (what === 'delete') this.peerings.delete(p.id);
      else this.answered(p, 'ACTIVE', until);
    }
    if (p.status === 'PENDING_ACCEPTANCE' && !p.changing && p.expiresAt && now >= p.expiresAt) {
      p.status = 'EXPIRED';
      p.updatedAt = p.expiresAt;
    }
    return p;
  }

  private answered(p: HwPeering, to: HwPeeringStatus, at: Date): void {
    p.status = to;
    p.updatedAt = at;
    p.expiresAt = undefined;
  }

  private applyingMs(): number {
    return this.options.applyingMs ?? 5_000;
  }

  private visibleTo(p: HwPeering, caller: HwCaller): boolean {
    return (
      p.region === caller.region && (p.request.tenantId === caller.projectId || p.accept.tenantId === caller.projectId)
    );
  }

  get(caller: HwCaller, id: string): HwPeering {
    const p = this.peerings.get(id);
    if (p) this.refresh(p);
    if (!p || !this.peerings.has(id) || !this.visibleTo(p, caller))
      throw new HwError(404, null, `peering ${id} does not exist`);
    return p;
  }

  list(caller: HwCaller): HwPeering[] {
    for (const p of [...this.peerings.values()]) this.refresh(p);
    return [...this.peerings.values()]
      .filter((p) => this.visibleTo(p, caller))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  createPeering(
    caller: HwCaller,
    input: {
      name: string;
      description?: string;
      requestVpcId: string;
      requestTenantId?: string;
      acceptVpcId: string;
      acceptTenantId?: string;
    },
  ): HwPeering {
    const own = this.vpcs.get(input.requestVpcId);
    if (!own || own.projectId !== caller.projectId || own.region !== caller.region)
      throw new HwError(404, 'VPC.0003', `VPC does not exist: ${input.requestVpcId}`);
    if (input.requestTenantId && input.requestTenantId !== caller.projectId)
      throw new HwError(400, null, 'request_vpc_info.tenant_id must be the project of the caller');
    const acceptTenant = input.acceptTenantId ?? caller.projectId;
    const peer = this.vpcs.get(input.acceptVpcId);
    if (!peer || peer.projectId !== acceptTenant || peer.region !== caller.region)
      throw new HwError(
        400,
        null,
        `accept_vpc_info: vpc ${input.acceptVpcId} of project ${acceptTenant} does not exist in ${caller.region}`,
      );
    for (const p of this.peerings.values()) {
      const pair = [p.request.vpcId, p.accept.vpcId];
      if (
        ['PENDING_ACCEPTANCE', 'ACTIVE'].includes(this.refresh(p).status) &&
        pair.includes(own.id) &&
        pair.includes(peer.id)
      ) {
        throw new HwError(409, null, `a peering between ${own.id} and ${peer.id} already exists: ${p.id}`);
      }
    }
    const now = this.clock.now();
    const sameProject = acceptTenant === caller.projectId;
    const p: HwPeering = {
      id: randomUUID(),
      name: input.name,
      description: input.description ?? '',
      region: caller.region,
      request: { vpcId: own.id, tenantId: caller.projectId },
      accept: { vpcId: peer.id, tenantId: acceptTenant },
      status: sameProject ? 'ACTIVE' : 'PENDING_ACCEPTANCE',
      createdAt: now,
      updatedAt: now,
      expiresAt: sameProject
        ? undefined
        : new Date(now.getTime() + (this.options.acceptWindowMs ?? 7 * 24 * 3_600_000)),
    };
    this.peerings.set(p.id, p);
    return p;
  }

  private answer(caller: HwCaller, id: string, to: 'ACTIVE' | 'REJECTED'): HwPeering {
    const p = this.get(caller, id);
    if (p.accept.tenantId !== caller.projectId)
      throw new HwError(403, null, `project ${caller.projectId} is not the accepter of peering ${id}`);
    if (p.changing) throw new HwError(400, null, `peering ${id} is being changed (${p.changing.what})`);
    if (p.status !== 'PENDING_ACCEPTANCE')
      throw new HwError(409, null, `peering ${id} is ${p.status}, not PENDING_ACCEPTANCE`);
    const now = this.clock.now();
    if (to === 'ACTIVE' && !this.options.assume.acceptIsSynchronous)
      p.changing = { what: 'accept', until: new Date(now.getTime() + this.applyingMs()) };
    else this.answered(p, to, now);
    return p;
  }

  accept(caller: HwCaller, id: string): HwPeering {
    return this.answer(caller, id, 'ACTIVE');
  }

  reject(caller: HwCaller, id: string): HwPeering {
    return this.answer(caller, id, 'REJECTED');
  }

  /**
   * Either side may delete ("by the local or peer tenant"). Routes pointing at it are left for their owners to remove.
   * Where the delete is asynchronous, the peering is still shown for a while and a DELETE meanwhile answers 409.
   */
  delete(caller: HwCaller, id: string): void {
    const p = this.get(caller, id);
    if (p.changing) throw new HwError(409, null, `peering ${id} is being changed (${p.changing.what}); try again`);
    if (this.options.assume.deleteIsSynchronous) this.peerings.delete(id);
    else p.changing = { what: 'delete', until: new Date(this.clock.now().getTime() + this.applyingMs()) };
  }

  ownRouteTable(caller: HwCaller, id: string): HwRouteTable {
    const t = this.routeTables.get(id);
    if (!t || t.projectId !== caller.projectId || t.region !== caller.region)
      throw new HwError(404, null, `routetable ${id} does not exist`);
    return t;
  }

  /** PUT routetables/{id} with routes.add / routes.del, all or nothing. */
  updateRoutes(
    caller: HwCaller,
    id: string,
    add: HwRoute[],
    del: Array<Pick<HwRoute, 'destination'> & Partial<HwRoute>>,
  ): HwRouteTable {
    const t = this.ownRouteTable(caller, id);
    const next = [...t.routes];
    for (const d of del) {
      const i = next.findIndex(
        (r) => r.destination === d.destination && r.type !== 'local' && (!d.nexthop || r.nexthop === d.nexthop),
      );
      if (i < 0) throw new HwError(400, null, `route to ${d.destination} does not exist in routetable ${id}`);
      next.splice(i, 1);
    }
    for (const a of add) {
      const parsed = parseIpv4Cidr(a.destination);
      if (!parsed.ok) throw new HwError(400, null, `destination ${a.destination} is invalid`);
      if (a.type !== 'peering')
        throw new HwError(400, null, `the simulator routes only to type peering, not ${a.type}`);
      const p = this.peerings.get(a.nexthop);
      if (!p || !this.visibleTo(p, caller) || ![p.request.vpcId, p.accept.vpcId].includes(t.vpcId))
        throw new HwError(400, null, `nexthop ${a.nexthop} is not a peering of vpc ${t.vpcId}`);
      if (this.refresh(p).status !== 'ACTIVE' || p.changing)
        throw new HwError(409, null, `peering ${a.nexthop} is ${p.status}, not ACTIVE`);
      if (next.some((r) => r.destination === parsed.span.text))
        throw new HwError(400, null, `route destination ${parsed.span.text} is duplicated in routetable ${id}`);
      next.push({
        type: 'peering',
        destination: parsed.span.text,
        nexthop: a.nexthop,
        description: a.description ?? '',
      });
    }
    t.routes = next;
    return t;
  }
}
