/**
 * The peering list and the one-peering view answer from presentations remembered per version: they must say exactly
 * what a fresh read says, in each language, on every page, after every change — including a change made by another
 * instance.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { awsSimulation, type AwsFixture } from '../../src/clouds/aws/simulation.js';
import { startHarness, type Harness } from '../support/harness.js';

type Peering = Record<string, unknown> & { id: string; status: string; customerCidrs: string[] };
type Page = { items: Peering[]; nextCursor: string | null };

let h: Harness;
let aws: AwsFixture;
before(async () => {
  h = await startHarness();
  aws = await h.fixture(awsSimulation);
});
after(() => h.close());

/** GET one, without what only the one-peering view carries */
async function fresh(id: string, lang?: string): Promise<Peering> {
  const r = await h.api<Peering & { customerSide?: unknown }>('GET', `/v1/peerings/${id}`, undefined, { lang });
  const { customerSide: _, ...peering } = r.body;
  return peering;
}

async function list(query = '', lang?: string): Promise<Page> {
  const r = await h.api<Page>('GET', `/v1/peerings${query}`, undefined, { lang });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  return r.body;
}

test('the list says what a fresh read says, in both languages, after each change, from any instance', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const vpc = aws.customerVpc(`172.30.${i}.0/24`);
    const r = await h.api<Peering>(
      'POST',
      '/v1/peerings',
      aws.submitBody(await aws.requestPeering(vpc), {
        customerVpcId: vpc,
      }),
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  // listed (so remembered) while they are pending; compared once each has settled (the reconciler moves them on
  // between two reads otherwise)
  for (const lang of [undefined, 'zh-CN']) assert.equal((await list('?limit=200', lang)).items.length, ids.length);
  for (const id of ids) await h.drive<Peering>(id, (p) => p.status === 'running');
  for (const lang of [undefined, 'zh-CN']) {
    const page = await list('?limit=200', lang);
    for (const id of ids) {
      const listed = page.items.find((p) => p.id === id);
      assert.equal(listed?.status, 'running', 'the list follows the reconciler');
      assert.deepEqual(listed, await fresh(id, lang));
    }
  }
  // a change made through another instance is seen here at once
  const other = await h.instance();
  const first = ids[0] ?? '';
  const del = await fetch(`${other.url}/v1/peerings/${first}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${h.apiKey}` },
  });
  assert.equal(del.status, 202);
  const deleting = (await list('?limit=200')).items.find((p) => p.id === first);
  assert.notEqual(deleting?.status, 'running', 'the other instance’s delete is listed at once');
  await h.drive<Peering>(first, (p) => p.status === 'deleted');
  for (const lang of [undefined, 'zh-CN'])
    assert.deepEqual(
      (await list('?limit=200', lang)).items.find((p) => p.id === first),
      await fresh(first, lang),
    );
  // filters and pages: the same peerings, in the same order, as the whole list
  const all = (await list('?limit=200')).items.map((p) => p.id);
  const paged: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await list(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    paged.push(...page.items.map((p) => p.id));
    cursor = page.nextCursor;
  } while (cursor);
  assert.deepEqual(paged, all, 'page by page');
  const running = await list('?status=running&limit=200');
  assert.ok(running.items.length >= 2, 'running ones');
  assert.ok(
    running.items.every((p) => p.status === 'running'),
    'only running ones',
  );
});

test('one peering answers as an instance that never saw it computes it, after each change', async () => {
  const vpc = aws.customerVpc('172.30.9.0/24');
  const created = await h.api<Peering>(
    'POST',
    '/v1/peerings',
    aws.submitBody(await aws.requestPeering(vpc), { customerVpcId: vpc }),
  );
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const detail = async (base: string, lang: string) => {
    const r = await fetch(`${base}/v1/peerings/${id}`, {
      headers: { authorization: `Bearer ${h.apiKey}`, 'accept-language': lang },
    });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    return (await r.json()) as Peering & { customerSide: { guidance: unknown } };
  };
  // remembered here while pending, in both languages
  for (const lang of ['en', 'zh-CN']) assert.equal((await detail(h.url, lang)).status, 'pending');
  await h.drive<Peering>(id, (p) => p.status === 'running');
  const other = await h.instance();
  for (const lang of ['en', 'zh-CN']) {
    const here = await detail(h.url, lang);
    assert.equal(here.status, 'running', 'the remembered text follows the row');
    assert.deepEqual(here, await detail(other.url, lang), 'the same as computed afresh elsewhere');
  }
  assert.notDeepEqual(
    (await detail(h.url, 'en')).customerSide.guidance,
    (await detail(h.url, 'zh-CN')).customerSide.guidance,
    'each language its own text',
  );
  // a change made through the other instance is seen here at once
  const del = await fetch(`${other.url}/v1/peerings/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${h.apiKey}` },
  });
  assert.equal(del.status, 202);
  assert.notEqual((await detail(h.url, 'en')).status, 'running', 'the other instance’s delete is shown at once');
  // absent, or another organization's: not found, remembered or not
  const org = await h.admin<{ apiKey: { key: string } }>('/v1/admin/orgs', { name: 'Stranger' });
  const stranger = await h.api('GET', `/v1/peerings/${id}`, undefined, { key: org.apiKey.key });
  assert.equal(stranger.status, 404);
  assert.equal((await h.api('GET', '/v1/peerings/pr_0000000000000000000000000a')).status, 404);
});

test('another organization’s list shows none of these', async () => {
  const org = await h.admin<{ apiKey: { key: string } }>('/v1/admin/orgs', { name: 'Other' });
  const r = await h.api<Page>('GET', '/v1/peerings?limit=200', undefined, { key: org.apiKey.key });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { items: [], nextCursor: null });
});
