/**
 * Every cloud's customer-side code blocks speak the viewer's language (issue 15): each comment line of the CLI
 * commands and of the Terraform is Chinese when asked for zh-CN and English otherwise; the commands themselves are the
 * same in both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clouds } from '../../src/clouds/registry.js';

const facts = {
  id: 'dep-1',
  name: 'broker',
  region: 'r-1',
  vpcId: 'net-1',
  vpcCidr: '10.11.0.0/16',
  platformAccountId: '111111111111',
};
const cjk = /[\u4e00-\u9fff]/;
// a commented-out command (an alternative to the line above) is code, not prose
const isComment = (l: string) => /^\s*#/.test(l) && !/^\s*#\s+(az|aws|gcloud|aliyun|hcloud|tccli)\s/.test(l);
const comments = (block: string) => block.split('\n').filter(isComment);
const code = (block: string) => block.split('\n').filter((l) => !isComment(l));

test('every cloud: code comments in the chosen language, the code itself unchanged', () => {
  for (const cloud of clouds) {
    const en = cloud.guidance(facts, undefined, 'en');
    const zh = cloud.guidance(facts, undefined, 'zh-CN');
    assert.deepEqual(cloud.guidance(facts), en, `${cloud.name}: English unless asked`);
    for (const block of ['commands', 'terraform'] as const) {
      const zhComments = comments(zh[block]);
      assert.equal(zhComments.length, comments(en[block]).length, `${cloud.name} ${block}: the same comments`);
      for (const line of zhComments) assert.match(line, cjk, `${cloud.name} ${block} (zh-CN): ${line}`);
      for (const line of comments(en[block])) assert.doesNotMatch(line, cjk, `${cloud.name} ${block} (en): ${line}`);
      assert.deepEqual(code(zh[block]), code(en[block]), `${cloud.name} ${block}: only the comments differ`);
    }
    assert.ok(comments(zh.commands).length >= 3, `${cloud.name}: the steps are commented`);
  }
});
