/**
 * The clouds' limits, one arithmetic on both sides (rate-limits.ts), and the pacer that spends them: calls wait
 * their turn instead of drawing throttling answers, organizations take turns, instances split a limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clouds } from '../../src/clouds/registry.js';
import { Pacer } from '../../src/clouds/pacer.js';
import { ProviderError, type PlatformTarget } from '../../src/clouds/provider.js';
import { LimitState, bucket, byAction, perWindow, share, type RateLimits } from '../../src/clouds/rate-limits.js';

test('a token bucket: its capacity at once, then its refill rate', () => {
  const s = new LimitState(bucket(3, 2), 0);
  assert.deepEqual(
    [0, 0, 0, 0].map(() => s.tryTake(0)),
    [true, true, true, false],
    'three at once, not four',
  );
  assert.equal(s.waitMs(0), 500, 'the next token in half a second at 2/s');
  assert.equal(s.tryTake(499), false);
  assert.equal(s.tryTake(500), true);
  assert.equal(s.tryTake(10_000), true, 'refilled');
  assert.equal(s.tryTake(10_000), true);
  assert.equal(s.tryTake(10_000), true);
  assert.equal(s.tryTake(10_000), false, 'never more than its capacity, however long it rested');
});

test('a window quota: at most N in any window', () => {
  const s = new LimitState(perWindow(2, 1), 0);
  assert.equal(s.tryTake(0), true);
  assert.equal(s.tryTake(400), true);
  assert.equal(s.tryTake(900), false, 'a third within the second');
  assert.equal(s.waitMs(900), 101, 'free once the first call leaves the window');
  assert.equal(s.tryTake(1_001), true);
  assert.equal(s.tryTake(1_200), false, 'the call at 400 ms is still in the window');
});

test('a throttled answer empties the bucket; a limit splits between instances', () => {
  const s = new LimitState(bucket(10, 5), 0);
  s.empty(0);
  assert.equal(s.tryTake(0), false);
  assert.equal(s.tryTake(200), true, 'one token after 1/5 s');
  assert.deepEqual(share(bucket(50, 5), 3), bucket(16, 5 / 3));
  assert.deepEqual(share(perWindow(100, 1), 3), perWindow(33, 1));
  assert.deepEqual(share(perWindow(2, 1), 5), perWindow(1, 1), 'at least one call each');
});

test('every cloud declares its limits, and every action it calls has a bucket', () => {
  for (const cloud of clouds) {
    const limits = cloud.rateLimits;
    assert.ok(Object.keys(limits.buckets).length > 0, `${cloud.name} has buckets`);
    assert.ok(limits.throttleCodes.length > 0, `${cloud.name} names its throttling codes`);
    for (const [name, l] of Object.entries(limits.buckets)) {
      const ok = l.kind === 'bucket' ? l.capacity >= 1 && l.refillPerSecond > 0 : l.limit >= 1 && l.seconds > 0;
      assert.ok(ok, `${cloud.name} ${name} is a usable limit`);
    }
    for (const action of ['SomeUnknownAction', 'x.get', 'y.list'])
      assert.ok(limits.buckets[limits.bucketOf(action)], `${cloud.name}: ${action} falls in a bucket`);
  }
  const aws = clouds.find((c) => c.name === 'aws')?.rateLimits;
  assert.equal(aws?.bucketOf('DescribeRouteTables'), 'non-mutating');
  assert.equal(aws?.bucketOf('CreateRoute'), 'mutating');
  assert.equal(aws?.bucketOf('AcceptVpcPeeringConnection'), 'AcceptVpcPeeringConnection', 'a bucket of its own');
});

const limits: RateLimits = (() => {
  const buckets = { Slow: bucket(2, 50), other: bucket(1_000, 1_000) };
  return { buckets, bucketOf: byAction(buckets), throttleCodes: ['Throttled'] };
})();
const target: PlatformTarget = { provider: 'x', region: 'r1', accountId: 'a1', credentials: {} };

test('the pacer: calls over the limit wait their turn; a cloud without stated limits is not paced', async () => {
  const pacer = new Pacer((cloud) => (cloud === 'x' ? limits : undefined));
  const unpaced = pacer.for('y');
  await Promise.all(Array.from({ length: 7 }, () => unpaced.before('Slow', target)));
  assert.equal(pacer.waited, 0, 'no limits: nothing waited');
  const pace = pacer.for('x');
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 7 }, () => pace.before('Slow', target)));
  const ms = performance.now() - t0;
  // the client-side bucket keeps a margin for arrival jitter (2 − 50/s × 0.25 s → 1): one at once, six more at
  // 50/s: about 120 ms, never less than 100
  assert.ok(ms >= 100, `seven calls took ${ms.toFixed(0)} ms: they waited`);
  assert.equal(pacer.waited, 6, 'six waited');
  const other = { ...target, accountId: 'a2' };
  const t1 = performance.now();
  await Promise.all([pace.before('Slow', other), pace.before('Slow', other)]);
  assert.ok(performance.now() - t1 < 40, 'another account has buckets of its own');
});

test('the pacer: organizations take turns — a burst of one does not starve another', async () => {
  const pacer = new Pacer(() => limits);
  const pace = pacer.for('x');
  const order: string[] = [];
  const call = (org: string) => pace.before('Slow', { ...target, caller: { org } }).then(() => void order.push(org));
  const burst = Array.from({ length: 30 }, () => call('big'));
  await new Promise((r) => setTimeout(r, 5));
  const small = [call('small'), call('small')];
  await Promise.all([...burst, ...small]);
  const lastSmall = order.lastIndexOf('small');
  assert.ok(lastSmall < 8, `the small tenant's two calls went within the first eight (at ${lastSmall})`);
  assert.equal(order.filter((o) => o === 'big').length, 30, 'the big burst all went too');
});

test('the pacer: a call someone is waiting on (a submit) goes before queued background steps', async () => {
  const pacer = new Pacer(() => limits);
  const pace = pacer.for('x');
  const order: string[] = [];
  const call = (who: string, interactive: boolean) =>
    pace.before('Slow', { ...target, caller: { org: 'org', interactive } }).then(() => void order.push(who));
  const steps = Array.from({ length: 10 }, () => call('step', false));
  await new Promise((r) => setTimeout(r, 5));
  await Promise.all([...steps, call('submit', true)]);
  const at = order.indexOf('submit');
  assert.ok(at >= 0 && at <= 2, `the submit went within the next two calls (at ${at} of ${order.length})`);
});

test('the pacer: a throttled answer holds the bucket back; instances split it', async () => {
  const pacer = new Pacer(() => limits);
  const pace = pacer.for('x');
  await pace.before('Slow', target);
  pace.after('Slow', target, new ProviderError('transient', 'Slow', 'Throttled.Api', 'too many'));
  const t0 = performance.now();
  await pace.before('Slow', target);
  assert.ok(performance.now() - t0 >= 15, 'the next call waited for a fresh token');
  pace.after('Slow', target, new ProviderError('transient', 'Slow', 'InternalError', 'boom'));
  pacer.setInstances(2);
  const t = performance.now();
  const a3 = { ...target, accountId: 'a3' };
  await Promise.all([pace.before('Slow', a3), pace.before('Slow', a3)]);
  assert.ok(performance.now() - t >= 15, 'half of a two-token bucket each: the second call waited');
});
