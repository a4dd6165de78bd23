/**
 * The live event stream (issue 16): server-sent events per organization, filtered, resumable with `Last-Event-ID`;
 * and `peerlink peerings get --wait`, which waits on it instead of polling.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tencentSimulation, type TencentFixture } from '../../src/clouds/tencent/simulation.js';
import { EventStreamParser, type StreamedEvent } from '../../src/core/sse.js';
import { startHarness, type Harness } from '../support/harness.js';
import { submitCcn } from '../support/tencent.js';
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
}

/** An open stream: the events read so far, and a way to wait for more. */
function openStream(query = '', lastEventId?: string) {
  const abort = new AbortController();
  const events: StreamedEvent[] = [];
  const headers: Record<string, string> = { authorization: `Bearer ${h.apiKey}` };
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const opened = fetch(`${h.url}/v1/events/stream${query}`, { headers, signal: abort.signal });
  const reading = (async () => {
    const res = await opened;
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const parser = new EventStreamParser();
    const decoder = new TextDecoder();
    for await (const chunk of must(res.body, 'a body')) events.push(...parser.push(decoder.decode(chunk)));
  })().catch((err: unknown) => {
    if (!abort.signal.aborted) throw err;
  });
  return {
    events,
    opened,
    async until(what: string, cond: (e: StreamedEvent[]) => boolean): Promise<void> {
      const end = Date.now() + 10_000;
      while (!cond(events)) {
        if (Date.now() > end) throw new Error(`stream: timed out waiting for ${what}; got ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      abort.abort();
      await reading;
    },
  };
}

const submit = (name: string, cidr: string, deploymentId?: string) => submitCcn(h, tc, name, cidr, deploymentId);

test('the stream sends each new event once, filtered, and resumes after Last-Event-ID', async () => {
  const all = openStream();
  const others = openStream(`?deploymentId=${tc.secondDeploymentId}`);
  const onlyActions = openStream('?types=peering.action_required');
  await all.opened;
  await others.opened;
  await onlyActions.opened;
  try {
    const { id } = await submit('stream', '172.24.0.0/16');
    await all.until('the action required', (es) => es.some((e) => e.event === 'peering.action_required'));
    const mine = all.events.filter((e) => (JSON.parse(e.data) as { peeringId: string }).peeringId === id);
    assert.deepEqual(
      mine.map((e) => e.event),
      ['peering.status_changed', 'peering.status_changed', 'peering.action_required'],
    );
    const listed = await h.api<{ items: Array<{ id: string }> }>('GET', `/v1/events?peeringId=${id}`);
    assert.deepEqual(
      mine.map((e) => e.id),
      listed.body.items.map((e) => e.id),
      'the stream’s ids are the events’ ids',
    );
    await onlyActions.until('the filtered one', (es) => es.length >= 1);
    assert.deepEqual(
      onlyActions.events.map((e) => e.event),
      ['peering.action_required'],
    );
    assert.equal(others.events.length, 0, 'another deployment’s stream saw nothing of this one');

    const first = must(mine[0], 'the first event').id ?? '';
    const resumed = openStream('', first);
    try {
      await resumed.until('the rest', (es) => es.length >= 2);
      await new Promise((r) => setTimeout(r, 600));
      assert.deepEqual(
        resumed.events.map((e) => e.id),
        mine.slice(1).map((e) => e.id),
        'exactly the events after the one named, once each',
      );
    } finally {
      await resumed.close();
    }
    const cancel = await h.api('DELETE', `/v1/peerings/${id}`);
    assert.equal(cancel.status, 202);
  } finally {
    await all.close();
    await others.close();
    await onlyActions.close();
  }
});

test('the stream refuses a Last-Event-ID that is not an event id, and requires a key', async () => {
  const bad = await fetch(`${h.url}/v1/events/stream`, {
    headers: { authorization: `Bearer ${h.apiKey}`, 'last-event-id': 'not an id' },
  });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { code: string }).code, 'VALIDATION_FAILED');
  assert.equal((await fetch(`${h.url}/v1/events/stream`)).status, 401);
});

test('`peerlink peerings get --wait running` returns when the stream says so', async () => {
  const { id, ccn } = await submit('wait', '172.25.0.0/16', tc.secondDeploymentId);
  await h.waitFor<P>(`/v1/peerings/${id}`, (p) => p.status === 'awaiting-customer');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'peerings', 'get', id, '--wait', 'running', '--timeout', '30'],
    { env: { ...process.env, PEERLINK_URL: h.url, PEERLINK_API_KEY: h.apiKey, PEERLINK_DEBUG: '1' } },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  // the CLI is waiting on the stream now; the customer approves and the reconciler gets there
  await new Promise((r) => setTimeout(r, 1_500));
  assert.equal(out, '', 'still waiting');
  await tc.customer.approve(ccn, tc.secondVpcId);
  await h.drive<P>(id, (p) => p.status === 'running', 1_000);
  assert.equal(await exited, 0, err);
  assert.equal((JSON.parse(out) as P).status, 'running');
  assert.doesNotMatch(err, /polling/, 'it never fell back to polling');
});
