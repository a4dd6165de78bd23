/**
 * Alibaba Cloud's RPC protocol over the AliWorld, as the official SDK speaks it: POST to `/`, the action in the
 * `x-acs-action` header (ACS3-HMAC-SHA256) or the `Action` query parameter (the classic v2 signature), parameters in
 * the query string (VPC 2016-04-28) or a form body (VpcPeer 2022-01-01), JSON answers with `RequestId`, errors as
 * 4xx/5xx `{RequestId, HostId, Code, Message, Recommend}`. UIDs are int64 numbers on the wire, written digit for
 * digit (an 18-digit UID does not fit a double).
 *
 * Over 300 lines on purpose: every action's parameters and answer shape, one switch, as the API reference lists them.
 */
import { randomUUID } from 'node:crypto';
import type { CloudSim, SimRequest, WireResponse } from '../sim/server.js';
import { sleep } from '../sim/server.js';
import type { FaultPlan } from '../sim/faults.js';
import { AliError, type AliWorld, type AliCaller, type Pcc } from './sim-world.js';

const PEER_VERSION = '2022-01-01';
/**
 * Where RegionId belongs. The VPC 2016-04-28 route actions and CreateVpcPeerConnection require it;
 * ListVpcPeerConnections takes it optionally; Get/Accept/Reject/Delete take none (VpcPeer 2022-01-01 metadata and
 * the official client).
 */
const regionRequired = new Set([
  'CreateVpcPeerConnection',
  'CreateRouteEntry',
  'DeleteRouteEntry',
  'DescribeRouteEntryList',
]);
const regionOptional = new Set(['ListVpcPeerConnections']);
/** ClientToken: "at most 64 ASCII characters"; a repeat by the same caller answers what the first call did. */
const clientTokenShape = /^[\x20-\x7e]{1,64}$/;
const clientTokenTtlMs = 3_600_000;
const VPC_VERSION = '2016-04-28';
/** v2 signature parameters: protocol, not input */
const common = new Set([
  'Action',
  'Version',
  'Format',
  'Timestamp',
  'SignatureNonce',
  'SignatureMethod',
  'SignatureVersion',
  'AccessKeyId',
  'Signature',
  'RegionId',
]);

/** An int64 written as a bare JSON number, digit for digit. */
const int64 = (digits: string) => `\u0000int64:${digits}`;
function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000int64:(-?\d+)"/g, '$1');
}

function time(d: Date | undefined): string {
  return d ? `${d.toISOString().slice(0, 19)}Z` : '';
}

function intParam(p: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = p.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new AliError(`IllegalParam.${name}`, `The param of ${name} [${raw}] is illegal.`);
  return n;
}

function page<T>(
  items: T[],
  p: URLSearchParams,
  sizeParam: string,
  max: number,
  fallback: number,
): { items: T[]; nextToken: string } {
  const size = intParam(p, sizeParam, 1, max, fallback);
  const token = p.get('NextToken');
  let start = 0;
  if (token) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > items.length)
      throw new AliError('IllegalParam.NextToken', `The param of NextToken [${token}] is illegal.`);
  }
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : '';
  return { items: items.slice(start, start + size), nextToken: next };
}

function required(p: URLSearchParams, name: string): string {
  const v = p.get(name);
  if (!v) throw new AliError(`MissingParam.${name}`, `The parameter ${name} is mandatory.`);
  return v;
}

export class AliSimulator implements CloudSim {
  readonly prefix = '/alibaba';

  constructor(
    readonly world: AliWorld,
    private readonly faults: FaultPlan,
  ) {}

  /** The SDK posts to `/` of the endpoint host: every Alibaba call names its API version in a header. */
  claims(req: SimRequest): boolean {
    return typeof req.headers['x-acs-version'] === 'string';
  }

  private pccJson(p: Pcc) {
    const side = (vpcId: string) => ({ VpcId: vpcId, Ipv4Cidrs: this.world.cidrsOf(vpcId), Ipv6Cidrs: [] });
    return {
      InstanceId: p.id,
      Name: p.name,
      Description: p.description,
      Status: p.status,
      BizStatus: 'Normal',
      OwnerId: int64(p.ownerUid),
      AcceptingOwnerUid: int64(p.acceptingOwnerUid),
      RegionId: p.regionId,
      AcceptingRegionId: p.acceptingRegionId,
      Bandwidth: p.bandwidth,
      GmtCreate: time(p.gmtCreate),
      GmtModified: time(p.gmtModified),
      ...(p.status === 'Accepting' || p.status === 'Expired' ? { GmtExpired: time(p.gmtExpired) } : {}),
      ResourceGroupId: 'rg-acfmzkxxxxxxxxx',
      Tags: [],
      Vpc: side(p.vpcId),
      AcceptingVpc: side(p.acceptingVpcId),
    };
  }

  private peer(action: string, p: URLSearchParams, caller: AliCaller): Record<string, unknown> {
    const w = this.world;
    switch (action) {
      case 'CreateVpcPeerConnection': {
        const bandwidth = p.get('Bandwidth');
        const pcc = w.createConnection(
          { uid: caller.uid, region: caller.region ?? '' },
          {
            vpcId: required(p, 'VpcId'),
            acceptingAliUid: p.get('AcceptingAliUid') ?? undefined,
            acceptingRegionId: p.get('AcceptingRegionId') ?? undefined,
            acceptingVpcId: required(p, 'AcceptingVpcId'),
            name: p.get('Name') ?? undefined,
            description: p.get('Description') ?? undefined,
            bandwidth: bandwidth ? Number(bandwidth) : undefined,
            clientToken: p.get('ClientToken') ?? undefined,
            dryRun: p.get('DryRun') === 'true',
          },
        );
        return { InstanceId: pcc.id };
      }
      case 'AcceptVpcPeerConnection':
        w.accept(caller, required(p, 'InstanceId'));
        return {};
      case 'RejectVpcPeerConnection':
        w.reject(caller, required(p, 'InstanceId'));
        return {};
      case 'DeleteVpcPeerConnection':
        w.delete(caller, required(p, 'InstanceId'), p.get('Force') === 'true');
        return {};
      case 'GetVpcPeerConnectionAttribute':
        return this.pccJson(w.get(caller, required(p, 'InstanceId')));
      case 'ListVpcPeerConnections': {
        // VpcId is an array of at most two, sent comma-joined ("simple" style); it matches either side.
        const vpcIds = (p.get('VpcId') ?? '').split(',').filter(Boolean);
        if (vpcIds.length > 2)
          throw new AliError('IllegalParam.VpcId', `The param of VpcId [${p.get('VpcId')}] is illegal.`);
        const instanceId = p.get('InstanceId');
        const name = p.get('Name');
        const items = w
          .list(caller)
          .filter((x) => !instanceId || x.id === instanceId)
          .filter((x) => !name || x.name === name)
          .filter((x) => vpcIds.length === 0 || vpcIds.includes(x.vpcId) || vpcIds.includes(x.acceptingVpcId));
        const { items: pageItems, nextToken } = page(items, p, 'MaxResults', 100, 20);
        return {
          TotalCount: items.length,
          MaxResults: intParam(p, 'MaxResults', 1, 100, 20),
          NextToken: nextToken,
          VpcPeerConnects: pageItems.map((x) => this.pccJson(x)),
        };
      }
      default:
        throw new AliError(
          'InvalidAction.NotFound',
          `Specified api ${action} is not found, please check your url and method.`,
          404,
        );
    }
  }

  private vpc(action: string, p: URLSearchParams, caller: AliCaller): Record<string, unknown> {
    const w = this.world;
    switch (action) {
      case 'CreateRouteEntry': {
        const e = w.createRouteEntry(
          caller,
          required(p, 'RouteTableId'),
          required(p, 'DestinationCidrBlock'),
          required(p, 'NextHopType'),
          required(p, 'NextHopId'),
        );
        return { RouteEntryId: e.id };
      }
      case 'DeleteRouteEntry':
        w.deleteRouteEntry(caller, required(p, 'RouteTableId'), {
          destinationCidrBlock: p.get('DestinationCidrBlock') ?? undefined,
          nextHopId: p.get('NextHopId') ?? undefined,
          routeEntryId: p.get('RouteEntryId') ?? undefined,
        });
        return {};
      case 'DescribeRouteEntryList': {
        // this action's own not-found code (400), unlike CreateRouteEntry's InvalidRouteTableId.NotFound (404)
        const t = (() => {
          try {
            return w.ownRouteTable(caller, required(p, 'RouteTableId'));
          } catch (err) {
            if (err instanceof AliError && err.code === 'InvalidRouteTableId.NotFound')
              throw new AliError('InvalidRouteTable.NotFound', err.message);
            throw err;
          }
        })();
        const nextHopId = p.get('NextHopId');
        const destination = p.get('DestinationCidrBlock');
        const entries = w
          .entriesOf(t)
          .filter(
            (e) =>
              (!nextHopId || e.nextHopId === nextHopId) && (!destination || e.destinationCidrBlock === destination),
          );
        const { items, nextToken } = page(entries, p, 'MaxResult', 100, 10);
        // no TotalCount: the current model (vpc-20160428 DescribeRouteEntryListResponseBody) has none
        return {
          NextToken: nextToken,
          RouteEntrys: {
            RouteEntry: items.map((e) => ({
              RouteEntryId: e.id,
              RouteTableId: t.id,
              DestinationCidrBlock: e.destinationCidrBlock,
              Type: e.type,
              Status: e.status,
              IpVersion: 'ipv4',
              NextHops: {
                NextHop: e.nextHopId
                  ? [{ NextHopType: e.nextHopType, NextHopId: e.nextHopId, Enabled: 1, Weight: 0 }]
                  : [],
              },
            })),
          },
        };
      }
      default:
        throw new AliError(
          'InvalidAction.NotFound',
          `Specified api ${action} is not found, please check your url and method.`,
          404,
        );
    }
  }

  private error(code: string, message: string, status: number, host: string): WireResponse {
    const requestId = randomUUID().toUpperCase();
    return {
      status,
      headers: { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId },
      body: toJson({
        RequestId: requestId,
        HostId: host,
        Code: code,
        Message: message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${code}`,
      }),
    };
  }

  async handle(req: SimRequest): Promise<WireResponse> {
    const query = new URLSearchParams(req.query);
    const version = String(req.headers['x-acs-version'] ?? query.get('Version') ?? '');
    const action = String(req.headers['x-acs-action'] ?? query.get('Action') ?? '');
    const host = version === PEER_VERSION ? 'vpcpeer.aliyuncs.com' : 'vpc.aliyuncs.com';
    // ACS3: `Authorization: ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=…,Signature=<hex>`; v2: AccessKeyId +
    // Signature in the query.
    const auth = String(req.headers.authorization ?? '');
    const acs3 = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=[^,]+,Signature=[0-9a-f]{64}$/.exec(auth);
    const accessKeyId = acs3
      ? acs3[1]
      : query.get('Signature') && query.get('SignatureMethod') === 'HMAC-SHA1'
        ? query.get('AccessKeyId')
        : null;
    const params = new URLSearchParams();
    for (const [k, v] of query) if (!common.has(k)) params.set(k, v);
    if (query.get('RegionId')) params.set('RegionId', query.get('RegionId') as string);
    for (const [k, v] of new URLSearchParams(req.body)) params.set(k, v);
    const account = accessKeyId ? this.world.accountByKey(accessKeyId) : undefined;
    const region = params.get('RegionId') ?? '';
    const target = params.get('InstanceId') ?? params.get('RouteTableId') ?? undefined;
    const verdict = this.faults.onCall({
      provider: 'alibaba',
      action,
      account: account?.uid ?? accessKeyId ?? '',
      region,
      at: this.world.clock.now().toISOString(),
      target,
    });
    if (verdict.latencyMs) await sleep(verdict.latencyMs);
    if (!accessKeyId)
      return this.error(
        'IncompleteSignature',
        'The request signature does not conform to Aliyun standards.',
        400,
        host,
      );
    if (!account)
      return this.error('InvalidAccessKeyId.NotFound', `Specified access key is not found: ${accessKeyId}`, 404, host);
    if (verdict.error === 'throttle')
      return this.error('Throttling.User', 'Request was denied due to user flow control.', 400, host);
    if (verdict.error === 'server-error')
      return this.error(
        'InternalError',
        'The request processing has failed due to some unknown error, exception or failure.',
        500,
        host,
      );
    if (verdict.error === 'unavailable')
      return this.error(
        'ServiceUnavailable',
        'The request has failed due to a temporary failure of the server.',
        503,
        host,
      );
    try {
      if (regionRequired.has(action) && !region)
        throw new AliError('MissingParam.RegionId', 'The parameter RegionId is mandatory.');
      const takesRegion = regionRequired.has(action) || regionOptional.has(action) || version !== PEER_VERSION;
      if (region && !takesRegion && !this.world.options.assume.extraRegionIdIgnored)
        throw new AliError('InvalidParameter', `RegionId is not a parameter of ${action}.`);
      const caller: AliCaller = takesRegion && region ? { uid: account.uid, region } : { uid: account.uid };
      const token = params.get('ClientToken');
      if (token !== null && !clientTokenShape.test(token))
        throw new AliError('IllegalParam.ClientToken', `The param of ClientToken [${token}] is illegal.`);
      const key = token ? `${account.uid}|${action}|${token}` : '';
      const now = this.world.clock.now().getTime();
      const again = key ? this.world.clientTokens.get(key) : undefined;
      const body =
        again && now - again.at < clientTokenTtlMs
          ? again.body
          : version === PEER_VERSION
            ? this.peer(action, params, caller)
            : version === VPC_VERSION
              ? this.vpc(action, params, caller)
              : (() => {
                  throw new AliError('InvalidVersion', `Specified parameter Version [${version}] is not valid.`, 404);
                })();
      if (key && !again) this.world.clientTokens.set(key, { at: now, body });
      const requestId = randomUUID().toUpperCase();
      return {
        status: 200,
        headers: { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId },
        body: toJson({ RequestId: requestId, ...body }),
      };
    } catch (err) {
      if (err instanceof AliError) return this.error(err.code, err.message, err.status, host);
      throw err;
    }
  }

  /** Control operations for tests, the demo and `peerlink sim alibaba …`. */
  control(op: string, body: Record<string, unknown>): unknown {
    const w = this.world;
    switch (op) {
      case 'account': {
        const a = w.createAccount(
          body.uid as string | undefined,
          body.accessKeyId as string | undefined,
          body.accessKeySecret as string | undefined,
        );
        return { uid: a.uid, accessKeyId: a.accessKeyId, accessKeySecret: a.accessKeySecret };
      }
      case 'vpc': {
        const vpc = w.createVpc({ uid: String(body.uid), region: String(body.region) }, String(body.cidr), {
          vpcId: body.vpcId as string | undefined,
          routeTableId: body.routeTableId as string | undefined,
        });
        return { vpcId: vpc.id, cidr: vpc.cidrs[0], routeTableId: vpc.routeTableId };
      }
      default:
        throw new Error(`unknown alibaba control operation ${op}`);
    }
  }

  snapshot(): unknown {
    const w = this.world;
    return {
      accounts: [...w.accounts.values()].map((a) => ({ uid: a.uid, accessKeyId: a.accessKeyId })),
      vpcs: [...w.vpcs.values()],
      routeTables: [...w.routeTables.values()].map((t) => ({
        ...t,
        entries: w.entriesOf(t),
      })),
      connections: [...w.connections.values()],
    };
  }
}
