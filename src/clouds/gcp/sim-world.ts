/**
 * The Google Cloud simulator's state and semantics for VPC Network Peering (Compute Engine v1): projects with their
 * service accounts and keys, VPC networks with subnets, one peering configuration per side, and the global operations
 * that add and remove them. Each behaviour names its source; an assumption not verified against the cloud says so.
 *
 * - Each side adds its own half with networks.addPeering; a half is ACTIVE "when there's a matching configuration in
 *   the peer network", else INACTIVE — "including the case when peer does not exist" (Compute v1 NetworkPeering.state;
 *   https://cloud.google.com/vpc/docs/using-vpc-peering). So adding a half toward a network that does not exist, or
 *   that the caller cannot see, succeeds and stays INACTIVE.
 * - addPeering/removePeering return a global Operation that runs, then is DONE; the half appears (or goes) when it is
 *   DONE (assumption: not visible in peerings[] while RUNNING).
 * - One peering operation at a time on a network and on its peer: "There is a peering operation in progress on the
 *   local or peer network. Try again later." (HTTP 400; the Terraform provider locks both networks and retries on
 *   this message — resource_compute_network_peering.go sortedNetworkPeeringMutexKeys, transport/
 *   error_retry_predicates.go IsPeeringOperationInProgress).
 * - Two networks peer once; a name is unique per network (the API reference: name "should conform to RFC1035").
 * - "Subnets IP ranges across peered VPC networks cannot overlap" (the provider's compute_network_peering docs): the
 *   operation that would make an overlapping pair ACTIVE ends with an error and adds nothing (the error's code and
 *   wording here are the simulator's, not verified).
 * - Subnet routes are exchanged once ACTIVE and are global: listPeeringRoutes INCOMING lists the peer's subnet
 *   ranges (SUBNET_PEERING_ROUTE; nextHopRegion "only applies to dynamic routes").
 * - A project's service account manages that project's networks only (roles/compute.networkAdmin on the project).
 *
 * Over 300 lines on purpose: one cloud's rules in one place, read top to bottom.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { overlaps, parseIpv4Cidr } from '../../core/cidr.js';
import { relativeLink, selfLink, type NetworkRef } from './ids.js';

export class GcpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ServiceAccount {
  project: string;
  email: string;
  keyId: string;
  publicKey: KeyObject;
  /** the key file's fields, as the operator or customer would hold them */
  key: { client_email: string; private_key: string; private_key_id: string; project_id: string; type: string };
}

export interface Subnet {
  name: string;
  region: string;
  cidr: string;
}

export interface SimNetwork {
  project: string;
  name: string;
  id: string;
  createdAt: Date;
  subnets: Subnet[];
  peerings: SimPeering[];
}

export interface SimPeering {
  name: string;
  peer: NetworkRef;
  exchangeSubnetRoutes: boolean;
  importCustomRoutes: boolean;
  exportCustomRoutes: boolean;
  createdAt: Date;
  /** when the state last changed (for stateDetails) */
  changedAt: Date;
}

export interface SimOperation {
  id: string;
  name: string;
  project: string;
  type: 'addPeering' | 'removePeering';
  target: NetworkRef;
  /** the other network the operation locks */
  peer: NetworkRef | null;
  user: string;
  insertedAt: Date;
  doneAt: Date;
  status: 'RUNNING' | 'DONE';
  error?: { code: string; message: string };
  apply: () => void;
}

export interface PeeringView extends SimPeering {
  state: 'ACTIVE' | 'INACTIVE';
}

export interface GcpWorldOptions {
  /** how long a peering operation runs (simulated time) */
  operationMs?: number;
}

const key = (n: NetworkRef) => relativeLink(n);

export class GcpWorld {
  readonly accounts = new Map<string, ServiceAccount>();
  readonly networks = new Map<string, SimNetwork>();
  readonly operations: SimOperation[] = [];
  private nextId = BigInt(Date.now()) * 1000n;

  constructor(
    readonly clock: Clock,
    readonly options: GcpWorldOptions = {},
  ) {}

  private id(): string {
    this.nextId += 1n;
    return this.nextId.toString();
  }

  /** A project's service account with a fresh RSA key (what `gcloud iam service-accounts keys create` hands out). */
  createServiceAccount(project: string, name = 'peerlink'): ServiceAccount {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const email = `${name}@${project}.iam.gserviceaccount.com`;
    const keyId = randomBytes(20).toString('hex');
    const sa: ServiceAccount = {
      project,
      email,
      keyId,
      publicKey,
      key: {
        type: 'service_account',
        project_id: project,
        private_key_id: keyId,
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: email,
      },
    };
    this.accounts.set(email, sa);
    return sa;
  }

  account(email: string): ServiceAccount | undefined {
    return this.accounts.get(email);
  }

  createNetwork(project: string, name: string, subnets: Array<{ region: string; cidr: string }>): SimNetwork {
    const ref = { project, network: name };
    if (this.networks.has(key(ref)))
      throw new GcpError(409, 'alreadyExists', `The resource '${key(ref)}' already exists`);
    const network: SimNetwork = {
      project,
      name,
      id: this.id(),
      createdAt: this.clock.now(),
      subnets: subnets.map((s, i) => {
        const cidr = parseIpv4Cidr(s.cidr);
        if (!cidr.ok) throw new GcpError(400, 'invalid', `Invalid IPCidrRange: ${s.cidr}`);
        return { name: `${name}-${s.region}-${i}`, region: s.region, cidr: cidr.span.text };
      }),
      peerings: [],
    };
    this.networks.set(key(ref), network);
    return network;
  }

  /** Completes the operations whose time has come, in the order they were started. */
  settle(): void {
    const now = this.clock.now();
    for (const op of this.operations) {
      if (op.status === 'RUNNING' && now >= op.doneAt) {
        op.status = 'DONE';
        try {
          op.apply();
        } catch (err) {
          if (!(err instanceof GcpError)) throw err;
          op.error = { code: err.reason, message: err.message };
        }
      }
    }
  }

  network(caller: ServiceAccount, ref: NetworkRef, permission = 'compute.networks.get'): SimNetwork {
    this.settle();
    if (caller.project !== ref.project)
      throw new GcpError(403, 'forbidden', `Required '${permission}' permission for '${key(ref)}'`);
    const n = this.networks.get(key(ref));
    if (!n) throw new GcpError(404, 'notFound', `The resource '${key(ref)}' was not found`);
    return n;
  }

  networksOf(caller: ServiceAccount, project: string): SimNetwork[] {
    this.settle();
    if (caller.project !== project)
      throw new GcpError(403, 'forbidden', `Required 'compute.networks.list' permission for 'projects/${project}'`);
    return [...this.networks.values()].filter((n) => n.project === project);
  }

  /** A half is ACTIVE when the peer network exists and has a half pointing back at this network. */
  view(n: SimNetwork, p: SimPeering): PeeringView {
    const peer = this.networks.get(key(p.peer));
    const back = peer?.peerings.some((q) => q.peer.project === n.project && q.peer.network === n.name);
    return { ...p, state: back ? 'ACTIVE' : 'INACTIVE' };
  }

  private busy(ref: NetworkRef): boolean {
    return this.operations.some(
      (op) =>
        op.status === 'RUNNING' && (key(op.target) === key(ref) || (op.peer !== null && key(op.peer) === key(ref))),
    );
  }

  private startOperation(
    caller: ServiceAccount,
    type: SimOperation['type'],
    target: NetworkRef,
    peer: NetworkRef | null,
    apply: () => void,
  ): SimOperation {
    if (this.busy(target) || (peer && this.busy(peer)))
      throw new GcpError(
        400,
        'badRequest',
        'There is a peering operation in progress on the local or peer network. Try again later.',
      );
    const now = this.clock.now();
    const id = this.id();
    const op: SimOperation = {
      id,
      name: `operation-${now.getTime()}-${randomBytes(6).toString('hex')}`,
      project: target.project,
      type,
      target,
      peer,
      user: caller.email,
      insertedAt: now,
      doneAt: new Date(now.getTime() + (this.options.operationMs ?? 200)),
      status: 'RUNNING',
      apply,
    };
    this.operations.push(op);
    return op;
  }

  addPeering(
    caller: ServiceAccount,
    ref: NetworkRef,
    input: { name: string; peer: NetworkRef; exchangeSubnetRoutes?: boolean; importCustomRoutes?: boolean },
  ): SimOperation {
    const n = this.network(caller, ref, 'compute.networks.addPeering');
    if (!/^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/.test(input.name))
      throw new GcpError(400, 'invalid', `Invalid value for field 'networkPeering.name': '${input.name}'.`);
    if (key(input.peer) === key(ref)) throw new GcpError(400, 'invalid', `A network cannot be peered with itself.`);
    const check = () => {
      if (n.peerings.some((p) => p.name === input.name))
        throw new GcpError(
          409,
          'alreadyExists',
          `A peering named '${input.name}' already exists on network '${n.name}'.`,
        );
      if (n.peerings.some((p) => key(p.peer) === key(input.peer)))
        throw new GcpError(
          400,
          'badRequest',
          `Network '${key(ref)}' is already peered with network '${key(input.peer)}'.`,
        );
    };
    check();
    return this.startOperation(caller, 'addPeering', ref, input.peer, () => {
      check();
      const peer = this.networks.get(key(input.peer));
      const pointsBack = peer?.peerings.some((q) => key(q.peer) === key(ref));
      if (peer && pointsBack) {
        const clash = this.overlap(n, peer);
        if (clash)
          throw new GcpError(
            400,
            'IP_RANGE_OVERLAP',
            `Peering '${input.name}' cannot be activated: subnet range ${clash[0]} of '${key(ref)}' overlaps ` +
              `subnet range ${clash[1]} of peer network '${key(input.peer)}'.`,
          );
      }
      const now = this.clock.now();
      n.peerings.push({
        name: input.name,
        peer: input.peer,
        exchangeSubnetRoutes: input.exchangeSubnetRoutes ?? true,
        importCustomRoutes: input.importCustomRoutes ?? false,
        exportCustomRoutes: false,
        createdAt: now,
        changedAt: now,
      });
      const back = peer?.peerings.find((q) => key(q.peer) === key(ref));
      if (back) back.changedAt = now;
    });
  }

  removePeering(caller: ServiceAccount, ref: NetworkRef, name: string): SimOperation {
    const n = this.network(caller, ref, 'compute.networks.removePeering');
    const p = n.peerings.find((x) => x.name === name);
    // the provider treats a 404 from removePeering as "already removed" (resource_compute_network_peering.go)
    if (!p) throw new GcpError(404, 'notFound', `The peering '${name}' was not found in network '${key(ref)}'.`);
    return this.startOperation(caller, 'removePeering', ref, p.peer, () => {
      const i = n.peerings.findIndex((x) => x.name === name);
      if (i < 0) return;
      const [gone] = n.peerings.splice(i, 1);
      const back = this.networks.get(key(gone.peer))?.peerings.find((q) => key(q.peer) === key(ref));
      if (back) back.changedAt = this.clock.now();
    });
  }

  private overlap(a: SimNetwork, b: SimNetwork): [string, string] | null {
    for (const x of a.subnets)
      for (const y of b.subnets) {
        const px = parseIpv4Cidr(x.cidr);
        const py = parseIpv4Cidr(y.cidr);
        if (px.ok && py.ok && overlaps(px.span, py.span)) return [x.cidr, y.cidr];
      }
    return null;
  }

  /** The routes exchanged over one half: INCOMING the peer's subnet ranges, OUTGOING this network's; none inactive. */
  peeringRoutes(caller: ServiceAccount, ref: NetworkRef, name: string, direction: 'INCOMING' | 'OUTGOING'): Subnet[] {
    const n = this.network(caller, ref, 'compute.networks.listPeeringRoutes');
    const p = n.peerings.find((x) => x.name === name);
    if (!p) throw new GcpError(404, 'notFound', `The peering '${name}' was not found in network '${key(ref)}'.`);
    if (this.view(n, p).state !== 'ACTIVE' || !p.exchangeSubnetRoutes) return [];
    if (direction === 'OUTGOING') return n.subnets;
    return this.networks.get(key(p.peer))?.subnets ?? [];
  }

  operation(caller: ServiceAccount, project: string, name: string): SimOperation {
    this.settle();
    const op = this.operations.find((o) => o.name === name && o.project === project);
    if (!op || caller.project !== project)
      throw new GcpError(404, 'notFound', `The resource 'projects/${project}/global/operations/${name}' was not found`);
    return op;
  }

  /** A half added and its operation finished at once (the benchmark's and the demo's set-up). */
  addPeeringNow(caller: ServiceAccount, ref: NetworkRef, input: { name: string; peer: NetworkRef }): SimOperation {
    const op = this.addPeering(caller, ref, input);
    op.doneAt = this.clock.now();
    this.settle();
    return op;
  }

  /** A half removed and its operation finished at once. */
  removePeeringNow(caller: ServiceAccount, ref: NetworkRef, name: string): void {
    const op = this.removePeering(caller, ref, name);
    op.doneAt = this.clock.now();
    this.settle();
  }

  /** The customer's side, for tests and the demo: a network's own subnet added later. */
  addSubnet(ref: NetworkRef, region: string, cidr: string): void {
    const n = this.networks.get(key(ref));
    if (!n) throw new GcpError(404, 'notFound', `The resource '${key(ref)}' was not found`);
    n.subnets.push({ name: `${n.name}-${region}-${n.subnets.length}`, region, cidr });
  }

  selfLink(n: SimNetwork): string {
    return selfLink({ project: n.project, network: n.name });
  }
}
