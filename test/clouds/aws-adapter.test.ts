import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateVpcCidrBlockCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeVpcPeeringConnectionsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { awsAdapter } from '../../src/clouds/aws/adapter.js';
import { ec2Client } from '../../src/clouds/aws/sdk.js';
import { awsSimulation } from '../../src/clouds/aws/simulation.js';
import { applyMode } from '../../src/clouds/sim/contract.js';
import type { AwsWorld } from '../../src/clouds/aws/sim-world.js';
import { ProviderError, type ConnectionRef, type PlatformTarget } from '../../src/clouds/provider.js';
import { must } from '../support/must.js';

let sim: Simulator;
let world: AwsWorld;
let platform: PlatformTarget;
let customer: EC2Client;
let platformVpc: { vpcId: string; routeTableId: string };
let customerVpc: { vpcId: string; securityGroupId: string };
const adapter = awsAdapter();
const region = 'us-east-1';

before(async () => {
  sim = await startSimulator();
  world = sim.world(awsSimulation);
  const p = world.createAccount('111111111111');
  const c = world.createAccount('222222222222');
  const pv = world.createVpc({ accountId: p.id, region }, '10.11.0.0/16');
  platformVpc = { vpcId: pv.id, routeTableId: world.mainRouteTable(pv.id).id };
  const cv = world.createVpc({ accountId: c.id, region }, '172.31.0.0/16');
  const sg = [...world.securityGroups.values()].find((g) => g.vpcId === cv.id);
  assert.ok(sg);
  customerVpc = { vpcId: cv.id, securityGroupId: sg.id };
  const endpoint = sim.endpoint(awsSimulation);
  platform = {
    provider: 'aws',
    region,
    accountId: p.id,
    endpoint,
    credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey },
  };
  customer = ec2Client({
    region,
    endpoint,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
  });
});
after(() => sim.close());

async function request(peerVpc = platformVpc.vpcId, peerOwner = '111111111111'): Promise<string> {
  const out = await customer.send(
    new CreateVpcPeeringConnectionCommand({ VpcId: customerVpc.vpcId, PeerVpcId: peerVpc, PeerOwnerId: peerOwner }),
  );
  assert.equal(out.VpcPeeringConnection?.Status?.Code, 'initiating-request');
  const id = out.VpcPeeringConnection?.VpcPeeringConnectionId;
  assert.ok(id);
  return id;
}

const ref = (connectionId: string): ConnectionRef => ({
  connectionId,
  deploymentVpcId: platformVpc.vpcId,
  customerAccountId: '222222222222',
  customerVpcId: customerVpc.vpcId,
  customerCidrs: ['172.31.0.0/16'],
});
const observe = (id: string, target = platform) => adapter.connections.observe(target, ref(id));

test('the customer side through the same wire protocol: security group ingress, duplicates refused', async () => {
  const rule = { IpProtocol: 'tcp', FromPort: 1883, ToPort: 1883, IpRanges: [{ CidrIp: '10.11.0.0/16' }] };
  const authorize = new AuthorizeSecurityGroupIngressCommand({
    GroupId: customerVpc.securityGroupId,
    IpPermissions: [rule],
  });
  await customer.send(authorize);
  await assert.rejects(customer.send(authorize), { name: 'InvalidPermission.Duplicate' });
});

test(
  'EC2 semantics: one peering per VPC pair, ' + 'InvalidStateTransition, overlap fails, blackhole after delete',
  async () => {
    const pcx = await request();
    await assert.rejects(request(), { name: 'VpcPeeringConnectionAlreadyExists' });
    await adapter.acceptor.accept(platform, ref(pcx));
    await assert.rejects(
      adapter.acceptor.accept(platform, ref(pcx)),
      (e: unknown) =>
        e instanceof ProviderError && e.kind === 'conflict' && e.providerCode === 'InvalidStateTransition',
    );
    const route = { tableId: platformVpc.routeTableId, cidr: '172.31.0.0/16' };
    await adapter.routes.create(platform, pcx, [route]);
    await customer.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
    assert.deepEqual(await adapter.routes.observe(platform, pcx, [platformVpc.routeTableId]), [
      { ...route, state: 'blackhole' },
    ]);
    await adapter.routes.remove(platform, pcx, [route]);
    // overlapping CIDRs: the request is created as failed, visible to the requester only
    const overlapping = world.createVpc({ accountId: '111111111111', region }, '172.31.0.0/20');
    const failed = await request(overlapping.id);
    const asCustomer = await customer.send(
      new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [failed] }),
    );
    assert.equal(asCustomer.VpcPeeringConnections?.[0]?.Status?.Code, 'failed');
    assert.equal(await observe(failed), null);
  },
);

test('a pending request is rejected by the accepter: EC2 lets only the requester delete it', async () => {
  const vpc = world.createVpc({ accountId: '222222222222', region }, '172.20.0.0/16');
  const out = await customer.send(
    new CreateVpcPeeringConnectionCommand({ VpcId: vpc.id, PeerVpcId: platformVpc.vpcId, PeerOwnerId: '111111111111' }),
  );
  const pcx = out.VpcPeeringConnection?.VpcPeeringConnectionId ?? '';
  const pending = await observe(pcx);
  assert.equal(pending?.phase, 'awaiting-acceptance');
  const before = sim.faults.count('aws', 'DeleteVpcPeeringConnection');
  await adapter.connections.close(platform, ref(pcx), pending);
  assert.equal((await observe(pcx))?.phase, 'rejected');
  assert.equal(sim.faults.count('aws', 'DeleteVpcPeeringConnection'), before, 'no delete was tried');
});

test('7-day expiry and the visibility windows of ended connections follow the simulated clock', async () => {
  const vpc = world.createVpc({ accountId: '222222222222', region }, '172.21.0.0/16');
  const out = await customer.send(
    new CreateVpcPeeringConnectionCommand({ VpcId: vpc.id, PeerVpcId: platformVpc.vpcId, PeerOwnerId: '111111111111' }),
  );
  const pcx = out.VpcPeeringConnection?.VpcPeeringConnectionId ?? '';
  sim.clock.advance(7 * 24 * 3600_000 + 1);
  assert.equal((await observe(pcx))?.phase, 'expired');
  await assert.rejects(
    adapter.acceptor.accept(platform, ref(pcx)),
    (e: unknown) => e instanceof ProviderError && e.kind === 'conflict',
  );
  sim.clock.advance(2 * 24 * 3600_000);
  assert.equal(await observe(pcx), null);
});

test('paging: the sweep lists every accepted connection in pages of up to 1000', async () => {
  const vpc = world.createVpc({ accountId: '222222222222', region }, '172.22.0.0/16');
  await customer.send(
    new CreateVpcPeeringConnectionCommand({ VpcId: vpc.id, PeerVpcId: platformVpc.vpcId, PeerOwnerId: '111111111111' }),
  );
  const before = sim.faults.count('aws', 'DescribeVpcPeeringConnections');
  let n = 0;
  for await (const page of adapter.connections.list(platform)) n += page.length;
  assert.equal(n, 1);
  assert.equal(sim.faults.count('aws', 'DescribeVpcPeeringConnections') - before, 1);
  await assert.rejects(customer.send(new DescribeVpcPeeringConnectionsCommand({ MaxResults: 2 })), {
    name: 'InvalidParameterValue',
  });
});

test(
  'errors are classified: throttling and 5xx are transient, ' + 'a bad route table is permanent, bad keys fail auth',
  async () => {
    sim.faults.add({ kind: 'throttle', action: 'DescribeVpcPeeringConnections', times: 2 });
    await assert.rejects(
      observe('pcx-00000000'),
      (e: unknown) => e instanceof ProviderError && e.kind === 'transient' && e.providerCode === 'RequestLimitExceeded',
    );
    sim.faults.clear();
    await assert.rejects(
      adapter.routes.observe(platform, 'pcx-00000000', ['rtb-00000000']),
      (e: unknown) =>
        e instanceof ProviderError && e.kind === 'permanent' && e.providerCode === 'InvalidRouteTableID.NotFound',
    );
    const wrongKey = { ...platform, credentials: { accessKeyId: 'AKIANOPE', secretAccessKey: 'x' } };
    await assert.rejects(observe('pcx-00000000', wrongKey), (e: unknown) => {
      assert.ok(e instanceof ProviderError && e.providerCode === 'AuthFailure');
      assert.ok(e.cause, 'the SDK error is kept as the cause');
      return true;
    });
    sim.faults.add({ kind: 'latency', ms: 400, times: 2 });
    const impatient = awsAdapter({ requestTimeoutMs: 100 });
    await assert.rejects(
      impatient.connections.observe(platform, ref('pcx-00000000')),
      (e: unknown) => e instanceof ProviderError && e.kind === 'transient',
    );
    sim.faults.clear();
  },
);

test('secondary CIDRs (CidrBlockSet) all reported, like the primary; IPv6 blocks noted, not taken', async () => {
  const vpc = world.createVpc({ accountId: '222222222222', region }, '172.23.0.0/16');
  await customer.send(new AssociateVpcCidrBlockCommand({ VpcId: vpc.id, CidrBlock: '172.24.0.0/16' }));
  await customer.send(new AssociateVpcCidrBlockCommand({ VpcId: vpc.id, AmazonProvidedIpv6CidrBlock: true }));
  const out = await customer.send(
    new CreateVpcPeeringConnectionCommand({ VpcId: vpc.id, PeerVpcId: platformVpc.vpcId, PeerOwnerId: '111111111111' }),
  );
  const pcx = out.VpcPeeringConnection?.VpcPeeringConnectionId ?? '';
  const seen = await observe(pcx);
  assert.deepEqual(seen?.customer.cidrs, ['172.23.0.0/16', '172.24.0.0/16'], 'the primary and the secondary');
  const ipv6 = must(world.vpcs.get(vpc.id), 'the VPC').ipv6Cidrs[0] ?? '';
  assert.match(ipv6, /^2600:/);
  assert.deepEqual(seen.notes, [`the requester VPC's IPv6 block(s) ${ipv6} not routed (IPv4 only)`]);
  await adapter.connections.close(platform, ref(pcx), seen);
});

for (const mode of ['strict', 'permissive'] as const) {
  test(`a peering not found is matched whatever the code's casing (${mode})`, async () => {
    const s = await startSimulator();
    try {
      const w = s.world(awsSimulation);
      applyMode(awsSimulation, w, mode);
      const p = w.createAccount('111111111111');
      const c = w.createAccount('222222222222');
      const pv = w.createVpc({ accountId: p.id, region }, '10.11.0.0/16');
      const cv = w.createVpc({ accountId: c.id, region }, '172.31.0.0/16');
      const t: PlatformTarget = {
        ...platform,
        endpoint: s.endpoint(awsSimulation),
        credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey },
      };
      const pcx = w.createPeering({ accountId: c.id, region }, cv.id, pv.id, p.id);
      const r: ConnectionRef = { ...ref(pcx.id), deploymentVpcId: pv.id, customerVpcId: cv.id };
      w.acceptPeering({ accountId: p.id, region }, pcx.id);
      const active = await adapter.connections.observe(t, r);
      assert.ok(active, 'observed');
      w.deletePeering({ accountId: c.id, region }, pcx.id);
      s.clock.advance(3 * 24 * 3600_000); // no longer shown to anyone
      assert.throws(() => w.describePeering({ accountId: p.id, region }, pcx.id), {
        code: mode === 'strict' ? 'InvalidVpcPeeringConnectionId.NotFound' : 'InvalidVpcPeeringConnectionID.NotFound',
      });
      await adapter.connections.close(t, r, active); // gone: done, whichever spelling said so
    } finally {
      await s.close();
    }
  });
}
