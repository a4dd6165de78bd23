/** Peerlink's own ids: prefixed, time-ordered, and unique across many refills of the random pool they draw from. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../src/store/ids.js';

test('ids carry their prefix, a time-ordered body and ten random hex digits', () => {
  const id = newId('pr', Date.UTC(2026, 11, 2));
  assert.match(id, /^pr_[0-9a-z]{9}[0-9a-z]{2}[0-9a-f]{10}$/);
  const earlier = newId('ev', 1_000);
  const later = newId('ev', 2_000);
  assert.ok(earlier < later, `${earlier} sorts before ${later}`);
});

test('ids drawn within one millisecond, over many refills of the random pool, are all distinct', () => {
  const seen = new Set<string>();
  const randomParts = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const id = newId('ev', 5_000);
    seen.add(id);
    randomParts.add(id.slice(-10));
  }
  assert.equal(seen.size, 20_000, 'no id repeats');
  // the random part alone repeats only by chance (40 bits): a pool handed out twice would repeat it at once
  assert.ok(randomParts.size >= 19_999, `random parts distinct: ${randomParts.size}`);
});
