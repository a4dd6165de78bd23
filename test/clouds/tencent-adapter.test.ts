import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { ProviderError, type ConnectionRef, type PlatformTarget } from '../../src/clouds/provider.js';
import { tencentAdapter } from '../../src/clouds/tencent/adapter.js';
import { TcCustomer } from '../../src/clouds/tencent/customer.js';
import { classifyTencentError } from '../../src/clouds/tencent/errors.js';
import type { TcWorld } from '../../src/clouds/tencent/sim-world.js';
import { tencentSimulation } from '../../src/clouds/tencent/simulation.js';

let sim: Simulator;
let world: TcWorld;
let platform: PlatformTarget;
let customer: TcCustomer;
const adapter = tencentAdapter();
const region = 'ap-guangzhou';
const platformUin = '100000000001';
const customerUin = '200000000002';

before(async () => {
  sim = await startSimulator();
  world = sim.world(tencentSimulation);
  const p = world.createAccount(platformUin);
  const c = world.createAccount(customerUin);
  platform = {
    provider: 'tencent',
    region,
    accountId: platformUin,
    endpoint: sim.endpoint(tencentSimulation),
    credentials: { accessKeyId: p.secretId, secretAccessKey: p.secretKey },
  };
  customer = new TcCustomer({
    endpoint: sim.endpoint(tencentSimulation),
    region,
    secretId: c.secretId,
    secretKey: c.secretKey,
  });
});
after(() => sim.close());

/** The customer's CCN, as the platform names it to join the deployment network `vpc` to it. */
const refTo = (ccnId: string, vpc: string): ConnectionRef => ({
  connectionId: ccnId,
  deploymentVpcId: vpc,
  customerAccountId: customerUin,
  customerVpcId: '',
  customerCidrs: [],
});

test(
  'CCN semantics: one CCN per VPC, reject, Tencent’s own ' + 'expiry then Reset, owner-only approval, API 3.0 envelope',
  async () => {
    const vpc = world.createVpc({ uin: platformUin, region }, '10.15.0.0/16').id;
    const a = await customer.createCcn('a', world.createVpc({ uin: customerUin, region }, '172.20.0.0/16').id);
    const b = await customer.createCcn('b');
    const ref = refTo(a, vpc);
    await adapter.requester.request(platform, ref);
    await assert.rejects(
      adapter.requester.request(platform, refTo(b, vpc)),
      (e: unknown) =>
        e instanceof ProviderError && e.kind === 'permanent' && e.providerCode === 'UnsupportedOperation.CcnAttached',
    );
    await customer.reject(a, vpc);
    assert.equal((await adapter.connections.observe(platform, ref))?.phase, 'rejected');
    await adapter.requester.request(platform, ref); // a rejected application is replaced by a new one
    assert.equal((await adapter.connections.observe(platform, ref))?.phase, 'awaiting-customer');
    sim.clock.advance(7 * 24 * 3600_000);
    assert.equal((await adapter.connections.observe(platform, ref))?.providerStatus, 'EXPIRED');
    const resets = sim.faults.count('tencent', 'ResetAttachCcnInstances');
    await adapter.requester.request(platform, ref); // re-applies with ResetAttachCcnInstances
    assert.equal(sim.faults.count('tencent', 'ResetAttachCcnInstances') - resets, 1);
    assert.equal((await adapter.connections.observe(platform, ref))?.phase, 'awaiting-customer');
    // only the CCN owner approves
    const asPlatform = new TcCustomer({
      endpoint: sim.endpoint(tencentSimulation),
      region,
      secretId: platform.credentials.accessKeyId,
      secretKey: platform.credentials.secretAccessKey,
    });
    await assert.rejects(asPlatform.approve(a, vpc), { code: 'UnauthorizedOperation' });
    await customer.approve(a, vpc);
    assert.equal(
      (await adapter.connections.observe(platform, ref))?.phase,
      'accepting',
      'ATTACHING right after the approval',
    );
    sim.clock.advance(2_000);
    assert.equal((await adapter.connections.observe(platform, ref))?.phase, 'active');
    await adapter.connections.close(platform, ref);
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
    assert.ok(body.Response.RequestId, 'a RequestId in the envelope');
  },
);

test('route conflicts are named: a disabled route and an overlapping one', async () => {
  const vpc = world.createVpc({ uin: platformUin, region }, '10.16.0.0/16').id;
  const mine = world.createVpc({ uin: customerUin, region }, '172.21.0.0/16').id;
  const clashing = world.createVpc({ uin: customerUin, region }, '10.16.128.0/17').id;
  const c = await customer.createCcn('conflicts', mine);
  await customer.attach(c, clashing); // attached before the deployment: the deployment's own route loses
  await adapter.requester.request(platform, refTo(c, vpc));
  await customer.approve(c, vpc);
  sim.clock.advance(2_000);
  const seen = await adapter.connections.observe(platform, refTo(c, vpc));
  assert.equal(seen?.phase, 'active');
  const conflicts = seen?.routeConflicts ?? [];
  assert.equal(conflicts.length, 2);
  assert.ok(
    conflicts.some((r) => r.includes('10.16.0.0/16') && r.includes('disabled')),
    'the disabled route',
  );
  assert.ok(
    conflicts.some((r) => r.includes('10.16.128.0/17') && r.includes('overlaps')),
    'the overlapping route',
  );
  await adapter.connections.close(platform, refTo(c, vpc));
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
