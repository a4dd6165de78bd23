/**
 * The AWS adapter: the platform side of a VPC peering on the official @aws-sdk/client-ec2, pointed at whatever
 * endpoint the platform account names (real EC2, or the simulator).
 */
import {
  AcceptVpcPeeringConnectionCommand,
  CreateRouteCommand,
  DeleteRouteCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  EC2Client,
  type VpcPeeringConnection,
  type VpcPeeringConnectionVpcInfo,
} from '@aws-sdk/client-ec2';
import type { ConnectionObservation, ConnectionPhase, RouteObservation, VpcSide } from '../../core/lifecycle.js';
import {
  ProviderError,
  providerCall,
  type OnCall,
  type PeeringAdapter,
  type PlatformTarget,
  type RouteRef,
} from '../provider.js';

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

/** Codes that mean "the state moved under us": observe again rather than fail. */
const conflictCodes = new Set(['InvalidStateTransition', 'IncorrectState', 'VpcPeeringConnectionAlreadyExists']);
const transientCodes = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'InternalError',
  'InternalFailure',
  'Unavailable',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
]);
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

export function classifyAwsError(operation: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as SdkError;
  const code = e.Code ?? e.name ?? e.code ?? 'Unknown';
  const status = e.$metadata?.httpStatusCode ?? 0;
  const message = e.message ?? String(err);
  if (
    transientCodes.has(code) ||
    networkCodes.has(e.code ?? '') ||
    status >= 500 ||
    (status === 0 && e.$fault !== 'client')
  ) {
    return new ProviderError('transient', operation, code, message);
  }
  if (conflictCodes.has(code)) return new ProviderError('conflict', operation, code, message);
  return new ProviderError('permanent', operation, code, message);
}

function side(info: VpcPeeringConnectionVpcInfo | undefined, fallbackRegion: string): VpcSide {
  const cidrs = (info?.CidrBlockSet ?? []).map((c) => c.CidrBlock).filter((c): c is string => !!c);
  if (cidrs.length === 0 && info?.CidrBlock) cidrs.push(info.CidrBlock);
  return { accountId: info?.OwnerId ?? '', vpcId: info?.VpcId ?? '', region: info?.Region ?? fallbackRegion, cidrs };
}

export function observationOf(pcx: VpcPeeringConnection, region: string): ConnectionObservation {
  const code = pcx.Status?.Code ?? 'unknown';
  return {
    providerId: pcx.VpcPeeringConnectionId ?? '',
    phase: phases[code] ?? 'failed',
    providerStatus: code,
    providerMessage: pcx.Status?.Message ?? '',
    requester: side(pcx.RequesterVpcInfo, region),
    accepter: side(pcx.AccepterVpcInfo, region),
    expiresAt: pcx.ExpirationTime?.toISOString(),
  };
}

export class AwsAdapter implements PeeringAdapter {
  private readonly clients = new Map<string, EC2Client>();

  constructor(private readonly options: { maxAttempts?: number; requestTimeoutMs?: number; onCall?: OnCall } = {}) {}

  private client(t: PlatformTarget): EC2Client {
    const key = `${t.endpoint ?? ''}|${t.region}|${t.credentials.accessKeyId}`;
    let c = this.clients.get(key);
    if (!c) {
      c = new EC2Client({
        region: t.region,
        endpoint: t.endpoint,
        credentials: t.credentials,
        maxAttempts: this.options.maxAttempts ?? 2,
        // throwOnRequestTimeout: this smithy version only logs a warning on timeout otherwise, leaving the step hanging.
        requestHandler: {
          requestTimeout: this.options.requestTimeoutMs ?? 10_000,
          connectionTimeout: 5_000,
          throwOnRequestTimeout: true,
        },
      });
      this.clients.set(key, c);
    }
    return c;
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return providerCall(operation, fn, classifyAwsError, this.options.onCall);
  }

  async describe(t: PlatformTarget, ids: string[]): Promise<Map<string, ConnectionObservation>> {
    const out = new Map<string, ConnectionObservation>();
    // Filters, unlike VpcPeeringConnectionId.N, do not fail the whole call when one id is unknown.
    for (let i = 0; i < ids.length; i += 200) {
      let token: string | undefined;
      do {
        const page = await this.call('DescribeVpcPeeringConnections', () =>
          this.client(t).send(
            new DescribeVpcPeeringConnectionsCommand({
              Filters: [{ Name: 'vpc-peering-connection-id', Values: ids.slice(i, i + 200) }],
              MaxResults: 1000,
              NextToken: token,
            }),
          ),
        );
        for (const pcx of page.VpcPeeringConnections ?? [])
          out.set(pcx.VpcPeeringConnectionId ?? '', observationOf(pcx, t.region));
        token = page.NextToken;
      } while (token);
    }
    return out;
  }

  async *listAccepted(t: PlatformTarget): AsyncGenerator<ConnectionObservation[]> {
    let token: string | undefined;
    do {
      const page = await this.call('DescribeVpcPeeringConnections', () =>
        this.client(t).send(
          new DescribeVpcPeeringConnectionsCommand({
            Filters: [{ Name: 'accepter-vpc-info.owner-id', Values: [t.accountId] }],
            MaxResults: 1000,
            NextToken: token,
          }),
        ),
      );
      yield (page.VpcPeeringConnections ?? []).map((p) => observationOf(p, t.region));
      token = page.NextToken;
    } while (token);
  }

  async routes(t: PlatformTarget, connectionId: string, routeTableIds: string[]): Promise<RouteObservation[]> {
    const out: RouteObservation[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('DescribeRouteTables', () =>
        this.client(t).send(new DescribeRouteTablesCommand({ RouteTableIds: routeTableIds, NextToken: token })),
      );
      for (const table of page.RouteTables ?? []) {
        for (const r of table.Routes ?? []) {
          if (r.VpcPeeringConnectionId === connectionId && r.DestinationCidrBlock) {
            out.push({
              tableId: table.RouteTableId ?? '',
              cidr: r.DestinationCidrBlock,
              state: r.State === 'blackhole' ? 'blackhole' : 'active',
            });
          }
        }
      }
      token = page.NextToken;
    } while (token);
    return out;
  }

  async accept(t: PlatformTarget, connectionId: string): Promise<void> {
    await this.call('AcceptVpcPeeringConnection', () =>
      this.client(t).send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: connectionId })),
    );
  }

  async createRoutes(t: PlatformTarget, connectionId: string, routes: RouteRef[]): Promise<void> {
    for (const r of routes) {
      try {
        await this.call('CreateRoute', () =>
          this.client(t).send(
            new CreateRouteCommand({
              RouteTableId: r.tableId,
              DestinationCidrBlock: r.cidr,
              VpcPeeringConnectionId: connectionId,
            }),
          ),
        );
      } catch (err) {
        if (!(err instanceof ProviderError) || err.providerCode !== 'RouteAlreadyExists') throw err;
        // Already there: done if it points at this connection (a retried call, or a crash after the call landed).
        const existing = await this.routes(t, connectionId, [r.tableId]);
        if (!existing.some((x) => x.cidr === r.cidr && x.state === 'active')) {
          throw new ProviderError(
            'permanent',
            'CreateRoute',
            'RouteAlreadyExists',
            `route table ${r.tableId} already routes ${r.cidr} elsewhere`,
          );
        }
      }
    }
  }

  async deleteRoutes(t: PlatformTarget, _connectionId: string, routes: RouteRef[]): Promise<void> {
    for (const r of routes) {
      try {
        await this.call('DeleteRoute', () =>
          this.client(t).send(new DeleteRouteCommand({ RouteTableId: r.tableId, DestinationCidrBlock: r.cidr })),
        );
      } catch (err) {
        if (!(err instanceof ProviderError) || err.providerCode !== 'InvalidRoute.NotFound') throw err;
      }
    }
  }

  async deleteConnection(t: PlatformTarget, connectionId: string): Promise<void> {
    try {
      await this.call('DeleteVpcPeeringConnection', () =>
        this.client(t).send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: connectionId })),
      );
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (err.providerCode === 'InvalidVpcPeeringConnectionID.NotFound') return;
      // InvalidStateTransition on delete: fine if it is already on its way out.
      const now = (await this.describe(t, [connectionId])).get(connectionId);
      if (
        err.kind === 'conflict' &&
        (!now || ['deleting', 'deleted', 'rejected', 'expired', 'failed'].includes(now.phase))
      )
        return;
      throw err;
    }
  }
}
