/**
 * Tencent Cloud API 3.0 over the TcWorld, as `tencentcloud-sdk-nodejs` speaks it: POST `/` with a JSON body, the
 * action in `X-TC-Action`, `X-TC-Version: 2017-03-12`, `X-TC-Region`, a TC3-HMAC-SHA256 `Authorization`; answers are
 * always HTTP 200 with a `Response` envelope carrying `RequestId`, errors as `Response.Error {Code, Message}`.
 *
 * Over 300 lines on purpose: every action's parameters and answer shape, one switch, as the API reference lists them.
 */
import { randomUUID } from 'node:crypto';
import type { CloudSim, SimRequest, WireResponse } from '../sim/server.js';
import { sleep } from '../sim/server.js';
import type { FaultPlan } from '../sim/faults.js';
import { TcError, type TcWorld, type Attachment, type TcCaller } from './sim-world.js';

type Body = Record<string, unknown>;
interface Filter {
  Name: string;
  Values: string[];
}
interface Instance {
  InstanceId: string;
  InstanceRegion: string;
  InstanceType?: string;
  Description?: string;
}

const stamp = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 19);

function page<T>(items: T[], b: Body, max: number, fallback: number): T[] {
  const offset = b.Offset === undefined ? 0 : Number(b.Offset);
  const limit = b.Limit === undefined ? fallback : Number(b.Limit);
  if (!Number.isInteger(offset) || offset < 0)
    throw new TcError('InvalidParameterValue.Range', `Offset ${String(b.Offset)} is out of range.`);
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw new TcError('InvalidParameterValue.Range', `Limit ${String(b.Limit)} is out of range [1, ${max}].`);
  return items.slice(offset, offset + limit);
}

function filtered<T>(items: T[], filters: Filter[] | undefined, fields: Record<string, (x: T) => string>): T[] {
  let out = items;
  for (const f of filters ?? []) {
    const get = fields[f.Name];
    if (!get) throw new TcError('InvalidParameter.FilterInvalidKey', `The filter ${f.Name} is not supported.`);
    out = out.filter((x) => f.Values.includes(get(x)));
  }
  return out;
}

function instances(b: Body): Instance[] {
  const list = b.Instances as Instance[] | undefined;
  if (!Array.isArray(list) || list.length === 0)
    throw new TcError('MissingParameter', 'The parameter Instances is required.');
  for (const i of list) {
    // CcnInstance.InstanceType is required (tencentcloud-sdk-nodejs vpc_models.d.ts)
    if (!i.InstanceType) throw new TcError('MissingParameter', 'The parameter Instances.InstanceType is required.');
    if (i.InstanceType !== 'VPC')
      throw new TcError('InvalidParameterValue', `The simulator attaches VPCs only, not ${i.InstanceType}.`);
  }
  return list;
}

function required(b: Body, name: string): string {
  const v = b[name];
  if (typeof v !== 'string' || !v) throw new TcError('MissingParameter', `The parameter ${name} is required.`);
  return v;
}

/** The TC3-HMAC-SHA256 Authorization header's shape (the signature is checked for form, not recomputed). */
const tc3Authorization = new RegExp(
  String.raw`^TC3-HMAC-SHA256 Credential=([^/]+)/\d{4}-\d{2}-\d{2}/[^/]+/tc3_request, ` +
    String.raw`SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$`,
);

export class TcSimulator implements CloudSim {
  readonly prefix = '/tencent';

  constructor(
    readonly world: TcWorld,
    private readonly faults: FaultPlan,
  ) {}

  /** The SDK posts to the endpoint's root; every Tencent call names its action in X-TC-Action. */
  claims(req: SimRequest): boolean {
    return typeof req.headers['x-tc-action'] === 'string';
  }

  private attachmentJson(a: Attachment) {
    const vpc = this.world.vpcs.get(a.instanceId);
    const ccn = this.world.ccns.get(a.ccnId);
    return {
      CcnId: a.ccnId,
      InstanceType: 'VPC',
      InstanceId: a.instanceId,
      InstanceName: a.instanceId,
      InstanceRegion: a.instanceRegion,
      InstanceUin: a.instanceUin,
      CidrBlock: vpc ? [vpc.cidr] : [],
      State: a.state,
      AttachedTime: stamp(a.attachedAt),
      CcnUin: ccn?.ownerUin ?? '',
      InstanceArea: 'CHINA_MAINLAND',
      Description: a.description,
      RouteTableId: `ccnrtb-${a.ccnId.slice(4)}`,
      RouteTableName: 'default',
    };
  }

  private dispatch(action: string, b: Body, caller: TcCaller): Body {
    const w = this.world;
    switch (action) {
      case 'DescribeVpcs': {
        const ids = (b.VpcIds as string[] | undefined) ?? [];
        const vpcs = [...w.vpcs.values()].filter(
          (v) => v.uin === caller.uin && v.region === caller.region && (ids.length === 0 || ids.includes(v.id)),
        );
        return {
          TotalCount: vpcs.length,
          VpcSet: page(vpcs, b, 100, 20).map((v) => ({ VpcId: v.id, VpcName: v.id, CidrBlock: v.cidr })),
        };
      }
      case 'CreateCcn': {
        const ccn = w.createCcn(caller, required(b, 'CcnName'), (b.CcnDescription as string) ?? '');
        return {
          Ccn: {
            CcnId: ccn.id,
            CcnName: ccn.name,
            CcnDescription: ccn.description,
            InstanceCount: 0,
            CreateTime: stamp(ccn.createdAt),
            State: 'AVAILABLE',
            QosLevel: 'AU',
            InstanceChargeType: 'POSTPAID',
            BandwidthLimitType: 'OUTER_REGION_LIMIT',
            TagSet: [],
          },
        };
      }
      case 'DescribeCcns': {
        const ids = b.CcnIds as string[] | undefined;
        let ccns = [...w.ccns.values()].filter((c) => w.canRead(caller, c.id));
        if (ids?.length) ccns = ccns.filter((c) => ids.includes(c.id));
        ccns = filtered(ccns, b.Filters as Filter[], {
          'ccn-id': (c) => c.id,
          'ccn-name': (c) => c.name,
          state: () => 'AVAILABLE',
        });
        return {
          TotalCount: ccns.length,
          CcnSet: page(ccns, b, 100, 20).map((c) => ({
            CcnId: c.id,
            CcnName: c.name,
            CcnDescription: c.description,
            InstanceCount: w.attachments.filter((a) => a.ccnId === c.id && a.state === 'ACTIVE').length,
            CreateTime: stamp(c.createdAt),
            State: 'AVAILABLE',
            TagSet: [],
          })),
        };
      }
      case 'AttachCcnInstances':
        w.attach(
          caller,
          required(b, 'CcnId'),
          b.CcnUin as string | undefined,
          instances(b).map((i) => ({
            instanceId: i.InstanceId,
            instanceRegion: i.InstanceRegion,
            description: i.Description,
          })),
        );
        return {};
      case 'AcceptAttachCcnInstances':
        w.accept(
          caller,
          required(b, 'CcnId'),
          instances(b).map((i) => i.InstanceId),
        );
        return {};
      case 'RejectAttachCcnInstances':
        w.reject(
          caller,
          required(b, 'CcnId'),
          instances(b).map((i) => i.InstanceId),
        );
        return {};
      case 'ResetAttachCcnInstances':
        w.reset(
          caller,
          required(b, 'CcnId'),
          required(b, 'CcnUin'),
          instances(b).map((i) => i.InstanceId),
        );
        return {};
      case 'DetachCcnInstances':
        w.detach(
          caller,
          required(b, 'CcnId'),
          instances(b).map((i) => i.InstanceId),
        );
        return {};
      case 'DescribeCcnAttachedInstances': {
        const items = filtered(w.visible(caller, b.CcnId as string | undefined), b.Filters as Filter[], {
          'ccn-id': (a) => a.ccnId,
          'instance-type': () => 'VPC',
          'instance-region': (a) => a.instanceRegion,
          'instance-id': (a) => a.instanceId,
        }).sort((x, y) => x.attachedAt.getTime() - y.attachedAt.getTime() || x.instanceId.localeCompare(y.instanceId));
        return { TotalCount: items.length, InstanceSet: page(items, b, 100, 20).map((a) => this.attachmentJson(a)) };
      }
      case 'DescribeCcnRoutes': {
        const ccnId = required(b, 'CcnId');
        // a CCN the caller may not read is not found, as far as it can tell (the applicant: see `applicantReadsCcn`)
        if (!w.canRead(caller, ccnId))
          throw new TcError('ResourceNotFound', `The specified CCN ${ccnId} does not exist.`);
        const ids = b.RouteIds as string[] | undefined;
        if (ids?.length && (b.Filters as Filter[] | undefined)?.length)
          throw new TcError('InvalidParameter.Coexist', 'RouteIds and Filters cannot be specified at the same time.');
        let routes = w.routes(ccnId);
        if (ids?.length) routes = routes.filter((r) => ids.includes(r.id));
        routes = filtered(routes, b.Filters as Filter[], {
          'route-id': (r) => r.id,
          'cidr-block': (r) => r.destination,
          'instance-type': () => 'VPC',
          'instance-region': (r) => r.instanceRegion,
          'instance-id': (r) => r.instanceId,
        });
        return {
          TotalCount: routes.length,
          RouteSet: page(routes, b, 100, 20).map((r) => ({
            RouteId: r.id,
            DestinationCidrBlock: r.destination,
            InstanceType: 'VPC',
            InstanceId: r.instanceId,
            InstanceName: r.instanceId,
            InstanceRegion: r.instanceRegion,
            InstanceUin: r.instanceUin,
            UpdateTime: stamp(r.updatedAt),
            Enabled: r.enabled,
            ExtraState: r.extraState,
            IsBgp: false,
            RoutePriority: 0,
            RouteTableId: `ccnrtb-${ccnId.slice(4)}`,
          })),
        };
      }
      case 'EnableCcnRoutes':
      case 'DisableCcnRoutes':
        w.setRouteEnabled(caller, required(b, 'CcnId'), (b.RouteIds as string[]) ?? [], action === 'EnableCcnRoutes');
        return {};
      default:
        throw new TcError('InvalidAction', `The action ${action} is not supported.`);
    }
  }

  async handle(req: SimRequest): Promise<WireResponse> {
    const requestId = randomUUID();
    const ok = (response: Body): WireResponse => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Response: { ...response, RequestId: requestId } }),
    });
    const fail = (code: string, message: string) => ok({ Error: { Code: code, Message: message } });
    const action = String(req.headers['x-tc-action'] ?? '');
    const region = String(req.headers['x-tc-region'] ?? '');
    const auth = tc3Authorization.exec(String(req.headers.authorization ?? ''));
    const account = auth ? this.world.accountById(auth[1]) : undefined;
    let body: Body;
    try {
      body = req.body ? (JSON.parse(req.body) as Body) : {};
    } catch {
      return fail('InvalidParameter', 'The request body is not valid JSON.');
    }
    const verdict = this.faults.onCall({
      provider: 'tencent',
      action,
      account: account?.uin ?? auth?.[1] ?? '',
      region,
      at: this.world.clock.now().toISOString(),
      target: (body.CcnId as string) ?? undefined,
    });
    if (verdict.latencyMs) await sleep(verdict.latencyMs);
    if (!auth)
      return fail(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated. Please check your signature is correct.',
      );
    if (!account)
      return fail(
        'AuthFailure.SecretIdNotFound',
        'The SecretId is not found, please ensure that your SecretId is correct.',
      );
    if (req.headers['x-tc-version'] !== '2017-03-12')
      return fail('NoSuchVersion', `The version ${String(req.headers['x-tc-version'])} is not supported.`);
    if (!region) return fail('MissingParameter', 'The parameter Region is required.');
    if (verdict.error === 'throttle')
      return fail(
        'RequestLimitExceeded',
        'Your current request times equals to `100` in a second, which exceeds the frequency limit `100` for a ' +
          'second. Please reduce the frequency of calls.',
      );
    if (verdict.error === 'server-error')
      return fail('InternalError', 'An internal error has occurred. Retry your request.');
    if (verdict.error === 'unavailable')
      return {
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>502 Bad Gateway</body></html>',
      };
    try {
      return ok(this.dispatch(action, body, { uin: account.uin, region }));
    } catch (err) {
      if (err instanceof TcError) return fail(err.code, err.message);
      throw err;
    }
  }

  /** Control operations for tests, the demo and `peerlink sim tencent …`. */
  control(op: string, body: Record<string, unknown>): unknown {
    const w = this.world;
    switch (op) {
      case 'account': {
        const a = w.createAccount(
          body.uin as string | undefined,
          body.secretId as string | undefined,
          body.secretKey as string | undefined,
        );
        return { uin: a.uin, secretId: a.secretId, secretKey: a.secretKey };
      }
      case 'vpc': {
        const v = w.createVpc(
          { uin: String(body.uin), region: String(body.region) },
          String(body.cidr),
          body.vpcId as string | undefined,
        );
        return { vpcId: v.id, cidr: v.cidr };
      }
      default:
        throw new Error(`unknown tencent control operation ${op}`);
    }
  }

  snapshot(): unknown {
    const w = this.world;
    return {
      accounts: [...w.accounts.values()].map((a) => ({ uin: a.uin, secretId: a.secretId })),
      vpcs: [...w.vpcs.values()],
      ccns: [...w.ccns.values()],
      attachments: w.attachments,
    };
  }
}
