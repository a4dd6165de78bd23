/**
 * EC2 Query protocol over the AwsWorld: form-encoded `Action=…&Version=2016-11-15` in, the XML the official SDK
 * parses out. The caller's account comes from the SigV4 credential scope's access key, the region from its scope.
 *
 * Over 300 lines on purpose: every action's parameters and answer shape, one switch, as the API reference lists them.
 */
import { randomUUID } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import type { CloudSim, SimRequest, WireResponse } from '../sim/server.js';
import { sleep } from '../sim/server.js';
import type { FaultPlan } from '../sim/faults.js';
import { type AwsWorld, Ec2Error, type Caller, type IngressRule, type Pcx, type RouteTable } from './sim-world.js';

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });

type Params = URLSearchParams;

/** `Name.1`, `Name.2`, … */
function list(p: Params, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; p.has(`${name}.${i}`); i++) out.push(p.get(`${name}.${i}`) as string);
  return out;
}

function filters(p: Params): Array<{ name: string; values: string[] }> {
  const out = [];
  for (let i = 1; p.has(`Filter.${i}.Name`); i++)
    out.push({ name: p.get(`Filter.${i}.Name`) as string, values: list(p, `Filter.${i}.Value`) });
  return out;
}

function page<T>(items: T[], p: Params, min: number, max: number): { items: T[]; nextToken?: string } {
  const raw = p.get('MaxResults');
  const token = p.get('NextToken');
  let start = 0;
  if (token) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > items.length)
      throw new Ec2Error('InvalidNextToken', `The token '${token}' is invalid`);
  }
  if (raw === null) return { items: items.slice(start) };
  const size = Number(raw);
  if (!Number.isInteger(size) || size < min || size > max)
    throw new Ec2Error(
      'InvalidParameterValue',
      `Value ( ${raw} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
    );
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { items: slice, nextToken: next };
}

const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';

function itemSet<T>(values: T[]): { item: T[] } | '' {
  return values.length ? { item: values } : '';
}

export class AwsSimulator implements CloudSim {
  readonly prefix = '/aws';

  constructor(
    readonly world: AwsWorld,
    private readonly faults: FaultPlan,
  ) {}

  private pcxXml(p: Pcx) {
    const side = (s: Pcx['requester'], withCidr: boolean) => {
      const cidrs = this.world.cidrsOf(s);
      const ipv6 = this.world.vpcs.get(s.vpcId)?.ipv6Cidrs ?? [];
      return {
        ownerId: s.ownerId,
        vpcId: s.vpcId,
        ...(withCidr && cidrs.length
          ? { cidrBlock: cidrs[0], cidrBlockSet: itemSet(cidrs.map((c) => ({ cidrBlock: c }))) }
          : {}),
        ...(withCidr && ipv6.length ? { ipv6CidrBlockSet: itemSet(ipv6.map((c) => ({ ipv6CidrBlock: c }))) } : {}),
        region: s.region,
      };
    };
    const active = p.code === 'active';
    return {
      vpcPeeringConnectionId: p.id,
      requesterVpcInfo: side(p.requester, true),
      accepterVpcInfo: side(p.accepter, active),
      status: { code: p.code, message: p.message },
      ...(p.expirationTime ? { expirationTime: p.expirationTime.toISOString() } : {}),
      tagSet: itemSet(Object.entries(p.tags).map(([key, value]) => ({ key, value }))),
    };
  }

  private rtbXml(t: RouteTable) {
    return {
      routeTableId: t.id,
      vpcId: t.vpcId,
      ownerId: t.ownerId,
      routeSet: itemSet(
        t.routes.map((r) => ({
          destinationCidrBlock: r.destinationCidrBlock,
          ...(r.gatewayId ? { gatewayId: r.gatewayId } : {}),
          ...(r.vpcPeeringConnectionId ? { vpcPeeringConnectionId: r.vpcPeeringConnectionId } : {}),
          state: r.state,
          origin: r.origin,
        })),
      ),
      associationSet: t.main
        ? { item: [{ routeTableAssociationId: `rtbassoc-${t.id.slice(4)}`, routeTableId: t.id, main: true }] }
        : '',
      tagSet: '',
    };
  }

  private matchPcx(p: Pcx, f: { name: string; values: string[] }): boolean {
    const sideOf = (n: string) => (n.startsWith('requester') ? p.requester : p.accepter);
    const field = f.name.split('.').pop() as string;
    const candidates: string[] = (() => {
      switch (f.name) {
        case 'vpc-peering-connection-id':
          return [p.id];
        case 'status-code':
          return [p.code];
        case 'status-message':
          return [p.message];
        case 'expiration-time':
          return p.expirationTime ? [p.expirationTime.toISOString()] : [];
        case 'tag-key':
          return Object.keys(p.tags);
        case 'accepter-vpc-info.owner-id':
        case 'requester-vpc-info.owner-id':
          return [sideOf(f.name).ownerId];
        case 'accepter-vpc-info.vpc-id':
        case 'requester-vpc-info.vpc-id':
          return [sideOf(f.name).vpcId];
        case 'accepter-vpc-info.cidr-block':
        case 'requester-vpc-info.cidr-block':
          return this.world.cidrsOf(sideOf(f.name));
        default:
          if (f.name.startsWith('tag:')) return p.tags[f.name.slice(4)] !== undefined ? [p.tags[f.name.slice(4)]] : [];
          throw new Ec2Error('InvalidParameterValue', `The filter '${f.name}' is invalid (${field})`);
      }
    })();
    return f.values.some((v) => candidates.includes(v));
  }

  private matchRtb(t: RouteTable, f: { name: string; values: string[] }): boolean {
    const candidates: string[] = (() => {
      switch (f.name) {
        case 'vpc-id':
          return [t.vpcId];
        case 'route-table-id':
          return [t.id];
        case 'association.main':
          return [String(t.main)];
        case 'route.vpc-peering-connection-id':
          return t.routes.flatMap((r) => (r.vpcPeeringConnectionId ? [r.vpcPeeringConnectionId] : []));
        case 'route.state':
          return t.routes.map((r) => r.state);
        case 'route.destination-cidr-block':
          return t.routes.map((r) => r.destinationCidrBlock);
        default:
          throw new Ec2Error('InvalidParameterValue', `The filter '${f.name}' is invalid`);
      }
    })();
    return f.values.some((v) => candidates.includes(v));
  }

  private dispatch(action: string, p: Params, caller: Caller): Record<string, unknown> {
    const w = this.world;
    switch (action) {
      case 'CreateVpc': {
        const vpc = w.createVpc(caller, p.get('CidrBlock') ?? '');
        return {
          vpc: {
            vpcId: vpc.id,
            ownerId: vpc.ownerId,
            state: 'available',
            cidrBlock: vpc.cidrs[0],
            cidrBlockAssociationSet: itemSet(
              vpc.cidrs.map((c) => ({ cidrBlock: c, cidrBlockState: { state: 'associated' } })),
            ),
          },
        };
      }
      case 'AssociateVpcCidrBlock': {
        if (p.get('AmazonProvidedIpv6CidrBlock') === 'true') {
          const v6 = w.associateIpv6(caller, p.get('VpcId') ?? '');
          const block = v6.ipv6Cidrs[v6.ipv6Cidrs.length - 1];
          return {
            vpcId: v6.id,
            ipv6CidrBlockAssociation: { ipv6CidrBlock: block, ipv6CidrBlockState: { state: 'associated' } },
          };
        }
        const vpc = w.associateVpcCidr(caller, p.get('VpcId') ?? '', p.get('CidrBlock') ?? '');
        return {
          vpcId: vpc.id,
          cidrBlockAssociation: { cidrBlock: vpc.cidrs[vpc.cidrs.length - 1], cidrBlockState: { state: 'associated' } },
        };
      }
      case 'DescribeVpcs': {
        const ids = list(p, 'VpcId');
        const vpcs = ids.length
          ? ids.map((id) => w.ownVpc(caller, id))
          : [...w.vpcs.values()].filter((v) => v.ownerId === caller.accountId && v.region === caller.region);
        return {
          vpcSet: itemSet(
            vpcs.map((v) => ({
              vpcId: v.id,
              ownerId: v.ownerId,
              state: 'available',
              cidrBlock: v.cidrs[0],
              cidrBlockAssociationSet: itemSet(
                v.cidrs.map((c) => ({ cidrBlock: c, cidrBlockState: { state: 'associated' } })),
              ),
            })),
          ),
        };
      }
      case 'CreateVpcPeeringConnection': {
        const tags: Record<string, string> = {};
        for (let i = 1; p.has(`TagSpecification.1.Tag.${i}.Key`); i++)
          tags[p.get(`TagSpecification.1.Tag.${i}.Key`) as string] = p.get(`TagSpecification.1.Tag.${i}.Value`) ?? '';
        const pcx = w.createPeering(
          caller,
          p.get('VpcId') ?? '',
          p.get('PeerVpcId') ?? '',
          p.get('PeerOwnerId') ?? undefined,
          p.get('PeerRegion') ?? undefined,
          tags,
        );
        // The create call itself always answers initiating-request; describe shows where it settled (pending or
        // failed).
        return {
          vpcPeeringConnection: {
            ...this.pcxXml(pcx),
            status: { code: 'initiating-request', message: `Initiating Request to ${pcx.accepter.ownerId}` },
          },
        };
      }
      case 'AcceptVpcPeeringConnection':
        return { vpcPeeringConnection: this.pcxXml(w.acceptPeering(caller, p.get('VpcPeeringConnectionId') ?? '')) };
      case 'RejectVpcPeeringConnection':
        w.rejectPeering(caller, p.get('VpcPeeringConnectionId') ?? '');
        return { return: true };
      case 'DeleteVpcPeeringConnection':
        w.deletePeering(caller, p.get('VpcPeeringConnectionId') ?? '');
        return { return: true };
      case 'DescribeVpcPeeringConnections': {
        const ids = list(p, 'VpcPeeringConnectionId');
        const fs = filters(p);
        // An id filter names its candidates: look them up instead of scanning (unknown ids simply do not match).
        const byId = fs.find((f) => f.name === 'vpc-peering-connection-id');
        let items = ids.length
          ? ids.map((id) => w.describePeering(caller, id))
          : byId
            ? w.describeSome(caller, byId.values)
            : w.describePeerings(caller);
        for (const f of fs) items = items.filter((x) => this.matchPcx(x, f));
        const { items: pageItems, nextToken } = page(items, p, 5, 1000);
        return {
          vpcPeeringConnectionSet: itemSet(pageItems.map((x) => this.pcxXml(x))),
          ...(nextToken ? { nextToken } : {}),
        };
      }
      case 'CreateRoute':
        w.createRoute(
          caller,
          p.get('RouteTableId') ?? '',
          p.get('DestinationCidrBlock') ?? '',
          p.get('VpcPeeringConnectionId') ?? undefined,
          p.get('GatewayId') ?? undefined,
        );
        return { return: true };
      case 'DeleteRoute':
        w.deleteRoute(caller, p.get('RouteTableId') ?? '', p.get('DestinationCidrBlock') ?? '');
        return { return: true };
      case 'DescribeRouteTables': {
        const ids = list(p, 'RouteTableId');
        let items = ids.length ? ids.map((id) => w.ownRouteTable(caller, id)) : w.describeRouteTables(caller);
        for (const f of filters(p)) items = items.filter((x) => this.matchRtb(x, f));
        const { items: pageItems, nextToken } = page(items, p, 5, 100);
        return { routeTableSet: itemSet(pageItems.map((t) => this.rtbXml(t))), ...(nextToken ? { nextToken } : {}) };
      }
      case 'AuthorizeSecurityGroupIngress': {
        const rules: IngressRule[] = [];
        for (let i = 1; p.has(`IpPermissions.${i}.IpProtocol`); i++) {
          const proto = p.get(`IpPermissions.${i}.IpProtocol`) as string;
          const from = p.get(`IpPermissions.${i}.FromPort`);
          const to = p.get(`IpPermissions.${i}.ToPort`);
          for (let j = 1; p.has(`IpPermissions.${i}.IpRanges.${j}.CidrIp`); j++) {
            rules.push({
              ipProtocol: proto,
              fromPort: from === null ? undefined : Number(from),
              toPort: to === null ? undefined : Number(to),
              cidrIp: p.get(`IpPermissions.${i}.IpRanges.${j}.CidrIp`) as string,
            });
          }
        }
        w.authorizeIngress(caller, p.get('GroupId') ?? '', rules);
        return {
          return: true,
          securityGroupRuleSet: itemSet(
            rules.map((r) => ({
              securityGroupRuleId: `sgr-${randomUUID().slice(0, 17)}`,
              groupId: p.get('GroupId'),
              isEgress: false,
              ipProtocol: r.ipProtocol,
              fromPort: r.fromPort,
              toPort: r.toPort,
              cidrIpv4: r.cidrIp,
            })),
          ),
        };
      }
      default:
        throw new Ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  }

  private xml(root: string, body: Record<string, unknown>): string {
    return xmlDeclaration + builder.build({ [root]: { '@_xmlns': NS, requestId: randomUUID(), ...body } });
  }

  private error(code: string, message: string, status: number): WireResponse {
    const errors = { Errors: { Error: { Code: code, Message: message } }, RequestID: randomUUID() };
    const body = xmlDeclaration + builder.build({ Response: errors });
    return { status, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body };
  }

  async handle(req: SimRequest): Promise<WireResponse> {
    const params = new URLSearchParams(req.body);
    const action = params.get('Action') ?? '';
    const auth = String(req.headers.authorization ?? '');
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/ec2\/aws4_request/.exec(auth);
    if (!scope || !/SignedHeaders=[^,]+, ?Signature=[0-9a-f]{64}/.test(auth))
      return this.error('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
    const account = this.world.accountByKey(scope[1]);
    const region = scope[2];
    const target =
      params.get('VpcPeeringConnectionId') ?? params.get('RouteTableId') ?? params.get('GroupId') ?? undefined;
    const verdict = this.faults.onCall({
      provider: 'aws',
      action,
      account: account?.id ?? scope[1],
      region,
      at: this.world.clock.now().toISOString(),
      target,
    });
    if (verdict.latencyMs) await sleep(verdict.latencyMs);
    if (!account) return this.error('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
    if (verdict.error === 'throttle') return this.error('RequestLimitExceeded', 'Request limit exceeded.', 503);
    if (verdict.error === 'server-error') return this.error('InternalError', 'An internal error has occurred', 500);
    if (verdict.error === 'unavailable')
      return this.error('Unavailable', 'The server is overloaded and cannot handle the request', 503);
    try {
      const body = this.dispatch(action, params, { accountId: account.id, region });
      return {
        status: 200,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: this.xml(`${action}Response`, body),
      };
    } catch (err) {
      if (err instanceof Ec2Error) return this.error(err.code, err.message, err.status);
      throw err;
    }
  }

  /** Control operations for tests, the demo and `peerlink sim aws …`. */
  control(op: string, body: Record<string, unknown>): unknown {
    const w = this.world;
    switch (op) {
      case 'account': {
        const a = w.createAccount(
          body.accountId as string | undefined,
          body.accessKeyId as string | undefined,
          body.secretAccessKey as string | undefined,
        );
        return { accountId: a.id, accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey };
      }
      case 'vpc': {
        const vpc = w.createVpc({ accountId: String(body.accountId), region: String(body.region) }, String(body.cidr), {
          vpcId: body.vpcId as string | undefined,
          routeTableId: body.routeTableId as string | undefined,
        });
        const rtb = w
          .describeRouteTables({ accountId: vpc.ownerId, region: vpc.region })
          .find((t) => t.vpcId === vpc.id);
        const sg = [...w.securityGroups.values()].find((g) => g.vpcId === vpc.id);
        return { vpcId: vpc.id, cidr: vpc.cidrs[0], routeTableId: rtb?.id, securityGroupId: sg?.id };
      }
      default:
        throw new Error(`unknown aws control operation ${op}`);
    }
  }

  snapshot(): unknown {
    const w = this.world;
    return {
      accounts: [...w.accounts.values()].map((a) => ({ accountId: a.id, accessKeyId: a.accessKeyId })),
      vpcs: [...w.vpcs.values()],
      routeTables: [...w.routeTables.values()],
      securityGroups: [...w.securityGroups.values()],
      peerings: [...w.peerings.values()]
        .map((p) => w.refresh(p))
        .map((p) => ({
          id: p.id,
          code: p.code,
          message: p.message,
          requester: p.requester,
          accepter: p.accepter,
          expirationTime: p.expirationTime,
        })),
    };
  }
}
