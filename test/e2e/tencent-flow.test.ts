/**
 * The seed's Tencent flow (腾讯云平台对等连接 — 云联网) end to end over HTTP, against the simulated Tencent Cloud
 * through the official SDK: the customer names its CCN, its UIN and its VPC CIDRs, the platform asks to attach the
 * deployment VPC, the customer approves within the window (10 minutes by default), or the request is withdrawn and can
 * be retried. The simulator runs strict — the platform cannot read the customer's CCN nor withdraw a pending
 * application — except where a test permits what no public source settles, to show Peerlink uses it then.
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
const submit = (ccnId: string, cidrs: string[], deploymentId = tc.deploymentId, uin = TC_CUSTOMER_UIN) =>
  h.api<P & Refused>('POST', '/v1/peerings', {
    deploymentId,
    providerPeeringId: ccnId,
    customerAccountId: uin,
    customerCidrs: cidrs,
  });
/** runs `body` with one of the simulator's switches permitted, then puts it back */
async function permitting<T>(name: keyof TencentFixture['world']['options']['assume'], body: () => Promise<T>) {
  tc.world.options.assume[name] = true;
  try {
    return await body();
  } finally {
    tc.world.options.assume[name] = false;
  }
}
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
      ['providerPeeringId', 'customerAccountId', 'customerCidrs'],
      'the seed’s form: CCN instance ID and its account ID — and the VPC CIDRs, which the platform cannot read',
    );
    assert.match(facts.body.guidance.commands, /tccli vpc AcceptAttachCcnInstances/);
    assert.ok(facts.body.guidance.steps.some((s) => s['zh-CN'].includes('10 分钟')));

    const ccn = await tc.customer.createCcn('prod', tc.vpcId);
    const created = await submit(ccn, ['172.31.0.0/16']);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const submittedAt = Date.parse(must(created.body.deadlineAt, 'a deadline')) - 10 * MIN;
    const waiting = await settle(created.body.id, (p) => p.status === 'awaiting-customer');
    assert.equal(attachment(ccn)?.state, 'PENDING', 'the platform asked to attach the deployment VPC');
    assert.equal(waiting.reason?.code, 'PEERING_AWAITING_CUSTOMER');
    assert.match(waiting.reason.message, new RegExp(`CCN ${ccn}.*${tc.deploymentVpcId}.*${TC_PLATFORM_UIN}`));
    assert.deepEqual(waiting.customerCidrs, ['172.31.0.0/16'], 'as typed');

    // Tencent expires the unanswered application after 5 minutes (the simulator's conservative default, shorter than
    // Peerlink's window): Peerlink asks again (ResetAttachCcnInstances), still within its own window
    h.sim.clock.advance(6 * MIN - (h.sim.clock.now().getTime() - submittedAt));
    await settle(created.body.id, () => h.sim.faults.count('tencent', 'ResetAttachCcnInstances') > 0);
    assert.equal(attachment(ccn)?.state, 'PENDING', 'applied again');
    assert.equal((await h.api<P>('GET', `/v1/peerings/${created.body.id}`)).body.status, 'awaiting-customer');
    h.sim.clock.advance(9 * MIN - (h.sim.clock.now().getTime() - submittedAt));
    await tc.customer.approve(ccn, tc.deploymentVpcId);
    const running = await drive(created.body.id, (p) => p.status === 'running', 1_000);
    assert.equal(running.reason, null);
    assert.deepEqual(running.customerCidrs, ['172.31.0.0/16'], 'the typed CIDRs');
    assert.equal(attachment(ccn)?.state, 'ACTIVE');

    assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
    await drive(created.body.id, (p) => p.status === 'deleted');
    assert.equal(attachment(ccn)?.state, 'DELETED', 'detached from the customer’s CCN (DETACHING, then DELETED)');
  },
);

test(
  'no approval by 10 minutes: failed (expired); withdrawing the pending request is refused, shown and harmless — ' +
    'a retry reuses it and succeeds; where withdrawing is allowed, it is withdrawn',
  // where Tencent keeps the application past Peerlink's window — the case the withdrawal is for
  () =>
    permitting('longApplicationTtl', async () => {
      const ccn = await tc.customer.createCcn('late', tc.vpc('172.22.0.0/16'));
      const created = await submit(ccn, ['172.22.0.0/16']);
      await settle(created.body.id, (p) => p.status === 'awaiting-customer');
      h.sim.clock.advance(10 * MIN);
      const failed = await drive(created.body.id, (p) => p.status === 'failed');
      assert.equal(failed.reason?.code, 'PEERING_APPROVAL_EXPIRED');
      const history = () =>
        h.api<{ items: Array<{ kind: string; note: string; toStatus: string | null }> }>(
          'GET',
          `/v1/peerings/${created.body.id}/events`,
        );
      const refusal = await h.waitFor<{ items: Array<{ kind: string; note: string }> }>(
        `/v1/peerings/${created.body.id}/events`,
        (b) => b.items.some((e) => e.kind === 'error'),
      );
      assert.match(
        must(
          refusal.items.find((e) => e.kind === 'error'),
          'the refused withdrawal',
        ).note,
        /CcnNotAttached .*could not be withdrawn/,
      );
      assert.equal(attachment(ccn)?.state, 'PENDING', 'Tencent keeps the application');

      const retried = await h.api<P>('POST', `/v1/peerings/${created.body.id}/retry`);
      assert.equal(retried.status, 202, JSON.stringify(retried.body));
      assert.equal(retried.body.status, 'pending');
      assert.ok(
        Date.parse(must(retried.body.deadlineAt, 'a new deadline')) >= h.sim.clock.now().getTime() + 10 * MIN - 1_000,
        'a new 10-minute window',
      );
      await settle(created.body.id, (p) => p.status === 'awaiting-customer');
      assert.equal(
        tc.world.attachments.filter((a) => a.ccnId === ccn && a.instanceId === tc.deploymentVpcId).length,
        1,
        'the pending application is reused',
      );
      await tc.customer.approve(ccn, tc.deploymentVpcId);
      await drive(created.body.id, (p) => p.status === 'running');
      assert.deepEqual(
        (await history()).body.items.filter((e) => e.toStatus).map((e) => e.toStatus),
        ['pending', 'awaiting-customer', 'failed', 'pending', 'awaiting-customer', 'running'],
      );
      assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
      await drive(created.body.id, (p) => p.status === 'deleted');

      await permitting('applicantWithdrawsPending', async () => {
        const other = await tc.customer.createCcn('late-2', tc.vpc('172.21.0.0/16'));
        const late = await submit(other, ['172.21.0.0/16']);
        await settle(late.body.id, (p) => p.status === 'awaiting-customer');
        h.sim.clock.advance(10 * MIN);
        await drive(late.body.id, (p) => p.status === 'failed');
        await settle(late.body.id, () => attachment(other)?.state === 'DELETED');
        await assert.rejects(tc.customer.approve(other, tc.deploymentVpcId), 'nothing left to approve');
      });
    }),
);

test('a restart during the window neither loses nor extends it', () =>
  permitting('longApplicationTtl', async () => {
    const ccn = await tc.customer.createCcn('restart', tc.vpc('172.23.0.0/16'));
    const created = await submit(ccn, ['172.23.0.0/16']);
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
    await tc.customer.reject(ccn, tc.deploymentVpcId); // the application Peerlink could not withdraw
  }));

test(
  'rejection; a CIDR in the reserved range refused at submit; CIDRs checked against the CCN where readable; route ' +
    'conflicts reported where observable; a deployment already in another CCN; a wrong UIN; a UIN not the owner',
  async () => {
    const rejected = await tc.customer.createCcn('rejected', tc.vpc('172.24.0.0/16'));
    const r = await submit(rejected, ['172.24.0.0/16']);
    await settle(r.body.id, (p) => p.status === 'awaiting-customer');
    await tc.customer.reject(rejected, tc.deploymentVpcId);
    assert.equal((await drive(r.body.id, (p) => p.status === 'failed')).reason?.code, 'PEERING_REJECTED');

    // typed CIDRs are checked by the rules before anything is asked of the cloud
    const reserved = await tc.customer.createCcn('reserved', tc.vpc('10.20.0.0/16'));
    const refused = await submit(reserved, ['10.20.0.0/16']);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'CIDR_RESERVED');

    // where the platform may read the customer's CCN, what was typed must be among its VPCs' CIDRs
    await permitting('applicantReadsCcn', async () => {
      const typo = await tc.customer.createCcn('typo', tc.vpc('172.25.0.0/16'));
      const t = await submit(typo, ['172.26.0.0/16']);
      const mismatch = await drive(t.body.id, (p) => p.status === 'failed');
      assert.equal(mismatch.reason?.code, 'CUSTOMER_CIDRS_MISMATCH');
      assert.match(mismatch.reason.message, new RegExp(`172.26.0.0/16.*CCN ${typo} \\(172.25.0.0/16\\)`));
      await tc.customer.reject(typo, tc.deploymentVpcId);
    });

    // a conflict the rules cannot see: a VPC of the customer's CCN overlaps the deployment, so the deployment's own
    // route is disabled — reported where the platform may read the CCN's routes, not otherwise (never a failure)
    const unseen = await tc.customer.createCcn('clash', tc.vpc('172.26.0.0/16'));
    await tc.customer.attach(unseen, tc.vpc('10.14.128.0/17'));
    const u = await submit(unseen, ['172.26.0.0/16']);
    await settle(u.body.id, (p) => p.status === 'awaiting-customer');
    await tc.customer.approve(unseen, tc.deploymentVpcId);
    const unobserved = await drive(u.body.id, (p) => p.status === 'running');
    assert.equal(unobserved.reason, null, 'not observable: nothing reported');
    assert.equal((await h.api('DELETE', `/v1/peerings/${u.body.id}`)).status, 202);
    await drive(u.body.id, (p) => p.status === 'deleted');
    const disabled = await tc.customer.createCcn('clash-seen', tc.vpc('172.27.0.0/16'));
    await tc.customer.attach(disabled, tc.vpc('10.14.192.0/18'));
    await permitting('applicantReadsCcn', async () => {
      const d = await submit(disabled, ['172.27.0.0/16']);
      await settle(d.body.id, (p) => p.status === 'awaiting-customer');
      await tc.customer.approve(disabled, tc.deploymentVpcId);
      const warned = await drive(d.body.id, (p) => p.status === 'running');
      assert.equal(warned.reason?.code, 'ROUTE_CONFLICT');
      assert.match(warned.reason.message, new RegExp(`10.14.0.0/16 via ${tc.deploymentVpcId} \\(disabled`));
      assert.match(warned.reason.message, /10.14.192.0\/18 via vpc-\w+ \(overlaps the deployment CIDR\)/);
    });

    // the deployment VPC is now in CCN "disabled": another CCN is refused at once, nothing stored
    const other = await tc.customer.createCcn('other', tc.vpc('172.28.0.0/16'));
    const busy = await submit(other, ['172.28.0.0/16']);
    assert.equal(busy.status, 409);
    assert.equal(busy.body.code, 'DEPLOYMENT_JOINED_ELSEWHERE');
    assert.match(busy.body.message, new RegExp(disabled));
    // on the second deployment the same CCN is fine (one CCN, several deployments); a wrong UIN is named
    const wrongUin = await submit(other, ['172.28.0.0/16'], tc.secondDeploymentId, '300000000003');
    const failedUin = await drive(wrongUin.body.id, (p) => p.status === 'failed');
    assert.equal(failedUin.reason?.code, 'CUSTOMER_ACCOUNT_NOT_FOUND');
    assert.match(failedUin.reason.message, /UIN\) 300000000003 does not exist/);
    tc.world.createAccount('300000000004');
    const notOwner = await submit(other, ['172.28.0.0/16'], tc.secondDeploymentId, '300000000004');
    const failedOwner = await drive(notOwner.body.id, (p) => p.status === 'failed');
    assert.equal(failedOwner.reason?.code, 'CUSTOMER_NETWORK_NOT_FOUND');
    assert.match(failedOwner.reason.message, new RegExp(`${other} of account 300000000004`));
    const rightUin = await submit(other, ['172.28.0.0/16'], tc.secondDeploymentId);
    assert.equal(rightUin.status, 201, 'after the wrong ones failed, the right UIN on the second deployment');
    await settle(rightUin.body.id, (p) => p.status === 'awaiting-customer');
    await tc.customer.approve(other, tc.secondVpcId);
    await drive(rightUin.body.id, (p) => p.status === 'running');
  },
);

test(
  'a throttling storm on the request, then drift: the ' + 'customer detaches the deployment; one list call fails it',
  async () => {
    const ccn = await tc.customer.createCcn('storm', tc.vpc('172.29.0.0/16'));
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
    const created = await submit(ccn, ['172.29.0.0/16']);
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
    const running = (await h.api<{ items: unknown[] }>('GET', `/v1/peerings?status=running&limit=200`)).body.items
      .length;
    const lists = h.sim.faults.count('tencent', 'DescribeCcnAttachedInstances');
    await h.peerlink.reconciler.sweep();
    // the strict simulator's CcnId-less listing shows no application to a customer's CCN: the sweep describes each
    // running peering on its own (one call each, with its CcnId); a cloud that lists them needs one call in all
    assert.ok(
      h.sim.faults.count('tencent', 'DescribeCcnAttachedInstances') - lists <= 1 + running,
      'one list call for the account, plus one describe per running peering it did not show',
    );
    const failed = await drive(created.body.id, (p) => p.status === 'failed');
    assert.equal(failed.reason?.code, 'PEERING_DELETED_BY_CUSTOMER');
    assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
    await drive(created.body.id, (p) => p.status === 'deleted');
  },
);
