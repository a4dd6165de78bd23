/**
 * The seed's Tencent flow (腾讯云平台对等连接 — 云联网) end to end over HTTP, against the simulated Tencent Cloud
 * through the official SDK: the customer names its CCN and UIN, the platform asks to attach the deployment VPC, the
 * customer approves within the window (10 minutes by default), or the request is withdrawn and can be retried.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  tencentSimulation,
  type TencentFixture,
  TC_CUSTOMER_UIN,
  TC_PLATFORM_UIN,
} from '../../src/clouds/tencent/simulation.js';
import { startHarness, type Harness } from '../support/harness.js';
import { must } from '../support/must.js';

let h: Harness;
let tc: TencentFixture;
before(async () => {
  h = await startHarness();
  tc = await h.fixture(tencentSimulation);
});
after(() => h.close());

interface P {
  id: string;
  status: string;
  providerPeeringId: string;
  customerCidrs: string[];
  deadlineAt: string | null;
  reason: { code: string; message: string } | null;
}
interface Refused {
  code: string;
  message: string;
}

const MIN = 60_000;
const drive = (id: string, until: (p: P) => boolean, stepMs = 1_000, timeoutMs?: number) =>
  h.drive<P>(id, until, stepMs, timeoutMs);
const submit = (ccnId: string, deploymentId = tc.deploymentId, uin = TC_CUSTOMER_UIN) =>
  h.api<P & Refused>('POST', '/v1/peerings', { deploymentId, providerPeeringId: ccnId, customerAccountId: uin });
const attachment = (ccnId: string, vpcId = tc.deploymentVpcId) =>
  tc.world.attachments.find((a) => a.ccnId === ccnId && a.instanceId === vpcId);
/** waits without moving the clock (the clock is the test's to move) */
const settle = (id: string, until: (p: P) => boolean) => h.waitFor<P>(`/v1/peerings/${id}`, until);

test(
  'the seed Tencent flow: CCN with your VPC, submit CCN ' + 'ID and UIN, approve after 9 minutes, running, delete',
  async () => {
    const facts = await h.api<{
      facts: Array<{ key: string; label: string; value: string }>;
      form: Array<{ key: string }>;
      guidance: { commands: string; steps: Array<{ 'zh-CN': string }> };
    }>('GET', `/v1/deployments/${tc.deploymentId}/peering-facts`, undefined, { lang: 'zh-CN' });
    assert.equal(
      Object.fromEntries(facts.body.facts.map((f) => [f.label, f.value]))['部署 VPC ID'],
      tc.deploymentVpcId,
    );
    assert.deepEqual(
      facts.body.form.map((f) => f.key),
      ['providerPeeringId', 'customerAccountId'],
      'the seed’s form: CCN instance ID and its account ID',
    );
    assert.match(facts.body.guidance.commands, /tccli vpc AcceptAttachCcnInstances/);
    assert.ok(facts.body.guidance.steps.some((s) => s['zh-CN'].includes('10 分钟')));

    const ccn = await tc.customer.createCcn('prod', tc.vpcId);
    const created = await submit(ccn);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const submittedAt = Date.parse(must(created.body.deadlineAt, 'a deadline')) - 10 * MIN;
    const waiting = await settle(created.body.id, (p) => p.status === 'awaiting-customer');
    assert.equal(attachment(ccn)?.state, 'PENDING', 'the platform asked to attach the deployment VPC');
    assert.equal(waiting.reason?.code, 'PEERING_AWAITING_CUSTOMER');
    assert.match(waiting.reason.message, new RegExp(`CCN ${ccn}.*${tc.deploymentVpcId}.*${TC_PLATFORM_UIN}`));
    assert.deepEqual(waiting.customerCidrs, [], 'nothing running yet');

    h.sim.clock.advance(9 * MIN - (h.sim.clock.now().getTime() - submittedAt));
    await tc.customer.approve(ccn, tc.deploymentVpcId);
    const running = await drive(created.body.id, (p) => p.status === 'running', 1_000);
    assert.equal(running.reason, null);
    assert.deepEqual(running.customerCidrs, ['172.31.0.0/16'], 'the CIDRs of the customer VPCs in the CCN');
    assert.equal(attachment(ccn)?.state, 'ACTIVE');

    assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
    await drive(created.body.id, (p) => p.status === 'deleted');
    assert.equal(attachment(ccn)?.state, 'DELETED', 'detached from the customer’s CCN');
  },
);

test(
  'no approval by 10 minutes: failed (expired), the pending ' +
    'request withdrawn; a retry sends a new one that succeeds',
  async () => {
    const ccn = await tc.customer.createCcn('late', tc.vpc('172.22.0.0/16'));
    const created = await submit(ccn);
    await settle(created.body.id, (p) => p.status === 'awaiting-customer');
    h.sim.clock.advance(10 * MIN);
    const failed = await drive(created.body.id, (p) => p.status === 'failed');
    assert.equal(failed.reason?.code, 'PEERING_APPROVAL_EXPIRED');
    await settle(created.body.id, () => attachment(ccn)?.state === 'DELETED');
    assert.equal(attachment(ccn)?.state, 'DELETED', 'Peerlink withdrew its pending application');
    await assert.rejects(tc.customer.approve(ccn, tc.deploymentVpcId), 'nothing left to approve');

    const retried = await h.api<P>('POST', `/v1/peerings/${created.body.id}/retry`);
    assert.equal(retried.status, 202, JSON.stringify(retried.body));
    assert.equal(retried.body.status, 'pending');
    assert.ok(
      Date.parse(must(retried.body.deadlineAt, 'a new deadline')) >= h.sim.clock.now().getTime() + 10 * MIN - 1_000,
      'a new 10-minute window',
    );
    await settle(created.body.id, (p) => p.status === 'awaiting-customer');
    await tc.customer.approve(ccn, tc.deploymentVpcId);
    await drive(created.body.id, (p) => p.status === 'running');
    const events = await h.api<{ items: Array<{ toStatus: string | null }> }>(
      'GET',
      `/v1/peerings/${created.body.id}/events`,
    );
    assert.deepEqual(
      events.body.items.filter((e) => e.toStatus).map((e) => e.toStatus),
      ['pending', 'awaiting-customer', 'failed', 'pending', 'awaiting-customer', 'running'],
    );
    assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
    await drive(created.body.id, (p) => p.status === 'deleted');
  },
);

test('a restart during the window neither loses nor extends it', async () => {
  const ccn = await tc.customer.createCcn('restart', tc.vpc('172.23.0.0/16'));
  const created = await submit(ccn);
  await settle(created.body.id, (p) => p.status === 'awaiting-customer');
  h.sim.clock.advance(5 * MIN);
  await h.restart();
  const after = (await h.api<P>('GET', `/v1/peerings/${created.body.id}`)).body;
  assert.equal(after.status, 'awaiting-customer');
  assert.equal(after.deadlineAt, created.body.deadlineAt, 'the deadline is the stored one');
  h.sim.clock.advance(5 * MIN);
  const failed = await drive(created.body.id, (p) => p.status === 'failed');
  assert.equal(failed.reason?.code, 'PEERING_APPROVAL_EXPIRED');
  const history = await h.api<{ items: Array<{ at: string; toStatus: string | null }> }>(
    'GET',
    `/v1/peerings/${created.body.id}/events`,
  );
  const failedAt = must(
    history.body.items.find((e) => e.toStatus === 'failed'),
    'a transition to failed',
  ).at;
  assert.ok(
    Date.parse(failedAt) - Date.parse(must(created.body.deadlineAt, 'a deadline')) < 30_000,
    'failed at the original deadline, not 10 minutes after the restart',
  );
  await settle(created.body.id, () => attachment(ccn)?.state === 'DELETED');
});

test(
  'rejection, a customer CIDR in the reserved range, a route ' +
    'conflict, a deployment already in another CCN, a wrong UIN',
  async () => {
    const rejected = await tc.customer.createCcn('rejected', tc.vpc('172.24.0.0/16'));
    const r = await submit(rejected);
    await settle(r.body.id, (p) => p.status === 'awaiting-customer');
    await tc.customer.reject(rejected, tc.deploymentVpcId);
    assert.equal((await drive(r.body.id, (p) => p.status === 'failed')).reason?.code, 'PEERING_REJECTED');

    const reserved = await tc.customer.createCcn('reserved', tc.vpc('10.20.0.0/16'));
    const c = await submit(reserved);
    const refusedCidr = await drive(c.body.id, (p) => p.status === 'failed');
    assert.equal(
      refusedCidr.reason?.code,
      'CIDR_RESERVED',
      'the CCN’s VPC CIDRs are checked as soon as they can be read',
    );
    await settle(c.body.id, () => attachment(reserved)?.state === 'DELETED');

    // a customer VPC in the CCN overlaps the deployment CIDR: the deployment's own route is disabled
    const clash = await tc.customer.createCcn('clash', tc.vpc('172.25.0.0/16'));
    await tc.customer.attach(clash, tc.vpc('10.14.128.0/17'));
    const k = await submit(clash);
    const failedClash = await drive(k.body.id, (p) => p.status === 'failed');
    assert.equal(
      failedClash.reason?.code,
      'CIDR_RESERVED',
      'an overlap inside the reserved range is refused by the rules first',
    );
    await settle(k.body.id, () => attachment(clash)?.state === 'DELETED');
    // a conflict the rules cannot see: the customer disabled the deployment's route after approving
    const disabled = await tc.customer.createCcn('disabled', tc.vpc('172.26.0.0/16'));
    const d = await submit(disabled);
    await settle(d.body.id, (p) => p.status === 'awaiting-customer');
    const routeId = `ccnr-`;
    await tc.customer.approve(disabled, tc.deploymentVpcId);
    h.sim.clock.advance(2_000);
    const ours = must(
      (await tc.customer.routes(disabled)).find((x) => x.InstanceId === tc.deploymentVpcId),
      'the deployment’s CCN route',
    );
    assert.ok(ours.RouteId?.startsWith(routeId));
    await tc.customer.setRoute(disabled, must(ours.RouteId, 'a route id'), false);
    const warned = await drive(d.body.id, (p) => p.status === 'running');
    assert.equal(warned.reason?.code, 'ROUTE_CONFLICT');
    assert.match(
      warned.reason.message,
      new RegExp(`${ours.RouteId} 10.14.0.0/16 via ${tc.deploymentVpcId} \\(disabled`),
    );

    // the deployment VPC is now in CCN "disabled": another CCN is refused at once, nothing stored
    const other = await tc.customer.createCcn('other', tc.vpc('172.27.0.0/16'));
    const busy = await submit(other);
    assert.equal(busy.status, 409);
    assert.equal(busy.body.code, 'DEPLOYMENT_JOINED_ELSEWHERE');
    assert.match(busy.body.message, new RegExp(disabled));
    // on the second deployment the same CCN is fine (one CCN, several deployments); a wrong UIN is named
    const wrongUin = await submit(other, tc.secondDeploymentId, '300000000003');
    const failedUin = await drive(wrongUin.body.id, (p) => p.status === 'failed');
    assert.equal(failedUin.reason?.code, 'CUSTOMER_NETWORK_NOT_FOUND');
    assert.match(failedUin.reason.message, new RegExp(`${other} of account 300000000003`));
    const rightUin = await submit(other, tc.secondDeploymentId);
    assert.equal(rightUin.status, 201, 'after the wrong one failed, the right UIN on the second deployment');
    await settle(rightUin.body.id, (p) => p.status === 'awaiting-customer');
    await tc.customer.approve(other, tc.secondVpcId);
    await drive(rightUin.body.id, (p) => p.status === 'running');
  },
);

test(
  'a throttling storm on the request, then drift: the ' + 'customer detaches the deployment; one list call fails it',
  async () => {
    const ccn = await tc.customer.createCcn('storm', tc.vpc('172.28.0.0/16'));
    // free the first deployment from the previous test's CCN
    const prev = (
      await h.api<{ items: Array<{ id: string; status: string; deploymentId: string }> }>(
        'GET',
        `/v1/peerings?deploymentId=${tc.deploymentId}&status=running`,
      )
    ).body.items;
    for (const p of prev) {
      assert.equal((await h.api('DELETE', `/v1/peerings/${p.id}`)).status, 202);
      await drive(p.id, (x) => x.status === 'deleted');
    }
    h.sim.faults.add({ kind: 'throttle', provider: 'tencent', action: 'AttachCcnInstances', times: 3 });
    const created = await submit(ccn);
    assert.equal(created.status, 201);
    await drive(created.body.id, (p) => p.status === 'awaiting-customer', 20_000);
    assert.ok(
      h.sim.faults.calls.filter((c) => c.action === 'AttachCcnInstances' && c.target === ccn).length >= 4,
      'three throttled, then through',
    );
    assert.equal(
      tc.world.attachments.filter((a) => a.ccnId === ccn && a.instanceId === tc.deploymentVpcId).length,
      1,
      'one application, however many tries',
    );
    h.sim.faults.clear();
    await tc.customer.approve(ccn, tc.deploymentVpcId);
    await drive(created.body.id, (p) => p.status === 'running');

    await tc.customer.detach(ccn, tc.deploymentVpcId);
    const lists = h.sim.faults.count('tencent', 'DescribeCcnAttachedInstances');
    await h.peerlink.reconciler.sweep();
    assert.ok(
      h.sim.faults.count('tencent', 'DescribeCcnAttachedInstances') - lists <= 2,
      'one list call for the account (plus at most one describe for the peering that changed)',
    );
    const failed = await drive(created.body.id, (p) => p.status === 'failed');
    assert.equal(failed.reason?.code, 'PEERING_DELETED_BY_CUSTOMER');
    assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
    await drive(created.body.id, (p) => p.status === 'deleted');
  },
);
