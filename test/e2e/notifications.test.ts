/**
 * Notifications end to end (issue 16), over HTTP against the simulated Tencent Cloud: the outbox's events listed with
 * a cursor, a loopback webhook receiving every one signed (verified with the Standard Webhooks reference code), in
 * order, through failures, time-outs and recovery; the delivery log, redelivery with the same `webhook-id`, automatic
 * disabling, and deadline warnings scheduled from the deadline the reconciler set.
 */
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { tencentSimulation, type TencentFixture } from '../../src/clouds/tencent/simulation.js';
import { startHarness, type Harness } from '../support/harness.js';
import { submitCcn } from '../support/tencent.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { must } from '../support/must.js';

let h: Harness;
let tc: TencentFixture;
before(async () => {
  // the receivers listen on loopback: the operator's switch allows private targets (ssrf.test.ts: refused when off)
  h = await startHarness({ webhookAllowPrivateTargets: true, webhookRetryMinutes: 60, webhookTimeoutMs: 500 });
  tc = await h.fixture(tencentSimulation);
});
after(() => h.close());

/** the webhooks a test made; deleted after it, so a closed receiver fails no later test's deliveries */
const created_: string[] = [];
afterEach(async () => {
  for (const id of created_.splice(0)) await h.api('DELETE', `/v1/webhooks/${id}`);
});

const MIN = 60_000;

interface P {
  id: string;
  status: string;
  deadlineAt: string | null;
}
interface Ev {
  id: string;
  type: string;
  peeringId: string | null;
  data: Record<string, unknown> & {
    reason?: { code: string; message: { en: string; 'zh-CN': string } };
    from?: string | null;
    to?: string;
  };
}

async function webhook(r: Receiver, eventTypes?: string[]): Promise<string> {
  const created = await h.api<{ webhook: { id: string }; secret: string }>('POST', '/v1/webhooks', {
    url: r.url,
    description: 'test receiver',
    ...(eventTypes ? { eventTypes } : {}),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.body.secret, /^whsec_/);
  r.secret = created.body.secret;
  created_.push(created.body.webhook.id);
  return created.body.webhook.id;
}

async function events(peeringId: string): Promise<Ev[]> {
  const all: Ev[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `/v1/events?peeringId=${peeringId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await h.api<{ items: Ev[]; nextCursor: string | null }>('GET', q);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    all.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return all;
}

/** waits (the deliverer runs on its own) until `until` holds, moving the shared clock by `stepMs` each time */
async function until(what: string, cond: () => boolean, stepMs = 0, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    if (stepMs) h.sim.clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 25));
  }
  if (process.env.DEBUG_UNTIL) console.log(what, Date.now() - t0);
}

const submitTencent = (name: string, cidr: string, deploymentId?: string) => submitCcn(h, tc, name, cidr, deploymentId);

/** deletes (or cancels) a peering and waits until it is gone: the deployment VPC joins one CCN at a time */
async function finish(id: string): Promise<void> {
  const del = await h.api('DELETE', `/v1/peerings/${id}`);
  assert.equal(del.status, 202, JSON.stringify(del.body));
  await h.drive<P>(id, (p) => p.status === 'deleted', 5_000);
}

test('Tencent: action required, a warning before the window closes, running — listed and signed', async () => {
  const r = await startReceiver();
  try {
    await webhook(r);
    const { id, ccn } = await submitTencent('notify', '172.24.0.0/16');
    await h.waitFor<P>(`/v1/peerings/${id}`, (p) => p.status === 'awaiting-customer');
    await until('the action-required webhook', () => r.delivered().some((x) => x.type === 'peering.action_required'));
    assert.equal(
      r.received.some((x) => x.type === 'peering.deadline_approaching'),
      false,
      'no warning before it is due',
    );
    // half of the 10-minute window is left when the warning goes out
    const resets = h.sim.faults.count('tencent', 'ResetAttachCcnInstances');
    h.sim.clock.advance(5 * MIN + 1_000);
    await until('the deadline warning', () => r.delivered().some((x) => x.type === 'peering.deadline_approaching'));
    // Tencent expired the unanswered application after 5 minutes; Peerlink applies again within its own window
    await until('the new application', () => h.sim.faults.count('tencent', 'ResetAttachCcnInstances') > resets, 1_000);
    await tc.customer.approve(ccn, tc.deploymentVpcId);
    await h.drive<P>(id, (p) => p.status === 'running', 1_000);
    await until('the running events', () => r.delivered().filter((x) => x.body.peeringId === id).length >= 6);

    const listed = await events(id);
    assert.deepEqual(
      listed.map((e) => [e.type, e.data.to ?? null]),
      [
        ['peering.status_changed', 'pending'],
        ['peering.status_changed', 'awaiting-customer'],
        ['peering.action_required', null],
        ['peering.deadline_approaching', null],
        ['peering.status_changed', 'running'],
        ['peering.action_required', null],
      ],
      'every event of the flow, oldest first, across pages of two',
    );
    const action = must(listed[2], 'the action required');
    assert.equal(action.data.reason?.code, 'PEERING_AWAITING_CUSTOMER');
    assert.match(must(action.data.reason, 'a reason').message.en, new RegExp(ccn));
    assert.match(must(action.data.reason, 'a reason').message['zh-CN'], /请在/);
    assert.equal(action.data.deadlineAt, must(listed[3], 'the warning').data.deadlineAt, 'the warning names it');
    const warning = must(listed[3], 'the warning');
    assert.equal(warning.data.reason?.code, 'DEADLINE_APPROACHING');
    assert.match(must(warning.data.reason, 'a reason').message['zh-CN'], /剩余约 5 分钟/);
    const after = must(listed[5], 'what to do once running');
    assert.equal(after.data.reason?.code, 'CUSTOMER_RULE_NEEDED', 'CCN carries the routes: only the rule is left');

    const mine = r.delivered().filter((x) => x.body.peeringId === id);
    assert.deepEqual(
      mine.map((x) => x.id),
      listed.map((e) => e.id),
      'the webhook got every event once, in order, with the event id as webhook-id',
    );
    assert.ok(
      mine.every((x) => x.verified),
      'every signature verifies with the secret (Webhook.verify)',
    );
    await finish(id);
  } finally {
    await r.close();
  }
});

test('a receiver that fails, then hangs, then recovers gets everything in order; log and redelivery', async () => {
  const r = await startReceiver();
  try {
    const hookId = await webhook(r, ['peering.status_changed', 'peering.action_required']);
    r.answer = 500;
    const { id } = await submitTencent('flaky', '172.25.0.0/16');
    await h.waitFor<P>(`/v1/peerings/${id}`, (p) => p.status === 'awaiting-customer');
    await until('a failed attempt', () => r.received.length >= 1);
    r.answer = 'hang';
    await until('a timed-out attempt', () => r.received.some((x) => x.answered === 'hang'), 10_000);
    assert.equal(r.received.filter((x) => x.body.peeringId === id).map((x) => x.type)[0], 'peering.status_changed');
    assert.ok(
      r.received.every((x) => x.body.data.to === 'pending'),
      'nothing after the first event is sent while it is undelivered (in order per peering)',
    );
    r.answer = 200;
    await until('recovery', () => r.delivered().filter((x) => x.body.peeringId === id).length >= 3, 60_000);
    let listed = (await events(id)).filter((e) => e.type !== 'peering.deadline_approaching');
    await until('the rest', () => r.delivered().filter((x) => x.body.peeringId === id).length >= listed.length);
    listed = (await events(id)).filter((e) => e.type !== 'peering.deadline_approaching');
    const delivered = r.delivered().filter((x) => x.body.peeringId === id);
    assert.deepEqual(
      delivered.map((x) => x.id),
      listed.map((e) => e.id),
      'every subscribed event once, in order',
    );
    assert.ok(
      r.received.filter((x) => x.id === must(listed[0], 'first').id).length >= 3,
      'the first event was attempted again with the same webhook-id',
    );

    const log = await h.api<{ items: Array<{ statusCode: number | null; error: string | null; latencyMs: number }> }>(
      'GET',
      `/v1/webhooks/${hookId}/deliveries`,
    );
    assert.equal(log.status, 200, JSON.stringify(log.body));
    assert.equal(must(log.body.items[0], 'the first attempt').statusCode, 500);
    assert.ok(
      log.body.items.some((a) => a.statusCode === null && /500 ms|abort|timeout/i.test(a.error ?? '')),
      `a timed-out attempt is logged: ${JSON.stringify(log.body.items)}`,
    );
    assert.ok(
      log.body.items.some((a) => a.statusCode === 200),
      'and the success',
    );

    const first = must(listed[0], 'first').id;
    const again = await h.api('POST', `/v1/webhooks/${hookId}/redeliver`, { eventId: first });
    assert.equal(again.status, 202, JSON.stringify(again.body));
    await until('the redelivery', () => r.delivered().filter((x) => x.id === first).length === 2);
    assert.equal(
      (await h.api('POST', `/v1/webhooks/${hookId}/redeliver`, { eventId: 'ev_nothere' })).status,
      404,
      'an event that is not the organization’s',
    );
    await finish(id);
  } finally {
    await r.close();
  }
});

test('a webhook failing for the whole retry window is disabled, and the organization told', async () => {
  const dead = await startReceiver();
  const watcher = await startReceiver();
  try {
    const deadId = await webhook(dead);
    await webhook(watcher, ['webhook.disabled']);
    dead.answer = 503;
    const { id } = await submitTencent('dead', '172.26.0.0/16');
    // the retry window is an hour here: move through it while the deliverer retries with backoff
    const noticed = () => watcher.delivered().some((x) => x.body.data.webhookId === deadId);
    await until('the disabling', noticed, 5 * MIN, 30_000); // a busy machine steps the clock less often
    const hook = await h.api<{ enabled: boolean; disabledReason: string }>('GET', `/v1/webhooks/${deadId}`);
    assert.equal(hook.body.enabled, false);
    assert.match(hook.body.disabledReason, /failing since/);
    const notice = must(
      watcher.delivered().find((x) => x.body.data.webhookId === deadId),
      'the notice',
    );
    assert.equal(notice.body.data.webhookId, deadId);
    await finish(id);
    const seen = dead.received.length;
    // on the other deployment: Tencent keeps a cancelled application until it expires (strict simulator)
    const later = await submitTencent('after', '172.27.0.0/16', tc.secondDeploymentId);
    await until('the later events', () => watcher.received.length > 0 && dead.received.length >= seen);
    await h.waitFor<P>(`/v1/peerings/${later.id}`, (p) => p.status === 'awaiting-customer');
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(dead.received.length, seen, 'a disabled webhook receives nothing');
    const enabled = await h.api<{ enabled: boolean }>('PATCH', `/v1/webhooks/${deadId}`, { enabled: true });
    assert.equal(enabled.body.enabled, true);
  } finally {
    await dead.close();
    await watcher.close();
  }
});

test('webhook administration: admins only, secrets shown once and rotatable, URLs and types checked', async () => {
  const r = await startReceiver();
  try {
    const id = await webhook(r);
    const listed = await h.api<{ items: Array<Record<string, unknown>> }>('GET', '/v1/webhooks');
    assert.ok(
      listed.body.items.every((w) => !('secret' in w)),
      'a listed webhook has no secret',
    );
    const rotated = await h.api<{ secret: string }>('POST', `/v1/webhooks/${id}/rotate-secret`);
    assert.notEqual(rotated.body.secret, r.secret);
    const bad = await h.api<{ code: string }>('POST', '/v1/webhooks', { url: 'ftp://example.com/x' });
    assert.equal(bad.body.code, 'WEBHOOK_URL_REFUSED');
    const badType = await h.api<{ code: string }>('POST', '/v1/webhooks', {
      url: r.url,
      eventTypes: ['peering.nope'],
    });
    assert.equal(badType.body.code, 'VALIDATION_FAILED');
    const key = await h.api<{ key: string }>('POST', '/v1/api-keys', { name: 'reader', role: 'viewer' });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    const asViewer = await h.api('GET', '/v1/webhooks', undefined, { key: key.body.key });
    assert.equal(asViewer.status, 403, 'viewers do not see webhooks');
    assert.equal((await h.api('DELETE', `/v1/webhooks/${id}`)).status, 204);
    assert.equal((await h.api('GET', `/v1/webhooks/${id}`)).status, 404);
  } finally {
    await r.close();
  }
});
