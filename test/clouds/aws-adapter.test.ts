import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  EC2Client,
  CreateVpcPeeringConnectionCommand,
  DescribeVpcPeeringConnectionsCommand,
  DeleteVpcPeeringConnectionCommand,
  AuthorizeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { AwsAdapter } from '../../src/clouds/aws/adapter.js';
import { ProviderError, type PlatformTarget } from '../../src/clouds/provider.js';
import { providerContract } from './contract.js';

let sim: Simulator;
let platform: PlatformTarget;
let customer: EC2Client;
let platformVpc: { vpcId: string; routeTableId: string };
let customerVpc: { vpcId: string; securityGroupId: string };
const adapter = new AwsAdapter({ maxAttempts: 1 });
const region = 'us-east-1';

before(async () => {
  sim = await startSimulator();
  const p = sim.aws.createAccount('111111111111');
  const c = sim.aws.createAccount('222222222222');
  const pv = sim.aws.createVpc({ accountId: p.id, region }, '10.11.0.0/16');
  platformVpc = { vpcId: pv.id, routeTableId: sim.aws.describeRouteTables({ accountId: p.id, region })[0].id };
  const cv = sim.aws.createVpc({ accountId: c.id, region }, '172.31.0.0/16');
  customerVpc = {
    vpcId: cv.id,
    securityGroupId: [...sim.aws.securityGroups.values()].find((g) => g.vpcId === cv.id)!.id,
  };
  platform = {
    provider: 'aws',
    region,
    accountId: p.id,
    endpoint: sim.endpoints.aws,
    credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey },
  };
  customer = new EC2Client({
    region,
    endpoint: sim.endpoints.aws,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
    maxAttempts: 1,
  });
});
after(() => sim.close());

async function request(peerVpc = platformVpc.vpcId, peerOwner = '111111111111'): Promise<string> {
  const out = await customer.send(
    new CreateVpcPeeringConnectionCommand({ VpcId: customerVpc.vpcId, PeerVpcId: peerVpc, PeerOwnerId: peerOwner }),
  );
  assert.equal(out.VpcPeeringConnection?.Status?.Code, 'initiating-request');
  return out.VpcPeeringConnection!.VpcPeeringConnectionId!;
}

providerContract('aws', () => ({
  sim,
  provider: 'aws',
  adapter,
  target: platform,
  deploymentVpcId: platformVpc.vpcId,
  routeTableIds: [platformVpc.routeTableId],
  customer: { accountId: '222222222222', vpcId: customerVpc.vpcId, cidrs: ['172.31.0.0/16'], region },
  request: () => request(),
  settle: () => undefined,
  unknownId: 'pcx-00000000',
}));

test('the customer side through the same wire protocol: security group ingress, duplicates refused', async () => {
  await customer.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: customerVpc.securityGroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1883, ToPort: 1883, IpRanges: [{ CidrIp: '10.11.0.0/16' }] }],
    }),
  );
  await assert.rejects(
    customer.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: customerVpc.securityGroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1883, ToPort: 1883, IpRanges: [{ CidrIp: '10.11.0.0/16' }] }],
      }),
    ),
    { name: 'InvalidPermission.Duplicate' },
  );
});

test('EC2 semantics: one peering per VPC pair, InvalidStateTransition, overlap fails, blackhole after delete', async () => {
  const pcx = await request();
  await assert.rejects(request(), { name: 'VpcPeeringConnectionAlreadyExists' });
  await adapter.accept(platform, pcx);
  await assert.rejects(
    adapter.accept(platform, pcx),
    (e: unknown) => e instanceof ProviderError && e.kind === 'conflict' && e.providerCode === 'InvalidStateTransition',
  );
  await adapter.createRoutes(platform, pcx, [{ tableId: platformVpc.routeTableId, cidr: '172.31.0.0/16' }]);
  await customer.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
  assert.deepEqual(await adapter.routes(platform, pcx, [platformVpc.routeTableId]), [
    { tableId: platformVpc.routeTableId, cidr: '172.31.0.0/16', state: 'blackhole' },
  ]);
  await adapter.deleteRoutes(platform, pcx, [{ tableId: platformVpc.routeTableId, cidr: '172.31.0.0/16' }]);
  // overlapping CIDRs: the request is created as failed, visible to the requester only
  const overlapping = sim.aws.createVpc({ accountId: '111111111111', region }, '172.31.0.0/20');
  const failed = await request(overlapping.id);
  const asCustomer = await customer.send(
    new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [failed] }),
  );
  assert.equal(asCustomer.VpcPeeringConnections?.[0].Status?.Code, 'failed');
  assert.equal((await adapter.describe(platform, [failed])).size, 0);
});

test('7-day expiry and the visibility windows of ended connections follow the simulated clock', async () => {
  const pcx = await request();
  sim.clock.advance(7 * 24 * 3600_000 + 1);
  assert.equal((await adapter.describe(platform, [pcx])).get(pcx)?.phase, 'expired');
  await assert.rejects(
    adapter.accept(platform, pcx),
    (e: unknown) => e instanceof ProviderError && e.kind === 'conflict',
  );
  sim.clock.advance(2 * 24 * 3600_000);
  assert.equal((await adapter.describe(platform, [pcx])).size, 0);
});

test('paging: the sweep lists every accepted connection in pages of up to 1000', async () => {
  await request();
  const before = sim.faults.count('aws', 'DescribeVpcPeeringConnections');
  let n = 0;
  for await (const page of adapter.listAccepted(platform)) n += page.length;
  assert.ok(n >= 1);
  assert.equal(sim.faults.count('aws', 'DescribeVpcPeeringConnections') - before, 1);
  await assert.rejects(customer.send(new DescribeVpcPeeringConnectionsCommand({ MaxResults: 2 })), {
    name: 'InvalidParameterValue',
  });
});

test('errors are classified: throttling and 5xx are transient, a bad route table is permanent, bad keys fail auth', async () => {
  sim.faults.add({ kind: 'throttle', action: 'DescribeVpcPeeringConnections', times: 1 });
  await assert.rejects(
    adapter.describe(platform, ['pcx-00000000']),
    (e: unknown) => e instanceof ProviderError && e.kind === 'transient' && e.providerCode === 'RequestLimitExceeded',
  );
  sim.faults.add({ kind: 'server-error', times: 1 });
  await assert.rejects(
    adapter.describe(platform, ['pcx-00000000']),
    (e: unknown) => e instanceof ProviderError && e.kind === 'transient',
  );
  await assert.rejects(
    adapter.routes(platform, 'pcx-00000000', ['rtb-00000000']),
    (e: unknown) =>
      e instanceof ProviderError && e.kind === 'permanent' && e.providerCode === 'InvalidRouteTableID.NotFound',
  );
  await assert.rejects(
    adapter.describe({ ...platform, credentials: { accessKeyId: 'AKIANOPE', secretAccessKey: 'x' } }, ['pcx-00000000']),
    (e: unknown) => e instanceof ProviderError && e.providerCode === 'AuthFailure',
  );
  sim.faults.add({ kind: 'latency', ms: 400, times: 1 });
  const impatient = new AwsAdapter({ maxAttempts: 1, requestTimeoutMs: 100 });
  await assert.rejects(
    impatient.describe(platform, ['pcx-00000000']),
    (e: unknown) => e instanceof ProviderError && e.kind === 'transient',
  );
  const closed = { ...platform, endpoint: 'http://127.0.0.1:9/aws' };
  await assert.rejects(
    adapter.describe(closed, ['pcx-00000000']),
    (e: unknown) => e instanceof ProviderError && e.kind === 'transient',
  );
});
