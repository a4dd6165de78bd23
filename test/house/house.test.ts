/**
 * The house holds: a cloud is its folder plus one line in the registry, and files stay small. No source file outside
 * src/clouds/<name>/ (and the registry itself) names a cloud — by its registered name, its labels, or the words its
 * simulation declares as its own (its products, CLI, id prefixes). A new cloud that leaks out of its folder fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { clouds } from '../../src/clouds/registry.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : [path];
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A word of a cloud as a pattern: latin words whole (case-insensitive), CJK words and prefixes anywhere. */
function pattern(word: string): RegExp {
  const w = escape(word);
  const latinStart = /^[a-z]/i.test(word) ? String.raw`(?<![a-z0-9])` : '';
  const latinEnd = /[a-z0-9]$/i.test(word) ? String.raw`(?![a-z0-9])` : '';
  return new RegExp(latinStart + w + latinEnd, 'i');
}

const vocabularies = await Promise.all(
  clouds.map(async (c) => {
    const simulation = await c.simulation();
    const labels = [c.label.en, c.label['zh-CN']].flatMap((l) => l.split(/\s+/)).filter((w) => w !== 'Cloud');
    const words = [...new Set([c.name, ...labels, ...simulation.vocabulary].map((w) => w.toLowerCase()))];
    return { cloud: c.name, words, patterns: words.map((w) => ({ word: w, re: pattern(w) })) };
  }),
);

function namings(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return vocabularies.flatMap((v) => v.patterns.filter((p) => p.re.test(text)).map((p) => `${v.cloud} (“${p.word}”)`));
}

test('no source file outside a cloud’s folder (and the registry) names a cloud', () => {
  const cloudFolders = clouds.map((c) => join('src', 'clouds', c.name) + sep);
  const registry = join('src', 'clouds', 'registry.ts');
  const offenders = sources('src')
    .map((p) => relative(process.cwd(), p))
    .filter((p) => p !== registry && !cloudFolders.some((f) => p.startsWith(f)))
    .map((p) => ({ file: p, names: namings(p) }))
    .filter((x) => x.names.length > 0);
  assert.deepEqual(offenders, [], 'files outside the cloud folders that name a cloud');
});

test('the check can fail: every cloud’s own folder names it, and each declares words of its own', () => {
  for (const v of vocabularies) {
    const own = sources(join('src', 'clouds', v.cloud));
    assert.ok(
      own.some((p) => namings(p).some((n) => n.startsWith(v.cloud))),
      `${v.cloud}: its folder uses its words`,
    );
    assert.ok(v.words.length >= 3, `${v.cloud}: name, label and vocabulary`);
  }
  // a stray word in a file outside the folders would be caught
  const [first] = vocabularies;
  assert.ok(
    first?.patterns.some((p) => p.re.test(`const x = '${first.words[0]}';`)),
    'the patterns match',
  );
});

test('every registered cloud has its folder and a simulation of its own name', async () => {
  for (const c of clouds) {
    assert.ok(statSync(join('src', 'clouds', c.name)).isDirectory(), `src/clouds/${c.name}/`);
    assert.equal((await c.simulation()).name, c.name, `${c.name}: its simulation has its name`);
  }
});

test('no file in src/ is over 300 lines without saying why at its top', () => {
  const long = sources('src')
    .filter((p) => /\.(ts|tsx)$/.test(p))
    .map((p) => ({ file: relative(process.cwd(), p), text: readFileSync(p, 'utf8') }))
    .filter((f) => f.text.split('\n').length > 300)
    .filter((f) => !/over 300 lines/i.test(f.text.slice(0, f.text.indexOf('*/') + 2)));
  assert.deepEqual(
    long.map((f) => f.file),
    [],
    'split them, or give the reason in the opening comment',
  );
});

test('deployments are never updated, and platform accounts only re-sealed: remembered peering views rely on it', () => {
  // api/presented.ts remembers a peering's full view (its deployment's network, private address and facts) by the
  // peering's version alone; an UPDATE of either table would leave those views stale. Change that file first.
  const writes = sources('src')
    .filter((p) => /\.(ts|tsx)$/.test(p))
    .flatMap((p) => {
      const text = readFileSync(p, 'utf8');
      const found = [...text.matchAll(/updateTable\(\s*'(deployments|platform_accounts)\b[^)]*\)[^;]*/g)];
      return found.map((m) => `${relative(process.cwd(), p)}: ${m[0].slice(0, 120)}`);
    });
  assert.deepEqual(
    writes.filter((w) => !/platform\.ts: updateTable\('platform_accounts'\)\.set\(\{ credentials: next \}\)/.test(w)),
    [],
    'a deployment or platform account update: make api/presented.ts see it (a stamp in its key) first',
  );
  assert.equal(writes.length, 1, 'the re-sealing of credentials (same plain text) is the one update there is');
});
