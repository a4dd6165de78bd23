/**
 * The Google Cloud adapter: VPC Network Peering has a half on each network. The platform adds its half on the
 * deployment network (networks.addPeering, exchanging subnet routes) and waits for the global operation; the half is
 * INACTIVE until the customer adds the matching half on its network, then ACTIVE, and the customer's subnet ranges are
 * what the peering imports (networks.listPeeringRoutes, INCOMING). Closing removes the platform's half
 * (networks.removePeering). The peering carries the routes: the platform programs none. The sweep lists the platform
 * project's networks, each with its peerings[], a page at a time — never one call per peering.
 */
import type { ConnectionObservation, ConnectionPhase } from '../../core/observation.js';
import type { Precheck } from '../../core/verify.js';
import { ClientCache, credential, ignoring, providerCall } from '../kit.js';
import { ProviderError, type AdapterOptions, type ConnectionRef, type PlatformTarget } from '../provider.js';
import { classifyGcpError, codes, operationError } from './errors.js';
import { parseNetworkUri, selfLink } from './ids.js';
import { computeClients, type ComputeClients, type protos } from './sdk.js';

type Network = protos.google.cloud.compute.v1.INetwork;
type Peering = protos.google.cloud.compute.v1.INetworkPeering;
type Operation = protos.google.cloud.compute.v1.IOperation;

const phases: Record<string, ConnectionPhase> = { ACTIVE: 'active', INACTIVE: 'awaiting-customer' };

/**
 * One deadline per call, enforced here: gax's `timeout` is not applied to a REST call without retries (measured with
 * the simulator's latency fault), and a call the cloud never answers must not hold a reconcile step.
 */
function withDeadline<T>(operation: string, pending: Promise<T> & { cancel?: () => void }, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      pending.cancel?.();
      reject(new ProviderError('transient', operation, 'DEADLINE_EXCEEDED', `no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([pending, expired]).finally(() => clearTimeout(timer));
}

export function gcpAdapter(options: AdapterOptions = {}) {
  const clients = new ClientCache<ComputeClients>((t) =>
    computeClients({
      endpoint: t.endpoint,
      key: {
        client_email: credential(t, 'client_email'),
        private_key: credential(t, 'private_key'),
        private_key_id: t.credentials.private_key_id,
      },
    }),
  );
  // gax retries nothing on its own here (Peerlink's reconciler does, with backoff)
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const callOptions = { timeout: timeoutMs, maxRetries: 0 };
  const call = <T>(t: PlatformTarget, operation: string, fn: () => Promise<T>) =>
    providerCall(t, operation, () => withDeadline(operation, fn(), timeoutMs), classifyGcpError, options);

  // One peering operation at a time per network (Compute refuses a second; the Terraform provider holds a mutex per
  // network for the same reason): this instance queues its own; another instance's shows as a conflict, observed again.
  const queues = new Map<string, Promise<unknown>>();
  function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const run = (queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(fn);
    queues.set(key, run);
    void run.finally(() => queues.get(key) === run && queues.delete(key)).catch(() => undefined);
    return run;
  }

  async function network(t: PlatformTarget, name: string): Promise<Network> {
    const request = { project: t.accountId, network: name };
    const [n] = await call(t, 'networks.get', () => clients.get(t).networks.get(request, callOptions));
    return n;
  }

  /** Waits for a global operation (globalOperations.wait holds the call until DONE or its own deadline). */
  async function finish(t: PlatformTarget, operation: string, started: Operation): Promise<void> {
    let op = started;
    for (let i = 0; op.status !== 'DONE' && op.name && i < 3; i += 1) {
      const request = { project: t.accountId, operation: op.name };
      [op] = await call(t, 'globalOperations.wait', () => clients.get(t).operations.wait(request, callOptions));
    }
    // still running after three waits: the cloud is busy with it; the next observation shows where it got
    if (op.status !== 'DONE') throw new ProviderError('conflict', operation, 'RUNNING', `${operation} still running`);
    const errors = op.error?.errors ?? [];
    if (errors.length > 0) throw operationError(operation, errors);
  }

  async function incomingCidrs(t: PlatformTarget, networkName: string, peering: string) {
    const cidrs: string[] = [];
    const conflicts: string[] = [];
    let pageToken: string | undefined;
    do {
      const request = {
        project: t.accountId,
        network: networkName,
        peeringName: peering,
        direction: 'INCOMING',
        region: t.region,
        maxResults: 500,
        ...(pageToken ? { pageToken } : {}),
      };
      const [items, next] = await call(t, 'networks.listPeeringRoutes', () =>
        clients.get(t).networks.listPeeringRoutes(request, { ...callOptions, autoPaginate: false }),
      );
      for (const r of items) {
        if (r.type !== 'SUBNET_PEERING_ROUTE' || !r.destRange) continue;
        // a subnet route the peering does not import (a conflict) is named, not counted as reachable
        if (r.imported === false) conflicts.push(`${r.destRange} (${r.type}, not imported)`);
        else cidrs.push(r.destRange);
      }
      pageToken = next?.pageToken ?? undefined;
    } while (pageToken);
    return { cidrs: [...new Set(cidrs)], conflicts };
  }

  function observation(t: PlatformTarget, n: Network, p: Peering, cidrs: string[] = []): ConnectionObservation {
    const state = p.state ?? 'UNKNOWN';
    const peer = parseNetworkUri(p.network ?? '');
    return {
      providerId: p.name ?? '',
      phase: phases[state] ?? 'failed',
      providerStatus: state,
      providerMessage: p.stateDetails ?? '',
      // a VPC network is global: the peering has no region of its own, the deployment's is the one that matters
      customer: { accountId: peer?.project ?? '', vpcId: peer?.network ?? '', region: t.region, cidrs },
      platform: { accountId: t.accountId, vpcId: n.name ?? '', region: t.region, cidrs: [] },
    };
  }

  const peerOf = (ref: ConnectionRef) => ({ project: ref.customerAccountId, network: ref.customerVpcId });

  return {
    connections: {
      /** The platform's half by name on the deployment network; when ACTIVE, the customer CIDRs it imports. */
      async observe(t: PlatformTarget, ref: ConnectionRef): Promise<ConnectionObservation | null> {
        const n = await network(t, ref.deploymentVpcId);
        const p = (n.peerings ?? []).find((x) => x.name === ref.connectionId);
        if (!p) return null;
        if (p.state !== 'ACTIVE') return observation(t, n, p);
        const routes = await incomingCidrs(t, ref.deploymentVpcId, ref.connectionId);
        return { ...observation(t, n, p, routes.cidrs), routeConflicts: routes.conflicts };
      },

      /** Every half on every network of the platform project: one networks.list page at a time. */
      async *list(t: PlatformTarget): AsyncGenerator<ConnectionObservation[]> {
        let pageToken: string | undefined;
        do {
          const request = { project: t.accountId, maxResults: 500, ...(pageToken ? { pageToken } : {}) };
          const [items, next] = await call(t, 'networks.list', () =>
            clients.get(t).networks.list(request, { ...callOptions, autoPaginate: false }),
          );
          yield items.flatMap((n) => (n.peerings ?? []).map((p) => observation(t, n, p)));
          pageToken = next?.pageToken ?? undefined;
        } while (pageToken);
      },

      /** removePeering on the deployment network; a half already gone counts as done. */
      async close(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        await serialized(`${t.accountId}/${ref.deploymentVpcId}`, async () => {
          const request = {
            project: t.accountId,
            network: ref.deploymentVpcId,
            networksRemovePeeringRequestResource: { name: ref.connectionId },
          };
          let started: Operation | null = null;
          await ignoring([codes.notFound], async () => {
            const [op] = await call(t, 'networks.removePeering', () =>
              clients.get(t).networks.removePeering(request, callOptions),
            );
            started = op.latestResponse as Operation;
          });
          if (started) await finish(t, 'networks.removePeering', started);
        });
      },
    },

    requester: {
      /** Nothing to look at before: a deployment network peers with many customer networks, and the customer's
       * network cannot be read from the platform's project (the half shows INACTIVE until it matches). */
      precheck(): Promise<Precheck> {
        return Promise.resolve({ deploymentJoined: null });
      },

      /** addPeering on the deployment network toward the customer's; a half of that name to that network is done. */
      async request(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        await serialized(`${t.accountId}/${ref.deploymentVpcId}`, async () => {
          const existing = ((await network(t, ref.deploymentVpcId)).peerings ?? []).find(
            (p) => p.name === ref.connectionId,
          );
          const peer = peerOf(ref);
          if (existing) {
            const to = parseNetworkUri(existing.network ?? '');
            if (to?.project === peer.project && to.network === peer.network) return;
            throw new ProviderError(
              'permanent',
              'networks.addPeering',
              codes.alreadyExists,
              `peering ${ref.connectionId} on ${ref.deploymentVpcId} points at ${existing.network}`,
            );
          }
          const request = {
            project: t.accountId,
            network: ref.deploymentVpcId,
            networksAddPeeringRequestResource: {
              networkPeering: {
                name: ref.connectionId,
                network: selfLink(peer),
                exchangeSubnetRoutes: true,
                importCustomRoutes: false,
                exportCustomRoutes: false,
              },
            },
          };
          let started: Operation | null = null;
          await ignoring([codes.alreadyExists], async () => {
            const [op] = await call(t, 'networks.addPeering', () =>
              clients.get(t).networks.addPeering(request, callOptions),
            );
            started = op.latestResponse as Operation;
          });
          if (started) await finish(t, 'networks.addPeering', started);
        });
      },
    },
  };
}
