/**
 * Operator-only events (issue 16) end to end: a platform account whose key the cloud does not know is told to the
 * operator once (not on every retry), at `GET /v1/admin/events`, in both languages — and never to an organization.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { awsSimulation, type AwsFixture } from '../../src/clouds/aws/simulation.js';
import { startHarness, OPERATOR_TOKEN, type Harness } from '../support/harness.js';

let h: Harness;
let aws: AwsFixture;
before(async () => {
  h = await startHarness();
  aws = await h.fixture(awsSimulation);
});
after(() => h.close());

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
