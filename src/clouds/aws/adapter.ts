/**
 * The AWS adapter: the platform side of a VPC peering on the official @aws-sdk/client-ec2, pointed at whatever
 * endpoint the platform account names (real EC2, or the simulator). The customer requests; the platform accepts
 * and routes.
 */
import {
  AcceptVpcPeeringConnectionCommand,
  CreateRouteCommand,
  DeleteRouteCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  RejectVpcPeeringConnectionCommand,
  type EC2Client,
  type VpcPeeringConnection,
  type VpcPeeringConnectionVpcInfo,
} from '@aws-sdk/client-ec2';
import { parseIpv4Cidr } from '../../core/cidr.js';
import type { ConnectionObservation, ConnectionPhase, RouteObservation, VpcSide } from '../../core/observation.js';
import { ClientCache, credential, ignoring, providerCall } from '../kit.js';
import {
  ProviderError,
  type AdapterOptions,
  type ConnectionRef,
  type PlatformTarget,
  type RouteRef,
} from '../provider.js';
import { classifyAwsError, codes, isPeeringNotFound } from './errors.js';
import { ec2Client } from './sdk.js';

const phases: Record<string, ConnectionPhase> = {
  'initiating-request': 'initiating',
  'pending-acceptance': 'awaiting-acceptance',
  provisioning: 'accepting',
  active: 'active',
  failed: 'failed',
  expired: 'expired',
  rejected: 'rejected',
  deleting: 'deleting',
  deleted: 'deleted',
};

/**
 * Every IPv4 block of the VPC: CidrBlockSet holds the primary and the secondaries (API_VpcPeeringConnectionVpcInfo),
 * each checked like the primary; CidrBlock alone where the set is absent. IPv6 blocks (Ipv6CidrBlockSet), and anything
 * that does not parse as IPv4, are not peered here: returned apart, to be noted.
 */
function side(info: VpcPeeringConnectionVpcInfo | undefined, fallbackRegion: string): VpcSide & { ipv6: string[] } {
  const listed = (info?.CidrBlockSet ?? []).map((c) => c.CidrBlock).filter((c): c is string => !!c);
  if (listed.length === 0 && info?.CidrBlock) listed.push(info.CidrBlock);
  const cidrs = listed.filter((c) => parseIpv4Cidr(c).ok);
  const ipv6 = [
    ...listed.filter((c) => !parseIpv4Cidr(c).ok),
    ...(info?.Ipv6CidrBlockSet ?? []).map((c) => c.Ipv6CidrBlock).filter((c): c is string => !!c),
  ];
  const vpc = { accountId: info?.OwnerId ?? '', vpcId: info?.VpcId ?? '', region: info?.Region ?? fallbackRegion };
  return { ...vpc, cidrs, ipv6 };
}

/** The requester is the customer's side; the accepter is the platform's. */
export function observationOf(pcx: VpcPeeringConnection, region: string): ConnectionObservation {
  const code = pcx.Status?.Code ?? 'unknown';
  const { ipv6, ...customer } = side(pcx.RequesterVpcInfo, region);
  const { ipv6: _platformIpv6, ...platform } = side(pcx.AccepterVpcInfo, region);
  return {
    providerId: pcx.VpcPeeringConnectionId ?? '',
    phase: phases[code] ?? 'failed',
    providerStatus: code,
    providerMessage: pcx.Status?.Message ?? '',
    customer,
    platform,
    expiresAt: pcx.ExpirationTime?.toISOString(),
    ...(ipv6.length ? { notes: [`the requester VPC's IPv6 block(s) ${ipv6.join(', ')} not routed (IPv4 only)`] } : {}),
  };
}

export function awsAdapter(options: AdapterOptions = {}) {
  const clients = new ClientCache<EC2Client>((t) =>
    ec2Client({
      region: t.region,
      endpoint: t.endpoint,
      credentials: {
        accessKeyId: credential(t, 'accessKeyId'),
        secretAccessKey: credential(t, 'secretAccessKey'),
        ...(t.credentials.sessionToken ? { sessionToken: t.credentials.sessionToken } : {}),
      },
      maxAttempts: 2,
      requestTimeoutMs: options.requestTimeoutMs,
    }),
  );
  const call = <T>(t: PlatformTarget, operation: string, fn: () => Promise<T>) =>
    providerCall(t, operation, fn, classifyAwsError, options);

  async function describe(t: PlatformTarget, id: string): Promise<ConnectionObservation | null> {
    // A filter, unlike VpcPeeringConnectionId.N, does not fail the call when the id is unknown.
    const command = new DescribeVpcPeeringConnectionsCommand({
      Filters: [{ Name: 'vpc-peering-connection-id', Values: [id] }],
    });
    const page = await call(t, 'DescribeVpcPeeringConnections', () => clients.get(t).send(command));
    const pcx = (page.VpcPeeringConnections ?? []).find((p) => p.VpcPeeringConnectionId === id);
    return pcx ? observationOf(pcx, t.region) : null;
  }

  async function routes(t: PlatformTarget, connectionId: string, routeTableIds: string[]): Promise<RouteObservation[]> {
    const out: RouteObservation[] = [];
    let token: string | undefined;
    do {
      const command = new DescribeRouteTablesCommand({ RouteTableIds: routeTableIds, NextToken: token });
      const page = await call(t, 'DescribeRouteTables', () => clients.get(t).send(command));
      for (const table of page.RouteTables ?? []) {
        for (const r of table.Routes ?? []) {
          if (r.VpcPeeringConnectionId !== connectionId || !r.DestinationCidrBlock) continue;
          const state = r.State === 'blackhole' ? 'blackhole' : 'active';
          out.push({ tableId: table.RouteTableId ?? '', cidr: r.DestinationCidrBlock, state });
        }
      }
      token = page.NextToken;
    } while (token);
    return out;
  }

  return {
    connections: {
      observe: (t: PlatformTarget, ref: ConnectionRef) => describe(t, ref.connectionId),

      async *list(t: PlatformTarget): AsyncGenerator<ConnectionObservation[]> {
        let token: string | undefined;
        do {
          const command = new DescribeVpcPeeringConnectionsCommand({
            Filters: [{ Name: 'accepter-vpc-info.owner-id', Values: [t.accountId] }],
            MaxResults: 1000,
            NextToken: token,
          });
          const page = await call(t, 'DescribeVpcPeeringConnections', () => clients.get(t).send(command));
          const observed = (page.VpcPeeringConnections ?? []).map((p) => observationOf(p, t.region));
          token = page.NextToken;
          yield observed;
        } while (token);
      },

      /**
       * A request still pending acceptance can only be rejected by the accepter (EC2 lets only the requester delete
       * it); anything later is deleted. Gone already, or already on its way out, counts as done.
       */
      async close(t: PlatformTarget, ref: ConnectionRef, current: ConnectionObservation): Promise<void> {
        const id = ref.connectionId;
        const reject = current.phase === 'awaiting-acceptance';
        try {
          if (reject) {
            const command = new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id });
            await call(t, 'RejectVpcPeeringConnection', () => clients.get(t).send(command));
          } else {
            const command = new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id });
            await call(t, 'DeleteVpcPeeringConnection', () => clients.get(t).send(command));
          }
        } catch (err) {
          if (!(err instanceof ProviderError)) throw err;
          if (isPeeringNotFound(err.providerCode)) return;
          // InvalidStateTransition: fine if it is already on its way out; otherwise observe again.
          const now = await describe(t, id);
          if (
            err.kind === 'conflict' &&
            (!now || ['deleting', 'deleted', 'rejected', 'expired', 'failed'].includes(now.phase))
          )
            return;
          throw err;
        }
      },
    },

    acceptor: {
      async accept(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        const command = new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: ref.connectionId });
        await call(t, 'AcceptVpcPeeringConnection', () => clients.get(t).send(command));
      },
    },

    routes: {
      observe: routes,

      async create(t: PlatformTarget, connectionId: string, wanted: RouteRef[]): Promise<void> {
        for (const r of wanted) {
          const command = new CreateRouteCommand({
            RouteTableId: r.tableId,
            DestinationCidrBlock: r.cidr,
            VpcPeeringConnectionId: connectionId,
          });
          const created = await ignoring([codes.routeAlreadyExists], () =>
            call(t, 'CreateRoute', () => clients.get(t).send(command)),
          );
          if (created) continue;
          // Already there: done if it points at this connection (a retried call, or a crash after the call landed).
          const existing = await routes(t, connectionId, [r.tableId]);
          if (!existing.some((x) => x.cidr === r.cidr && x.state === 'active')) {
            const message = `route table ${r.tableId} already routes ${r.cidr} elsewhere`;
            throw new ProviderError('permanent', 'CreateRoute', codes.routeAlreadyExists, message);
          }
        }
      },

      async remove(t: PlatformTarget, _connectionId: string, gone: RouteRef[]): Promise<void> {
        for (const r of gone) {
          const command = new DeleteRouteCommand({ RouteTableId: r.tableId, DestinationCidrBlock: r.cidr });
          await ignoring([codes.routeNotFound], () => call(t, 'DeleteRoute', () => clients.get(t).send(command)));
        }
      },
    },
  };
}
