/**
 * Tencent Cloud's quirks, the adapter against its simulator through the official SDK: the platform's attachment read
 * with the CCN's id, the customer's CCN read only where the cloud allows it, the documented Attach and Detach codes,
 * withdrawing a pending application, the international endpoint. The audit rows (T-n) are those of
 * shared/reference/cloud-fidelity-audit.md; docs/CLOUDS.md gives each behaviour's source.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { applyMode, type SimMode } from '../../src/clouds/sim/contract.js';
import { ProviderError, type ConnectionRef, type PlatformTarget } from '../../src/clouds/provider.js';
import { tencentAdapter } from '../../src/clouds/tencent/adapter.js';
import { TcCustomer } from '../../src/clouds/tencent/customer.js';
import { classifyTencentError } from '../../src/clouds/tencent/errors.js';
import { tencentClient } from '../../src/clouds/tencent/sdk.js';
import type { TcWorld } from '../../src/clouds/tencent/sim-world.js';
import { tencentSimulation } from '../../src/clouds/tencent/simulation.js';

const adapter = tencentAdapter();
const region = 'ap-guangzhou';
const platformUin = '100000000001';
const customerUin = '200000000002';

interface Cloud {
  sim: Simulator;
  world: TcWorld;
  platform: PlatformTarget;
  customer: TcCustomer;
  /** a new deployment VPC of the platform */
  deploymentVpc(cidr: string): string;
  /** a new customer VPC */
  customerVpc(cidr: string): string;
}

const sims: Simulator[] = [];
after(async () => {
  for (const s of sims) await s.close();
});

async function cloud(mode: SimMode = 'strict'): Promise<Cloud> {
  const sim = await startSimulator();
  sims.push(sim);
  const world = sim.world(tencentSimulation);
  applyMode(tencentSimulation, world, mode);
  const p = world.createAccount(platformUin);
  const c = world.createAccount(customerUin);
  return {
    sim,
    world,
    platform: {
      provider: 'tencent',
      region,
      accountId: platformUin,
      endpoint: sim.endpoint(tencentSimulation),
      credentials: { accessKeyId: p.secretId, secretAccessKey: p.secretKey },
    },
    customer: new TcCustomer({
      endpoint: sim.endpoint(tencentSimulation),
      region,
      secretId: c.secretId,
      secretKey: c.secretKey,
    }),
    deploymentVpc: (cidr) => world.createVpc({ uin: platformUin, region }, cidr).id,
    customerVpc: (cidr) => world.createVpc({ uin: customerUin, region }, cidr).id,
  };
}

/** The customer's CCN, as the platform names it to join the deployment network `vpc` to it. */
const refTo = (ccnId: string, vpc: string, uin = customerUin): ConnectionRef => ({
  connectionId: ccnId,
  deploymentVpcId: vpc,
  customerAccountId: uin,
  customerVpcId: '',
  customerCidrs: ['172.20.0.0/16'],
});

const refused =
  (code: string, kind = 'permanent') =>
  (e: unknown) =>
    e instanceof ProviderError && e.kind === kind && e.providerCode === code;

for (const mode of ['strict', 'permissive'] as const) {
  test(`T-1, T-2 (${mode}): the attachment read with the CCN id, the rest of the CCN only where allowed`, async () => {
    const c = await cloud(mode);
    const vpc = c.deploymentVpc('10.16.0.0/16');
    const ccn = await c.customer.createCcn('conflicts', c.customerVpc('172.21.0.0/16'));
    await c.customer.attach(ccn, c.customerVpc('10.16.128.0/17')); // before the deployment: its own route loses
    const ref = refTo(ccn, vpc);
    await adapter.requester.request(c.platform, ref);
    const pending = await adapter.connections.observe(c.platform, ref);
    // found although a CcnId-less query does not list applications to other accounts' CCNs (strict)
    assert.equal(pending?.phase, 'awaiting-customer', 'the application is found');
    const readable = mode === 'permissive';
    assert.deepEqual(pending.customer.cidrs, readable ? ['172.21.0.0/16', '10.16.128.0/17'] : []);
    await c.customer.approve(ccn, vpc);
    c.sim.clock.advance(5_000);
    const active = await adapter.connections.observe(c.platform, ref);
    assert.equal(active?.phase, 'active');
    if (readable) {
      const conflicts = active.routeConflicts ?? [];
      assert.equal(conflicts.length, 2);
      assert.ok(
        conflicts.some((r) => r.includes('10.16.0.0/16') && r.includes('disabled')),
        'the disabled route',
      );
      assert.ok(
        conflicts.some((r) => r.includes('10.16.128.0/17') && r.includes('overlaps')),
        'the overlapping route',
      );
    } else {
      assert.equal(active.routeConflicts, undefined, 'route conflicts not observable: not reported');
    }
    const listed = [];
    for await (const page of adapter.connections.list(c.platform)) listed.push(...page);
    assert.equal(listed.length, readable ? 1 : 0, 'a CcnId-less listing shows it only where the cloud lists it');
  });
}

test('T-3: detach — CcnNotAttached is done, MutexOperationTaskRunning a retry; DETACHING, then DELETED', async () => {
  const c = await cloud();
  const vpc = c.deploymentVpc('10.15.0.0/16');
  const ccn = await c.customer.createCcn('a', c.customerVpc('172.20.0.0/16'));
  const ref = refTo(ccn, vpc);
  await adapter.requester.request(c.platform, ref);
  await c.customer.approve(ccn, vpc);
  c.sim.clock.advance(5_000);
  await adapter.connections.close(c.platform, ref);
  assert.equal((await adapter.connections.observe(c.platform, ref))?.phase, 'deleting', 'DETACHING');
  await assert.rejects(
    adapter.connections.close(c.platform, ref),
    refused('UnsupportedOperation.MutexOperationTaskRunning', 'conflict'),
  );
  c.sim.clock.advance(5_000);
  assert.equal((await adapter.connections.observe(c.platform, ref))?.phase, 'deleted');
  const detaches = c.sim.faults.count('tencent', 'DetachCcnInstances');
  await adapter.connections.close(c.platform, ref); // CcnNotAttached: done
  assert.equal(c.sim.faults.count('tencent', 'DetachCcnInstances') - detaches, 1, 'the cloud answered CcnNotAttached');
});

for (const mode of ['strict', 'permissive'] as const) {
  test(`T-4 (${mode}): withdrawing a pending application: done where allowed, else a visible refusal`, async () => {
    const c = await cloud(mode);
    const vpc = c.deploymentVpc('10.15.0.0/16');
    const ccn = await c.customer.createCcn('a', c.customerVpc('172.20.0.0/16'));
    const ref = refTo(ccn, vpc);
    const attaches = () =>
      c.sim.faults.calls.filter((x) => x.action === 'AttachCcnInstances' && x.account === platformUin);
    await adapter.requester.request(c.platform, ref);
    if (mode === 'permissive') {
      await adapter.connections.close(c.platform, ref);
      assert.equal((await adapter.connections.observe(c.platform, ref))?.phase, 'deleted', 'withdrawn');
      return;
    }
    await assert.rejects(
      adapter.connections.close(c.platform, ref),
      (e: unknown) =>
        refused('UnsupportedOperation.CcnNotAttached')(e) && /could not be withdrawn.*joins nothing/.test(String(e)),
    );
    assert.equal((await adapter.connections.observe(c.platform, ref))?.phase, 'awaiting-customer', 'still pending');
    // harmless: a retried request reuses it, the customer may still answer it
    await adapter.requester.request(c.platform, ref);
    assert.equal(attaches().length, 1, 'no second application');
    await c.customer.reject(ccn, vpc);
    assert.equal((await adapter.connections.observe(c.platform, ref))?.phase, 'rejected');
  });
}

test('T-5: a wrong UIN, a CCN closed to other accounts, a missing deployment VPC — each its own code', async () => {
  const c = await cloud();
  const vpc = c.deploymentVpc('10.15.0.0/16');
  const ccn = await c.customer.createCcn('a', c.customerVpc('172.20.0.0/16'));
  await assert.rejects(
    adapter.requester.request(c.platform, refTo(ccn, vpc, '300000000003')),
    refused('UnsupportedOperation.UinNotFound'),
  );
  // an account that exists but does not own the CCN
  c.world.createAccount('300000000004');
  await assert.rejects(
    adapter.requester.request(c.platform, refTo(ccn, vpc, '300000000004')),
    refused('ResourceNotFound'),
  );
  const closed = c.world.createCcn({ uin: customerUin, region }, 'closed', '', false).id;
  await assert.rejects(
    adapter.requester.request(c.platform, refTo(closed, vpc)),
    refused('UnsupportedOperation.CcnCrossAccount'),
  );
  // the deployment VPC is what is missing: not blamed on the customer's CCN
  await assert.rejects(
    adapter.requester.request(c.platform, refTo(ccn, 'vpc-00000000')),
    refused('DeploymentVpcNotFound'),
  );
});

for (const mode of ['strict', 'permissive'] as const) {
  test(`T-6 (${mode}): a second application to the same CCN is made, whichever code says so`, async () => {
    const c = await cloud(mode);
    const vpc = c.deploymentVpc('10.15.0.0/16');
    const ccn = await c.customer.createCcn('a', c.customerVpc('172.20.0.0/16'));
    // two steps racing (a crash after the call landed): both see nothing yet, both apply
    await Promise.all([
      adapter.requester.request(c.platform, refTo(ccn, vpc)),
      adapter.requester.request(c.platform, refTo(ccn, vpc)),
    ]);
    const attaches = c.sim.faults.calls.filter((x) => x.action === 'AttachCcnInstances' && x.account === platformUin);
    assert.equal(attaches.length, 2, 'both reached the cloud');
    assert.equal((await adapter.connections.observe(c.platform, refTo(ccn, vpc)))?.phase, 'awaiting-customer');
    // another CCN: refused, saying why
    const other = await c.customer.createCcn('b');
    await assert.rejects(
      adapter.requester.request(c.platform, refTo(other, vpc)),
      (e: unknown) =>
        refused('UnsupportedOperation.CcnAttached')(e) && /already attached to another CCN/.test(String(e)),
    );
  });
}

for (const mode of ['strict', 'permissive'] as const) {
  test(`T-7 (${mode}): after a rejection: re-applied where Tencent allows it, else a clear refusal`, async () => {
    const c = await cloud(mode);
    const vpc = c.deploymentVpc('10.15.0.0/16');
    const ccn = await c.customer.createCcn('a', c.customerVpc('172.20.0.0/16'));
    const ref = refTo(ccn, vpc);
    await adapter.requester.request(c.platform, ref);
    await c.customer.reject(ccn, vpc);
    assert.equal((await adapter.connections.observe(c.platform, ref))?.phase, 'rejected');
    if (mode === 'strict') {
      await assert.rejects(
        adapter.requester.request(c.platform, ref),
        (e: unknown) =>
          refused('UnsupportedOperation.InvalidState')(e) && /rejected the earlier application/.test(String(e)),
      );
      return;
    }
    await adapter.requester.request(c.platform, ref);
    assert.equal((await adapter.connections.observe(c.platform, ref))?.phase, 'awaiting-customer');
  });
}

test('T-8: Tencent’s own expiry, then Reset; only the CCN owner approves', async () => {
  const c = await cloud();
  const vpc = c.deploymentVpc('10.15.0.0/16');
  const ccn = await c.customer.createCcn('a', c.customerVpc('172.20.0.0/16'));
  const ref = refTo(ccn, vpc);
  await adapter.requester.request(c.platform, ref);
  c.sim.clock.advance(5 * 60_000); // the strict simulator's application lifetime
  assert.equal((await adapter.connections.observe(c.platform, ref))?.providerStatus, 'EXPIRED');
  await adapter.requester.request(c.platform, ref); // re-applies with ResetAttachCcnInstances
  assert.equal(c.sim.faults.count('tencent', 'ResetAttachCcnInstances'), 1);
  assert.equal((await adapter.connections.observe(c.platform, ref))?.phase, 'awaiting-customer');
  // only the CCN owner approves
  const asPlatform = new TcCustomer({
    endpoint: c.sim.endpoint(tencentSimulation),
    region,
    secretId: c.platform.credentials.accessKeyId ?? '',
    secretKey: c.platform.credentials.secretAccessKey ?? '',
  });
  await assert.rejects(asPlatform.approve(ccn, vpc), { code: 'UnauthorizedOperation' });
});

test('T-10, T-12, T-14: InstanceType required, RouteIds with Filters refused, an HTTP 200 envelope', async () => {
  const c = await cloud();
  const raw = tencentClient({
    endpoint: c.sim.endpoint(tencentSimulation),
    region,
    secretId: c.platform.credentials.accessKeyId ?? '',
    secretKey: c.platform.credentials.secretAccessKey ?? '',
  });
  const ccn = await c.customer.createCcn('a', c.customerVpc('172.20.0.0/16'));
  await assert.rejects(
    raw.AttachCcnInstances({
      CcnId: ccn,
      CcnUin: customerUin,
      Instances: [{ InstanceId: c.deploymentVpc('10.15.0.0/16'), InstanceRegion: region } as never],
    }),
    { code: 'MissingParameter' },
  );
  await assert.rejects(
    c.customer['client'].DescribeCcnRoutes({
      CcnId: ccn,
      RouteIds: ['ccnr-1'],
      Filters: [{ Name: 'route-id', Values: ['x'] }],
    }),
    { code: 'InvalidParameter.Coexist' },
  );
  const res = await fetch(`${c.sim.url}/`, {
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
  const body = (await res.json()) as { Response: { Error: { Code: string }; RequestId: string } };
  assert.equal(body.Response.Error.Code, 'AuthFailure.SignatureFailure');
  assert.ok(body.Response.RequestId, 'a RequestId in the envelope');
});

test('§5: the international endpoint, per platform account, signed for the vpc service', () => {
  const intl = tencentClient({
    endpoint: 'https://vpc.intl.tencentcloudapi.com',
    region,
    secretId: 'a',
    secretKey: 'b',
  });
  const china = tencentClient({ region, secretId: 'a', secretKey: 'b' });
  for (const [client, host] of [
    [intl, 'vpc.intl.tencentcloudapi.com'],
    [china, 'vpc.tencentcloudapi.com'],
  ] as const) {
    const c = client as unknown as { endpoint: string; profile: { httpProfile: { protocol: string } } };
    assert.equal(c.endpoint, host);
    assert.equal(c.profile.httpProfile.protocol, 'https://');
    // TC3's service is the endpoint's first label (tencentcloud-sdk-nodejs common/abstract_client.js)
    assert.equal(c.endpoint.split('.')[0], 'vpc');
  }
});

test('§4: transient and permanent as the Terraform provider’s retryableErrorCode has them (and why not)', () => {
  const k = (code?: string, httpCode?: number) =>
    classifyTencentError('X', { code, message: 'm', requestId: 'r', httpCode }).kind;
  for (const code of [
    'RequestLimitExceeded',
    'RequestLimitExceeded.UinLimitExceeded',
    'ResourceInUse',
    'ResourceInUse.Address',
    'ResourceBusy',
    'ResourceUnavailable',
    'ResourceUnavailable.ServiceWhiteListNotAdded',
    // not in Terraform's list: a 5xx-like answer never fails a peering here (docs/CLOUDS.md)
    'InternalError',
    'InternalError.ModuleError',
  ])
    assert.equal(k(code), 'transient', code);
  assert.equal(k(undefined, 502), 'transient');
  for (const code of [
    'UnsupportedOperation.NotPendingCcnInstance',
    'UnsupportedOperation.InvalidInstanceState',
    'UnsupportedOperation.MutexOperationTaskRunning',
  ])
    assert.equal(k(code), 'conflict', code);
  for (const code of [
    'InvalidParameter',
    'InvalidParameterValue.Malformed',
    'ResourceNotFound',
    'ResourceInsufficient',
    'UnsupportedOperation.CcnAttached',
    'UnsupportedOperation.UinNotFound',
    'UnsupportedOperation.CcnCrossAccount',
    'AuthFailure.SignatureExpire',
    'AuthFailure.SecretIdNotFound',
    'UnauthorizedOperation',
  ])
    assert.equal(k(code), 'permanent', code);
});
