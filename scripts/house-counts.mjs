// Counts what the house issue measures, over the tracked TypeScript sources: lines wider than 120 characters,
// `as` casts (not `as const`), non-null assertions, files over 300 lines, and files outside a cloud's folder that
// name a cloud. Usage: node scripts/house-counts.mjs            (prints a table; asserts nothing)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const files = execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.mjs', '*.js'], { encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);
const cloudWords = /\b(aws|amazon|ec2|alibaba|aliyun|alicloud|huawei|tencent|ccn|gcp|google|azure)\b/i;
const cloudFolder = /^src\/clouds\/(aws|alibaba|huawei|tencent|gcp|azure)\//;
let wide = 0;
let casts = 0;
let nonNull = 0;
const long = [];
const naming = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  wide += lines.filter((l) => [...l].length > 120).length;
  if (lines.length > 300) long.push(`${file} (${lines.length})`);
  if (file.startsWith('src/') && !cloudFolder.test(file) && file !== 'src/clouds/registry.ts' && cloudWords.test(text))
    naming.push(file);
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const visit = (node) => {
    if (ts.isAsExpression(node) && !(ts.isTypeReferenceNode(node.type) && node.type.typeName.getText(sf) === 'const'))
      casts++;
    if (ts.isNonNullExpression(node)) nonNull++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
console.log(`files: ${files.length}`);
console.log(`lines over 120 characters: ${wide}`);
console.log(`as casts (not as const): ${casts}`);
console.log(`non-null assertions: ${nonNull}`);
console.log(`files over 300 lines: ${long.length}${long.length ? ` — ${long.join(', ')}` : ''}`);
console.log(
  `files in src/ outside a cloud folder that name a cloud: ${naming.length}` +
    (naming.length ? ` — ${naming.join(', ')}` : ''),
);
