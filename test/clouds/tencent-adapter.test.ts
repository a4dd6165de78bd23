import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { TencentAdapter, classifyTencentError } from '../../src/clouds/tencent/adapter.js';
import { TcCustomer } from '../../src/clouds/tencent/customer.js';
import { ProviderError, type PlatformTarget } from '../../src/clouds/provider.js';
import { platformContract } from './contract.js';

let sim: Simulator;
let platform: PlatformTarget;
let customer: TcCustomer;
let deploymentVpc: string;
let customerVpc: string;
const adapter = new TencentAdapter();
const region = 'ap-guangzhou';
const platformUin = '100000000001';
const customerUin = '200000000002';
let ccn = '';

before(async () => {
  sim = await startSimulator();
  const p = sim.tencent.createAccount(platformUin);
  const c = sim.tencent.createAccount(customerUin);
  deploymentVpc = sim.tencent.createVpc({ uin: platformUin, region }, '10.14.0.0/16').id;
  customerVpc = sim.tencent.createVpc({ uin: customerUin, region }, '172.31.0.0/16').id;
  platform = {
    provider: 'tencent',
    region,
    accountId: platformUin,
    endpoint: sim.endpoints.tencent,
    credentials: { accessKeyId: p.secretId, secretAccessKey: p.secretKey },
  };
  customer = new TcCustomer({ endpoint: sim.endpoints.tencent, region, secretId: c.secretId, secretKey: c.secretKey });
});
after(() => sim.close());

platformContract('tencent', () => ({
  sim,
  provider: 'tencent',
  adapter,
  target: platform,
  deploymentVpcId: deploymentVpc,
  routeTableIds: [],
  customer: { accountId: customerUin, vpcId: '', cidrs: ['172.31.0.0/16'], region },
  request: async () => (ccn = await customer.createCcn('contract', customerVpc)),
  settle: () => sim.clock.advance(5_000),
  approve: () => customer.approve(ccn, deploymentVpc),
  attachElsewhere: async () => {
    const other = await customer.createCcn('other');
    await adapter.request!(platform, {
      connectionId: other,
      accepterVpcId: deploymentVpc,
      requesterAccountId: customerUin,
    });
  },
  unknownId: 'ccn-00000000',
}));

test('CCN semantics: one CCN per VPC, reject, Tencent’s own expiry then Reset, owner-only approval, API 3.0 envelope', async () => {
  const vpc = sim.tencent.createVpc({ uin: platformUin, region }, '10.15.0.0/16').id;
  const a = await customer.createCcn('a', sim.tencent.createVpc({ uin: customerUin, region }, '172.20.0.0/16').id);
  const b = await customer.createCcn('b');
  const ref = { connectionId: a, accepterVpcId: vpc, requesterAccountId: customerUin };
  await adapter.request(platform, ref);
  await assert.rejects(
    adapter.request(platform, { ...ref, connectionId: b }),
    (e: unknown) =>
      e instanceof ProviderError && e.kind === 'permanent' && e.providerCode === 'UnsupportedOperation.CcnAttached',
  );
  await customer.reject(a, vpc);
  assert.equal((await adapter.describe(platform, [a], vpc)).get(a)?.phase, 'rejected');
  await adapter.request(platform, ref); // a rejected application is replaced by a new one
  assert.equal((await adapter.describe(platform, [a], vpc)).get(a)?.phase, 'awaiting-customer');
  sim.clock.advance(7 * 24 * 3600_000);
  assert.equal((await adapter.describe(platform, [a], vpc)).get(a)?.providerStatus, 'EXPIRED');
  const resets = sim.faults.count('tencent', 'ResetAttachCcnInstances');
  await adapter.request(platform, ref); // re-applies with ResetAttachCcnInstances
  assert.equal(sim.faults.count('tencent', 'ResetAttachCcnInstances') - resets, 1);
  assert.equal((await adapter.describe(platform, [a], vpc)).get(a)?.phase, 'awaiting-customer');
  // only the CCN owner approves
  const asPlatform = new TcCustomer({
    endpoint: sim.endpoints.tencent,
    region,
    secretId: platform.credentials.accessKeyId,
    secretKey: platform.credentials.secretAccessKey,
  });
  await assert.rejects(asPlatform.approve(a, vpc), { code: 'UnauthorizedOperation' });
  await customer.approve(a, vpc);
  assert.equal(
    (await adapter.describe(platform, [a], vpc)).get(a)?.phase,
    'accepting',
    'ATTACHING right after the approval',
  );
  sim.clock.advance(2_000);
  assert.equal((await adapter.describe(platform, [a], vpc)).get(a)?.phase, 'active');
  await adapter.deleteConnection(platform, a, vpc);
  // always HTTP 200, errors inside Response
  const res = await fetch(`${sim.url}/`, {
    method: 'POST',
    headers: {
      'x-tc-action': 'DescribeCcns',
      'x-tc-version': '2017-03-12',
      'x-tc-region': region,
      'content-type': 'application/json',
    },
    body: '{}',
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { Response: { Error: { Code: string; Message: string }; RequestId: string } };
  assert.equal(body.Response.Error.Code, 'AuthFailure.SignatureFailure');
  assert.ok(body.Response.RequestId);
});

test('route conflicts are named: a disabled route and an overlapping one', async () => {
  const vpc = sim.tencent.createVpc({ uin: platformUin, region }, '10.16.0.0/16').id;
  const mine = sim.tencent.createVpc({ uin: customerUin, region }, '172.21.0.0/16').id;
  const clashing = sim.tencent.createVpc({ uin: customerUin, region }, '10.16.128.0/17').id;
  const c = await customer.createCcn('conflicts', mine);
  await customer.attach(c, clashing); // attached before the deployment: the deployment's own route loses
  await adapter.request(platform, { connectionId: c, accepterVpcId: vpc, requesterAccountId: customerUin });
  await customer.approve(c, vpc);
  sim.clock.advance(2_000);
  const seen = (await adapter.describe(platform, [c], vpc)).get(c)!;
  assert.equal(seen.phase, 'active');
  assert.equal(seen.routeConflicts?.length, 2);
  assert.ok(seen.routeConflicts!.some((r) => r.includes('10.16.0.0/16') && r.includes('disabled')));
  assert.ok(seen.routeConflicts!.some((r) => r.includes('10.16.128.0/17') && r.includes('overlaps')));
  await adapter.deleteConnection(platform, c, vpc);
});

test('errors are classified from the documented codes', () => {
  const k = (code?: string, httpCode?: number) =>
    classifyTencentError('X', { code, message: 'm', requestId: 'r', httpCode }).kind;
  assert.equal(k('RequestLimitExceeded'), 'transient');
  assert.equal(k('RequestLimitExceeded.UinLimitExceeded'), 'transient');
  assert.equal(k('InternalError'), 'transient');
  assert.equal(k(undefined, 502), 'transient');
  assert.equal(k('UnsupportedOperation.NotPendingCcnInstance'), 'conflict');
  for (const code of [
    'InvalidParameter',
    'InvalidParameterValue.Malformed',
    'ResourceNotFound',
    'UnsupportedOperation.CcnAttached',
    'AuthFailure.SignatureExpire',
    'AuthFailure.SecretIdNotFound',
    'UnauthorizedOperation',
  ])
    assert.equal(k(code), 'permanent', code);
});
