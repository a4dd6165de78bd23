/**
 * At least once through a crash (issue 16): Peerlink is SIGKILLed while webhook deliveries are in flight (the receiver
 * holds them unanswered), restarted on the same database, and every event reaches the receiver — signed, each
 * peering's in order, a repeat only ever the same event under the same `webhook-id`, and no event invented.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { json, startProcess, until } from '../support/processes.js';
import { CRASH_OPERATOR, awsOverHttp, crashEnv } from '../support/aws-process.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

const dir = mkdtempSync(join(tmpdir(), 'peerlink-notify-crash-'));
const children: ChildProcess[] = [];
const databases: TestDatabase[] = [];
const receivers: Receiver[] = [];
after(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const r of receivers) await r.close();
  await new Promise((r) => setTimeout(r, 100));
  for (const d of databases) await d.drop();
  rmSync(dir, { recursive: true, force: true });
});

interface Event {
  id: string;
  type: string;
  peeringId: string | null;
}

test('SIGKILL with deliveries in flight: after a restart all arrive in order, repeats only as such', async () => {
  const sim = await startProcess(['sim', 'start', '--port', '0']);
  children.push(sim.child);
  const database = await freshDatabase(dir, 'notify-crash.db');
  databases.push(database);
  const env = crashEnv(database.url, {
    PEERLINK_LEASE_MS: '3000',
    PEERLINK_WEBHOOK_TIMEOUT_MS: '2500',
    PEERLINK_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  });
  const first = await startProcess(['serve'], env);
  children.push(first.child);
  const world = await awsOverHttp(sim.url, first.url, CRASH_OPERATOR);
  const receiver = await startReceiver();
  receivers.push(receiver);
  const hook = await json<{ secret: string }>('POST', `${first.url}/v1/webhooks`, { url: receiver.url }, world.apiKey);
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  receiver.secret = hook.body.secret;
  receiver.answer = 'hang'; // every delivery stays in flight until Peerlink is killed

  const peerings: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { body } = await world.request(`172.20.${i}.0/24`);
    const r = await json<{ id: string }>('POST', `${first.url}/v1/peerings`, body, world.apiKey);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    peerings.push(r.body.id);
  }
  const statuses = () =>
    Promise.all(
      peerings.map(
        async (id) =>
          (await json<{ status: string }>('GET', `${first.url}/v1/peerings/${id}`, undefined, world.apiKey)).body
            .status,
      ),
    );
  await until('all running', async () => ((await statuses()).every((s) => s === 'running') ? true : undefined));
  await until('deliveries in flight', async () => (receiver.received.length >= 2 ? true : undefined));
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  const heldAtKill = receiver.received.length;

  receiver.answer = 204;
  const second = await startProcess(['serve'], env);
  children.push(second.child);
  const events = (await json<{ items: Event[] }>('GET', `${second.url}/v1/events?limit=500`, undefined, world.apiKey))
    .body.items;
  assert.ok(events.length >= peerings.length * 3, `each peering submitted, running, asking: ${events.length}`);
  const delivered = () => new Set(receiver.delivered().map((r) => r.id));
  await until(
    'every event delivered after the restart',
    async () => (events.every((e) => delivered().has(e.id)) ? true : undefined),
    45_000,
    100,
  );

  const byId = new Map(events.map((e) => [e.id, e]));
  assert.ok(heldAtKill > 0, 'deliveries were in flight when Peerlink was killed');
  for (const r of receiver.received) {
    assert.ok(r.verified, `signature of ${r.id} verifies`);
    const e = byId.get(r.id);
    assert.ok(e, `${r.id} is an event Peerlink recorded, not one it invented`);
    assert.equal(r.body.id, r.id, 'the body names the event its webhook-id names');
    assert.equal(r.body.type, e.type, 'a repeat is the same event');
  }
  for (const id of peerings) {
    const order = events.filter((e) => e.peeringId === id).map((e) => e.id);
    const firsts: string[] = [];
    for (const r of receiver.delivered()) if (r.body.peeringId === id && !firsts.includes(r.id)) firsts.push(r.id);
    assert.deepEqual(firsts, order, `peering ${id}: delivered in the order of its events`);
  }
  second.child.kill('SIGTERM');
  sim.child.kill('SIGKILL');
});
