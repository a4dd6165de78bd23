/**
 * Several instances share the deliveries (issue 16): three Peerlinks on one database (PostgreSQL in the second pass,
 * where instances are meant to share; SQLite's single writer in the first) deliver each event once in the normal case,
 * and each peering's events in order, to a loopback receiver that verifies every signature.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { insertOutboxEvent } from '../../src/store/outbox.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

let h: Harness;
let r: Receiver;
before(async () => {
  h = await startHarness({ webhookAllowPrivateTargets: true });
  await h.instance();
  await h.instance();
  r = await startReceiver();
});
after(async () => {
  await h.close();
  await r.close();
});

test('three instances deliver every event once, each peering’s in order', async () => {
  const created = await h.api<{ secret: string }>('POST', '/v1/webhooks', { url: r.url });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  r.secret = created.body.secret;
  const peerings = ['pr_a', 'pr_b', 'pr_c', 'pr_d', 'pr_e'];
  const written: Record<string, string[]> = {};
  // 40 events, interleaved between five peerings, each written in its own transaction as a transition would be
  for (let i = 0; i < 40; i++) {
    const peeringId = peerings[i % peerings.length] ?? 'pr_a';
    const id = await h.peerlink.store.db
      .transaction()
      .execute((trx) =>
        insertOutboxEvent(
          trx,
          { orgId: h.orgId, deploymentId: 'dep_x', peeringId },
          { type: 'peering.status_changed', data: { n: i } },
          new Date(),
        ),
      );
    (written[peeringId] ??= []).push(id);
  }
  const end = Date.now() + 20_000;
  while (r.delivered().length < 40 && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
  await new Promise((res) => setTimeout(res, 300));
  const ids = r.delivered().map((x) => x.id);
  assert.equal(ids.length, 40, `each event once (got ${ids.length})`);
  assert.equal(new Set(ids).size, 40, 'no duplicates in the normal case');
  assert.ok(
    r.received.every((x) => x.verified),
    'every signature verifies',
  );
  for (const p of peerings) {
    assert.deepEqual(
      r
        .delivered()
        .filter((x) => x.body.peeringId === p)
        .map((x) => x.id),
      written[p],
      `${p}'s events in order`,
    );
  }
  const owners = await h.peerlink.store.db.selectFrom('delivery_attempts').select('id').execute();
  assert.equal(owners.length, 40, 'one attempt per delivery');
});
