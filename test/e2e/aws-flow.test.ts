import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { awsSimulation, type AwsFixture } from '../../src/clouds/aws/simulation.js';
import { startHarness, OPERATOR_TOKEN, type Harness } from '../support/harness.js';
import { must } from '../support/must.js';

let h: Harness;
let aws: AwsFixture;
before(async () => {
  h = await startHarness();
  aws = await h.fixture(awsSimulation);
});
after(() => h.close());

interface P {
  id: string;
  status: string;
  providerPeeringId: string;
  customerCidrs: string[];
  reason: { code: string; message: string } | null;
}

test('the seed AWS flow: facts, request, submit, running, platform route, resource, delete', async () => {
  const facts = await h.api<{
    eligible: boolean;
    facts: Array<{ key: string; label: string; value: string }>;
    form: unknown[];
    guidance: { commands: string; terraform: string };
  }>('GET', `/v1/deployments/${aws.deploymentId}/peering-facts`);
  assert.equal(facts.status, 200);
  assert.equal(facts.body.eligible, true);
  assert.deepEqual(Object.fromEntries(facts.body.facts.map((f) => [f.key, f.value])), {
    region: 'us-east-1',
    vpcId: aws.platformVpc.vpcId,
    vpcCidr: '10.11.0.0/16',
    platformAccountId: '111111111111',
  });
  assert.match(facts.body.guidance.commands, new RegExp(`--peer-vpc-id ${aws.platformVpc.vpcId}`));
  assert.match(facts.body.guidance.terraform, /aws_vpc_peering_connection/);
  const zh = await h.api<{ facts: Array<{ label: string }> }>(
    'GET',
    `/v1/deployments/${aws.deploymentId}/peering-facts`,
    undefined,
    { lang: 'zh-CN,zh;q=0.9' },
  );
  assert.equal(zh.body.facts[0].label, '部署所在区域');

  const pcx = await aws.requestPeering();
  const created = await h.api<P>('POST', '/v1/peerings', aws.submitBody(pcx));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.providerPeeringId, pcx);
  assert.deepEqual(created.body.customerCidrs, ['172.31.0.0/16']);
  const running = await h.waitFor<P>(`/v1/peerings/${created.body.id}`, (p) => p.status === 'running');
  assert.equal(running.reason, null);
  // the platform side: accepted, and a route to the customer CIDR via the pcx in the deployment's route table
  assert.equal(aws.world.peerings.get(pcx)?.code, 'active');
  const table = must(aws.world.routeTables.get(aws.platformVpc.routeTableId), 'the deployment route table');
  const routes = table.routes.filter((r) => r.vpcPeeringConnectionId === pcx);
  assert.deepEqual(
    routes.map((r) => [r.destinationCidrBlock, r.state]),
    [['172.31.0.0/16', 'active']],
  );
  const detail = await h.api<{ customerSide: { routeDestination: string; guidance: { commands: string } } }>(
    'GET',
    `/v1/peerings/${created.body.id}`,
  );
  assert.equal(detail.body.customerSide.routeDestination, '10.11.0.0/16');
  assert.match(detail.body.customerSide.guidance.commands, new RegExp(`--vpc-peering-connection-id ${pcx}`));

  // resources bind to the running peering whose CIDR contains them; deleting the peering is refused while bound
  const outside = await h.api<{ code: string }>('POST', '/v1/resources', {
    deploymentId: aws.deploymentId,
    name: 'pg',
    address: '192.168.1.1:5432',
  });
  assert.equal(outside.status, 422);
  assert.equal(outside.body.code, 'RESOURCE_OUTSIDE_PEERING');
  const res = await h.api<{ id: string; peeringId: string }>('POST', '/v1/resources', {
    deploymentId: aws.deploymentId,
    name: 'pg',
    address: '172.31.2.3:5432',
  });
  assert.equal(res.status, 201);
  assert.equal(res.body.peeringId, created.body.id);
  const refused = await h.api<{ code: string; message: string }>('DELETE', `/v1/peerings/${created.body.id}`);
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'PEERING_HAS_RESOURCES');
  // the resource by its name and address, as the customer bound it (no internal ids in messages)
  assert.match(refused.body.message, /pg \(172\.31\.2\.3:5432\)/);
  assert.doesNotMatch(refused.body.message, /res_|pr_/);
  assert.equal((await h.api('DELETE', `/v1/resources/${res.body.id}`)).status, 204);

  const del = await h.api<P>('DELETE', `/v1/peerings/${created.body.id}`);
  assert.equal(del.status, 202);
  await h.waitFor<P>(`/v1/peerings/${created.body.id}`, (p) => p.status === 'deleted');
  assert.equal(
    must(aws.world.routeTables.get(aws.platformVpc.routeTableId), 'the route table').routes.some(
      (r) => r.vpcPeeringConnectionId === pcx,
    ),
    false,
  );
  assert.equal(aws.world.peerings.get(pcx)?.code, 'deleted');

  const events = await h.api<{ items: Array<{ kind: string; toStatus: string | null; note: string }> }>(
    'GET',
    `/v1/peerings/${created.body.id}/events`,
  );
  const path = events.body.items.filter((e) => e.toStatus).map((e) => e.toStatus);
  assert.deepEqual(path, ['pending', 'running', 'deleting', 'deleted']);
  assert.ok(events.body.items.some((e) => e.kind === 'intent' && e.note.startsWith('accept')));
  assert.ok(events.body.items.some((e) => e.kind === 'intent' && e.note.startsWith('create-routes')));
});

test('drift: a peering the customer deletes on its side is shown within one sweep', async () => {
  const vpc = aws.customerVpc('192.168.0.0/16');
  const pcx = await aws.requestPeering(vpc);
  const created = await h.api<P>('POST', '/v1/peerings', aws.submitBody(pcx, { customerVpcId: vpc }));
  await h.waitFor<P>(`/v1/peerings/${created.body.id}`, (p) => p.status === 'running');
  aws.world.deletePeering({ accountId: aws.customer.accountId, region: 'us-east-1' }, pcx);
  const stats = await h.peerlink.reconciler.sweep();
  assert.ok(stats.attention >= 1);
  const after = await h.api<P>('GET', `/v1/peerings/${created.body.id}`);
  assert.equal(after.body.status, 'failed');
  assert.equal(after.body.reason?.code, 'PEERING_DELETED_BY_CUSTOMER');
  // and the customer can clean it up: the blackhole route goes, the peering ends deleted
  assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
  await h.waitFor<P>(`/v1/peerings/${created.body.id}`, (p) => p.status === 'deleted');
  assert.equal(
    must(aws.world.routeTables.get(aws.platformVpc.routeTableId), 'the route table').routes.some(
      (r) => r.vpcPeeringConnectionId === pcx,
    ),
    false,
  );
});

test('transient provider errors retry with backoff and never fail the peering', async () => {
  const vpc = aws.customerVpc('172.19.0.0/16');
  const pcx = await aws.requestPeering(vpc);
  h.sim.faults.add({ kind: 'throttle', action: 'AcceptVpcPeeringConnection', times: 2 });
  const created = await h.api<P>('POST', '/v1/peerings', aws.submitBody(pcx, { customerVpcId: vpc }));
  assert.equal(created.status, 201);
  const retrying = await h.waitFor<{ status: string; retry: { attempts: number; lastError: string } | null }>(
    `/v1/peerings/${created.body.id}`,
    (p) => p.retry !== null,
  );
  assert.equal(retrying.status, 'pending');
  assert.match(must(retrying.retry, 'retry details').lastError, /RequestLimitExceeded/);
  // pull the backoff in rather than wait for it
  await h.peerlink.store.db
    .updateTable('peerings')
    .set({ next_attempt_at: new Date(0).toISOString() })
    .where('id', '=', created.body.id)
    .execute();
  await h.waitFor<P>(`/v1/peerings/${created.body.id}`, (p) => p.status === 'running', 15_000);
  h.sim.faults.clear();
});

test('ended connections: expired is refused at submit, rejected while pending fails with its reason', async () => {
  const vpc = aws.customerVpc('172.20.0.0/16');
  const expired = await aws.requestPeering(vpc);
  h.sim.clock.advance(7 * 24 * 3600_000 + 1_000);
  const r = await h.api<{ code: string }>('POST', '/v1/peerings', aws.submitBody(expired, { customerVpcId: vpc }));
  assert.equal(r.status, 422);
  assert.equal(r.body.code, 'PEERING_EXPIRED');

  const vpc2 = aws.customerVpc('172.21.0.0/16');
  const pcx = await aws.requestPeering(vpc2);
  // the platform side rejects it (e.g. by hand in the AWS console) while Peerlink's accept is still on its way
  h.sim.faults.add({ kind: 'latency', action: 'AcceptVpcPeeringConnection', ms: 300, times: 1 });
  const created = await h.api<P>('POST', '/v1/peerings', aws.submitBody(pcx, { customerVpcId: vpc2 }));
  assert.equal(created.status, 201);
  aws.world.rejectPeering({ accountId: '111111111111', region: 'us-east-1' }, pcx);
  const failed = await h.waitFor<P>(`/v1/peerings/${created.body.id}`, (p) => p.status === 'failed');
  assert.equal(failed.reason?.code, 'PEERING_REJECTED');
  const zh = await h.api<P>('GET', `/v1/peerings/${created.body.id}`, undefined, { lang: 'zh-CN' });
  assert.match(must(zh.body.reason, 'a reason').message, /已被拒绝/);
});

test('the OpenAPI document describes every route and both security schemes', async () => {
  const doc = await h.api<{
    openapi: string;
    paths: Record<string, unknown>;
    components: { securitySchemes: Record<string, unknown> };
  }>('GET', '/openapi.json', undefined, { key: null });
  assert.equal(doc.status, 200);
  assert.match(doc.body.openapi, /^3\./);
  for (const p of [
    '/v1/peerings',
    '/v1/peerings/{id}',
    '/v1/peerings/{id}/events',
    '/v1/deployments/{id}/peering-facts',
    '/v1/resources',
    '/v1/admin/deployments',
    '/v1/admin/platform-accounts',
  ])
    assert.ok(p in doc.body.paths, p);
  assert.deepEqual(Object.keys(doc.body.components.securitySchemes).sort(), ['apiKey', 'operator']);
  const docs = await fetch(`${h.url}/docs`, { redirect: 'follow' });
  assert.equal(docs.status, 200);
  assert.equal((await h.api('GET', '/readyz', undefined, { key: null })).status, 200);
});

test('a secondary CIDR is checked like the primary; an IPv6 block is noted in the history, not routed', async () => {
  const reserved = aws.customerVpc('172.18.0.0/16');
  aws.world.associateVpcCidr({ accountId: aws.customer.accountId, region: aws.region }, reserved, '10.20.0.0/24');
  const refused = await h.api<{ code: string; message: string }>(
    'POST',
    '/v1/peerings',
    aws.submitBody(await aws.requestPeering(reserved), { customerVpcId: reserved }),
  );
  assert.equal(refused.status, 422);
  assert.equal(refused.body.code, 'CIDR_RESERVED');
  assert.match(refused.body.message, /10\.20\.0\.0\/24/);

  const dual = aws.customerVpc('172.25.0.0/16');
  aws.world.associateVpcCidr({ accountId: aws.customer.accountId, region: aws.region }, dual, '172.26.0.0/16');
  aws.world.associateIpv6({ accountId: aws.customer.accountId, region: aws.region }, dual);
  const pcx = await aws.requestPeering(dual);
  const created = await h.api<P>('POST', '/v1/peerings', aws.submitBody(pcx, { customerVpcId: dual }));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual(created.body.customerCidrs, ['172.25.0.0/16', '172.26.0.0/16']);
  await h.waitFor<P>(`/v1/peerings/${created.body.id}`, (p) => p.status === 'running');
  const table = must(aws.world.routeTables.get(aws.platformVpc.routeTableId), 'the deployment route table');
  assert.deepEqual(
    table.routes.filter((r) => r.vpcPeeringConnectionId === pcx).map((r) => r.destinationCidrBlock),
    ['172.25.0.0/16', '172.26.0.0/16'],
    'both IPv4 blocks routed, nothing else',
  );
  const events = await h.api<{ items: Array<{ toStatus: string | null; note: string }> }>(
    'GET',
    `/v1/peerings/${created.body.id}/events`,
  );
  const running = must(
    events.body.items.find((e) => e.toStatus === 'running'),
    'the transition to running',
  );
  assert.match(running.note, /IPv6 block\(s\) 2600:[0-9a-f:]+\/56 not routed \(IPv4 only\)/);
  assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
  await h.waitFor<P>(`/v1/peerings/${created.body.id}`, (p) => p.status === 'deleted');
});

test('the private address to connect to: registered inside the deployment network, shown once running', async () => {
  const account = await h.platformAccountOf('aws');
  const base = {
    orgId: h.orgId,
    name: 'with-endpoint',
    plan: 'dedicated-professional',
    region: aws.region,
    vpcId: aws.platformVpc.vpcId,
    vpcCidr: aws.platformVpc.cidr,
    platformAccountId: account,
    routeTableIds: [aws.platformVpc.routeTableId],
  };
  const refused = async (privateEndpoint: string, why: RegExp) => {
    const r = await h.api<{ code: string; message: string }>(
      'POST',
      '/v1/admin/deployments',
      { ...base, privateEndpoint },
      { key: OPERATOR_TOKEN },
    );
    assert.equal(r.status, 400, `${privateEndpoint}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.code, 'VALIDATION_FAILED');
    assert.match(r.body.message, why);
  };
  await refused('192.168.9.9:1883', /outside the deployment's 10\.11\.0\.0\/16/);
  await refused('10.11.0.300:1883', /not an IPv4 address/);
  await refused('10.11.0.10:70000', /port 70000/);
  await refused('10.11.0.10', /pattern/);
  await refused('10.11.0.0:1883', /network or broadcast/);
  await refused('0x0a0b000a:1883', /neither an IPv4 address nor a host name/);
  await refused('localhost:1883', /neither an IPv4 address nor a host name/);
  await refused('-bad-.example:1883', /neither an IPv4 address nor a host name/);
  await refused('a..b:1883', /neither an IPv4 address nor a host name/);
  const dep = await h.admin<{ id: string; privateEndpoint: string }>('/v1/admin/deployments', {
    ...base,
    privateEndpoint: '10.11.0.10:8883',
  });
  assert.equal(dep.privateEndpoint, '10.11.0.10:8883');
  const named = await h.admin<{ privateEndpoint: string }>('/v1/admin/deployments', {
    ...base,
    name: 'by-name',
    privateEndpoint: 'mqtt.internal.example:1883',
  });
  assert.equal(named.privateEndpoint, 'mqtt.internal.example:1883', 'a private DNS name is taken as given');
  const shown = await h.api<{ privateEndpoint: string }>('GET', `/v1/deployments/${dep.id}`);
  assert.equal(shown.body.privateEndpoint, '10.11.0.10:8883');

  const vpc = aws.customerVpc('172.24.0.0/24');
  const pcx = await aws.requestPeering(vpc);
  const body = { ...aws.submitBody(pcx, { customerVpcId: vpc }), deploymentId: dep.id };
  const created = await h.api<P>('POST', '/v1/peerings', body);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  type Detail = P & { customerSide: { connectTo: string | null } };
  const running = await h.drive<Detail>(created.body.id, (p) => p.status === 'running');
  assert.equal(running.customerSide.connectTo, '10.11.0.10:8883');
  const withoutEndpoint = await h.api<{ privateEndpoint: string | null }>('GET', `/v1/deployments/${aws.deploymentId}`);
  assert.equal(withoutEndpoint.body.privateEndpoint, null, 'not registered: null, and the console says where instead');
});

// Operator-only events (issue 16): a platform account whose key the cloud does not know is told to the operator once
// (not on every retry), at GET /v1/admin/events, in both languages — and never to an organization.
interface Rendered {
  id: string;
  type: string;
  organizationId: string | null;
  data: { cloud: string; accountId: string; region: string; reason: { code: string; message: Record<string, string> } };
}

const operatorEvents = async (query = '') => {
  const r = await h.api<{ items: Rendered[] }>('GET', `/v1/admin/events${query}`, undefined, { key: OPERATOR_TOKEN });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items;
};

test('a platform account the cloud refuses is told to the operator once, never to the organization', async () => {
  const account = await h.admin<{ id: string }>('/v1/admin/platform-accounts', {
    provider: 'aws',
    region: aws.region,
    accountId: '333333333333',
    endpoint: h.sim.endpoint(awsSimulation),
    credentials: { accessKeyId: 'AKIAREVOKEDREVOKED00', secretAccessKey: 'no-longer-valid' },
  });
  const deployment = await h.admin<{ id: string }>('/v1/admin/deployments', {
    orgId: h.orgId,
    name: 'revoked-broker',
    plan: 'dedicated-professional',
    region: aws.region,
    vpcId: 'vpc-0badc0de',
    vpcCidr: '10.40.0.0/16',
    platformAccountId: account.id,
    routeTableIds: ['rtb-0badc0de'],
  });
  const pcx = await aws.requestPeering(aws.customerVpc('172.20.1.0/24'));
  const body = { ...aws.submitBody(pcx), deploymentId: deployment.id };
  for (let i = 0; i < 3; i++) {
    const r = await h.api<{ code: string }>('POST', '/v1/peerings', body);
    assert.ok(r.status >= 400, `the submit cannot verify the request: ${r.status} ${JSON.stringify(r.body)}`);
  }
  let refused: Rendered[] = [];
  for (const until = Date.now() + 5_000; refused.length === 0 && Date.now() < until;)
    refused = (await operatorEvents()).filter((e) => e.type === 'platform.credentials_refused');
  assert.equal(refused.length, 1, 'three refused calls, one event');
  const e = refused[0];
  assert.equal(e.organizationId, null);
  assert.equal(e.data.cloud, 'aws');
  assert.equal(e.data.accountId, '333333333333');
  assert.equal(e.data.region, aws.region);
  assert.equal(e.data.reason.code, 'PLATFORM_CREDENTIALS_REFUSED');
  assert.match(e.data.reason.message.en, /AWS refused platform account 333333333333 \(us-east-1\).*AuthFailure/);
  assert.match(e.data.reason.message['zh-CN'], /拒绝了平台账号 333333333333/);
  assert.ok(!JSON.stringify(e).includes('127.0.0.1'), 'the simulator’s endpoint is not in the event');

  // the organization's own events and stream never carry it; the operator list filters by audience
  const mine = await h.api<{ items: Rendered[] }>('GET', '/v1/events?limit=500');
  assert.equal(mine.status, 200);
  assert.ok(!mine.body.items.some((x) => x.type.startsWith('platform.')), 'not the organization’s business');
  assert.ok(!(await operatorEvents('?audience=org')).some((x) => x.type.startsWith('platform.')), 'audience=org');
  assert.ok(
    (await operatorEvents('?audience=all')).some((x) => x.id === e.id),
    'audience=all',
  );
  const asCustomer = await h.api('GET', '/v1/admin/events');
  assert.ok(asCustomer.status === 401 || asCustomer.status === 403, `a customer key: ${asCustomer.status}`);
});
