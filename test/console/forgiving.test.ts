/**
 * The console forgives and explains (issue 15, items 1, 2, 7, 8, 10): what is in flight can be cancelled or edited
 * and resubmitted with the values kept; the rules come before the customer acts in its cloud; unambiguous input is
 * forgiven and the rest explained exactly; peerings are named by their connection id, never Peerlink's own; the
 * deployment pages tell the whole story. Both languages where words are checked. Screenshots go to
 * test-results/screens/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { inPage, startConsole, strings, type ConsoleEnv } from '../support/browser.js';
import { counter, createPeering, open, shot } from '../support/console-extra.js';
import type { Lang } from '../../src/console/i18n.js';

let env: ConsoleEnv;
before(async () => {
  env = await startConsole();
});
after(() => env?.close()); // absent when the browser never started

const langs: Lang[] = ['en', 'zh-CN'];
const live = (page: Page, status: string) => page.locator(`.live [data-status="${status}"]`).first();

async function toStep3(page: Page, deployment: string, lang: Lang) {
  const t = strings(lang);
  await open(page, env, `d/${deployment}/new`);
  await page.locator('[data-fact]').first().waitFor();
  await page.getByRole('button', { name: t.next }).click();
  await page.getByRole('button', { name: t.next }).click();
  await page.locator('form .field input').first().waitFor();
}

test('in flight: cancel the request, or edit and resubmit with the values kept (en, zh-CN)', async () => {
  for (const lang of langs) {
    const t = strings(lang);
    const page = await env.page(lang);
    // an Alibaba VPC id with a typo: accepted, and searched for (pending) — no longer a dead end
    const typo = `vpc-typo${lang === 'en' ? 'en' : 'zh'}000001`;
    await toStep3(page, 'dep-demo-ali', lang);
    await page.locator('#customerVpcId').fill(typo);
    await page.getByRole('button', { name: t.submit }).click();
    await live(page, 'pending').waitFor();
    const href = (await page.getByRole('link', { name: new RegExp(t.viewPeering) }).getAttribute('href')) ?? '';
    const firstId = href.replace('#/p/', '');
    assert.match(firstId, /^pr_/, 'the submitted peering has its page');
    await page.getByTestId('way-back').waitFor();
    await shot(page, `item1-wizard-pending-way-back-${lang}`);

    await page.getByRole('button', { name: t.editResubmit }).click();
    await page.locator('#customerVpcId').waitFor();
    assert.equal(await page.locator('#customerVpcId').inputValue(), typo, 'back in the form with the value kept');
    const first = await inPage<{ status: string }>(page, env.key, { method: 'GET', path: `/v1/peerings/${firstId}` });
    assert.ok(['deleting', 'deleted'].includes(first.status), `the first request was cancelled (${first.status})`);

    // resubmitted, then cancelled outright: the platform withdraws its side
    await page.getByRole('button', { name: t.submit }).click();
    await live(page, 'pending').waitFor();
    await page.getByRole('button', { name: t.cancelRequest }).click();
    await live(page, 'deleted').waitFor({ timeout: 20_000 });
    await page.getByTestId('cleanup').waitFor();
    await shot(page, `item1-wizard-cancelled-${lang}`);
    await page.close();
  }
});

test(
  'Tencent: a request awaiting approval is withdrawn from its page, ' + 'through a modal that keeps it by default',
  async () => {
    const t = strings('en');
    const page = await env.page('en');
    const created = await createPeering(env, page, 'dep-demo-tc');
    await open(page, env, `p/${created.id}`);
    await live(page, 'awaiting-customer').waitFor();
    const cancel = page.getByRole('button', { name: t.cancelPeering, exact: true });
    await cancel.click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    assert.match((await dialog.getByRole('heading').textContent()) ?? '', new RegExp(created.providerPeeringId ?? '?'));
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent),
      t.keep,
      'focus starts on the safe choice',
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), t.cancelPeering, 'focus returns');
    await cancel.click();
    await shot(page, 'item1-tencent-cancel-dialog-en');
    await dialog.getByRole('button', { name: t.cancelPeering, exact: true }).click();
    // strict Tencent does not let the applicant withdraw a pending application: the page says so, and why it is safe
    await live(page, 'deleting').waitFor();
    await page.locator('.live', { hasText: /could not be withdrawn/ }).waitFor({ timeout: 20_000 });
    await page.getByTestId('cleanup').waitFor();
    await shot(page, 'item1-tencent-cancel-refused-by-cloud-en');
    // Tencent expires the application; the next look finds nothing left to withdraw
    env.sim.clock.advance(6 * 60_000);
    await live(page, 'deleted').waitFor({ timeout: 30_000 });
    await page.close();
  },
);

test(
  'the rules come first: step 1 lists them and checks a CIDR; ' + 'a refusal names the likely cause and the clean-up',
  async () => {
    for (const lang of langs) {
      const t = strings(lang);
      const page = await env.page(lang);
      await open(page, env, 'd/dep-demo-pro/new');
      const rules = page.getByTestId('rules');
      await rules.waitFor();
      const cidr = (await page.locator('[data-fact=vpcCidr] code').textContent()) ?? '';
      const text = (await rules.textContent()) ?? '';
      for (const must of ['us-east-1', '10.10.0.0/24-10.64.255.0/24', cidr])
        assert.ok(text.includes(must), `the rules name ${must} (${lang})`);
      const box = page.getByTestId('cidr-check');
      const result = page.getByTestId('cidr-check-result');
      await box.fill('10.20.0.0/16');
      await page.getByRole('button', { name: t.checkCidr, exact: true }).click();
      await page.locator('[data-testid=cidr-check-result][data-ok=false]').waitFor();
      assert.match((await result.textContent()) ?? '', lang === 'en' ? /reserved range/ : /保留网段/);
      // a Chinese IME's full-width separator is one more way to list CIDRs
      await box.fill('192.168.0.0/24；192.168.1.0/24');
      await page.getByRole('button', { name: t.checkCidr, exact: true }).click();
      await page.locator('[data-testid=cidr-check-result][data-ok=true]').waitFor();
      assert.ok((await result.textContent())?.includes('192.168.0.0/24, 192.168.1.0/24'), 'both CIDRs read');
      await shot(page, `item2-rules-step1-${lang}`);

      // step 3 keeps the facts beside the form, with the cloud console's page for the region
      await page.getByRole('button', { name: t.next }).click();
      await page.getByRole('button', { name: t.next }).click();
      const aside = page.getByRole('complementary');
      await aside.waitFor();
      assert.ok(((await aside.textContent()) ?? '').includes(cidr), 'the facts stay in view at step 3');
      assert.match((await page.getByTestId('console-link').getAttribute('href')) ?? '', /region=us-east-1/);
      await page.locator('#providerPeeringId').fill('pcx-0123abcd');
      await page.locator('#customerAccountId').fill('444455556666');
      await page.locator('#customerVpcId').fill(env.cat.env.CUSTOMER_VPC_ID ?? '');
      await page.getByRole('button', { name: t.submit }).click();
      const notFound = page.locator('#providerPeeringId-error[data-code=PEERING_NOT_FOUND]');
      await notFound.waitFor();
      const said = (await notFound.textContent()) ?? '';
      assert.ok(said.includes(cidr), `the likely cause names the deployment CIDR (${lang})`);
      assert.match(said, lang === 'en' ? /hides a failed request/ : /隐藏失败的请求/);
      await page.getByTestId('cleanup-after-refusal').first().waitFor();
      await shot(page, `item2-not-found-likely-cause-${lang}`);
      // the refusal on screen follows a language switch (the submit is not repeated to word it again)
      const other = lang === 'en' ? 'zh-CN' : 'en';
      const submits = counter(page, '/v1/peerings');
      await page.getByLabel(t.language).selectOption(other);
      await notFound.filter({ hasText: other === 'en' ? /hides a failed request/ : /隐藏失败的请求/ }).waitFor();
      assert.equal(submits.count(), 0, 'worded again from what the server sent, not asked again');
      await shot(page, `item4-refusal-follows-language-${other}`);
      await page.close();
    }
  },
);

test('input is forgiven where unambiguous and otherwise explained exactly, in the browser and by the API', async () => {
  for (const lang of langs) {
    const page = await env.page(lang);
    await toStep3(page, 'dep-demo-pro', lang);
    const account = page.locator('#customerAccountId');
    for (const typed of ['4444-5555-6666', '４４４４ ５５５５ ６６６６']) {
      await account.fill(typed);
      await account.blur();
      assert.equal(await page.locator('#customerAccountId-error').count(), 0, `${typed} is accepted`);
      assert.match((await page.getByTestId('customerAccountId-read-as').textContent()) ?? '', /444455556666/);
    }
    await account.fill('4444555566667');
    assert.match(
      (await page.locator('#customerAccountId-error').textContent()) ?? '',
      lang === 'en' ? /it has 13 digits, not 12/ : /共 13 位数字，应为 12 位/,
    );
    const pcx = page.locator('#providerPeeringId');
    await pcx.fill('PCX-0123ABCD');
    await pcx.blur();
    assert.match((await page.getByTestId('providerPeeringId-read-as').textContent()) ?? '', /pcx-0123abcd/);
    await pcx.fill('pcx-0123abcg');
    assert.match(
      (await page.locator('#providerPeeringId-error').textContent()) ?? '',
      lang === 'en' ? /g is not a hex digit/ : /g 不是十六进制字符/,
    );
    await shot(page, `item7-forgiving-input-${lang}`);

    // the API reads the same: dashes, case and full width forgiven; a wrong length said exactly
    const base = { deploymentId: 'dep-demo-pro', customerVpcId: (env.cat.env.CUSTOMER_VPC_ID ?? '').toUpperCase() };
    const forgiven = await inPage<{ code: string }>(page, env.key, {
      method: 'POST',
      path: '/v1/peerings',
      lang,
      body: { ...base, providerPeeringId: 'ＰＣＸ-0123ABCD', customerAccountId: '4444-5555-6666' },
    });
    assert.equal(forgiven.code, 'PEERING_NOT_FOUND', 'well formed once forgiven: the cloud is asked');
    const wrong = await inPage<{ code: string; message: string; details: { problem: string } }>(page, env.key, {
      method: 'POST',
      path: '/v1/peerings',
      lang,
      body: { ...base, providerPeeringId: 'pcx-0123abcd', customerAccountId: '4444555566667' },
    });
    assert.equal(wrong.code, 'ID_MALFORMED');
    assert.equal(wrong.details.problem, 'it has 13 digits, not 12');
    assert.match(wrong.message, lang === 'en' ? /it has 13 digits, not 12/ : /共 13 位数字，应为 12 位/);
    await page.close();
  }
});

test(
  'internal ids never show: peerings are named by their connection id ' + 'and linked; running, then cleaned up',
  async () => {
    const t = strings('en');
    const page = await env.page('en');
    const demo = await inPage<{ values: Record<string, string> }>(page, env.key, {
      method: 'POST',
      path: '/v1/demo/deployments/dep-demo-pro/actions/request',
      body: {},
    });
    const created = await inPage<{ id: string; providerPeeringId: string; customerCidrs: string[] }>(page, env.key, {
      method: 'POST',
      path: '/v1/peerings',
      body: { deploymentId: 'dep-demo-pro', ...demo.values },
    });
    const pcx = created.providerPeeringId;
    await open(page, env, 'd/dep-demo-pro');
    await page.locator(`[data-peering="${created.id}"] [data-status=running]`).waitFor();
    const cidr = created.customerCidrs[0] ?? '';
    await page.getByLabel(t.resourceName).fill('orders-db');
    await page.getByLabel(t.resourceAddress).fill(`${cidr.split('.').slice(0, 2).join('.')}.3.4:5432`);
    await page.getByRole('button', { name: t.bind }).click();
    await page.getByRole('link', { name: `${t.peering} ${pcx}` }).waitFor();
    assert.doesNotMatch(await page.locator('main').innerText(), /pr_[0-9a-z]/, 'no internal id on the page');
    await shot(page, 'item8-deployment-named-by-connection-en');

    // step 1 lists the live peering's CIDR, linked by its connection id; resubmitting it links to it, without pr_
    await open(page, env, 'd/dep-demo-pro/new');
    await page.getByTestId('rules').getByRole('link', { name: pcx }).waitFor();
    await page.getByRole('button', { name: t.next }).click();
    await page.getByRole('button', { name: t.next }).click();
    await page.locator('#providerPeeringId').fill(pcx);
    await page.locator('#customerAccountId').fill(demo.values.customerAccountId ?? '');
    await page.locator('#customerVpcId').fill(demo.values.customerVpcId ?? '');
    await page.getByRole('button', { name: t.submit }).click();
    const taken = page.locator('#providerPeeringId-error[data-code=PROVIDER_ID_TAKEN]');
    await taken.waitFor();
    assert.doesNotMatch((await taken.innerText()) ?? '', /pr_/);
    await shot(page, 'item8-already-registered-linked-en');
    await taken.getByRole('link', { name: new RegExp(t.openPeeringLink) }).click();

    // the peering's page: named by its connection id, how to connect, Check now answers visibly
    await page.getByRole('heading', { level: 1, name: `${t.peering} ${pcx}` }).waitFor();
    await page.getByTestId('connect').waitFor();
    await page.getByRole('button', { name: t.resync }).click();
    await page
      .getByTestId('checked-at')
      .filter({ hasText: /Checked/ })
      .waitFor();
    await shot(page, 'item10-peering-running-connect-en');

    // unbind (confirmed), delete (typing its name), then the customer's clean-up instead of "add this route"
    await open(page, env, 'd/dep-demo-pro');
    await page.getByRole('button', { name: `${t.remove} orders-db` }).click();
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: `${t.remove} orders-db` })
      .click();
    await page.getByText(t.noResources).waitFor();
    await open(page, env, `p/${created.id}`);
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('button.danger')?.disabled);
    await page.getByRole('button', { name: t.deletePeering, exact: true }).click();
    await page.locator('#confirm-name').fill(pcx);
    await page.getByRole('alertdialog').getByRole('button', { name: t.deletePeering, exact: true }).click();
    await live(page, 'deleted').waitFor({ timeout: 20_000 });
    const cleanup = (await page.getByTestId('cleanup').first().textContent()) ?? '';
    assert.match(cleanup, /Remove the route to/);
    assert.equal(await page.getByRole('heading', { name: t.routeTitle }).count(), 0, 'no "add this route" once gone');
    await shot(page, 'item10-deleted-cleanup-en');

    // the deployment page folds it away
    await open(page, env, 'd/dep-demo-pro');
    const older = page.getByTestId('older-peerings');
    await older.waitFor();
    assert.equal(await older.getAttribute('open'), null, 'deleted and failed peerings start collapsed');
    await page.close();
  },
);
