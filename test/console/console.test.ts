/**
 * The console's guard rails in a real browser: refusals shown next to the field they concern (client-side and from the
 * server, in the chosen language), plans that cannot peer, delete guarded by bound resources, the Tencent countdown
 * running out and a retry, the language remembered, and the narrow (390 px) layout.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { inPage, startConsole, strings, type ConsoleEnv } from '../support/browser.js';
import { must } from '../support/must.js';

const demoRequest = '/v1/demo/deployments/dep-demo-pro/actions/request';
/** What a demo action answers: the form values it produced */
interface DemoResult {
  values: Record<string, string | string[]>;
  note: string;
}

let env: ConsoleEnv;
before(async () => {
  env = await startConsole();
});
after(() => env?.close()); // absent when the browser never started

async function openWizard(page: Page, deployment: string, lang: 'en' | 'zh-CN') {
  const t = strings(lang);
  await page.getByRole('link', { name: deployment, exact: true }).click();
  await page.getByRole('button', { name: t.addPeering }).click();
  await page.locator('[data-fact]').first().waitFor();
  await page.getByRole('button', { name: t.next }).click();
  await page.getByRole('button', { name: t.next }).click();
}

const fieldError = (page: Page, key: string) => page.locator(`#${key}-error`);

test(
  'refusals appear next to their field: shape (client), not ' +
    'found and requester mismatch (server), in English and Chinese',
  async () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const t = strings(lang);
      const page = await env.page(lang);
      await openWizard(page, 'demo-broker', lang);
      // by the field's own label (the facts beside the form have copy buttons named alike)
      await page.getByRole('textbox', { name: /Peering connection ID|对等连接 ID/ }).fill('pcx-NOPE');
      await page.getByRole('textbox', { name: /account ID|请求方账号 ID/ }).fill('444455556666');
      await page
        .getByRole('textbox', { name: /Requester VPC ID|请求方 VPC ID/ })
        .fill(env.cat.env.CUSTOMER_VPC_ID ?? '');
      await page.getByRole('button', { name: t.submit }).click();
      const shape = fieldError(page, 'providerPeeringId');
      await shape.waitFor();
      assert.match(
        (await shape.textContent()) ?? '',
        lang === 'en' ? /Expected pcx- followed by 8 or 17/ : /应为 pcx- 加 8 位或 17 位/,
      );
      assert.equal(await page.locator('#providerPeeringId').getAttribute('aria-invalid'), 'true');
      await env.shot(page, `refusal-shape-${lang}`);

      // well formed, but no such request at the cloud: the server's refusal, in this language, next to the id
      await page.locator('#providerPeeringId').fill('pcx-0123abcd');
      await page.getByRole('button', { name: t.submit }).click();
      const notFound = page.locator('#providerPeeringId-error[data-code=PEERING_NOT_FOUND]');
      await notFound.waitFor();
      assert.match(
        (await notFound.textContent()) ?? '',
        lang === 'en' ? /was not found in region us-east-1/ : /未找到对等连接 pcx-0123abcd/,
      );

      // a real request, but the VPC typed is not the requester's: shown next to the VPC field
      const res = await inPage<DemoResult>(page, env.key, { method: 'POST', path: demoRequest, body: {} });
      const pcx = res.values.providerPeeringId;
      await page.locator('#providerPeeringId').fill(typeof pcx === 'string' ? pcx : '');
      await page.getByRole('button', { name: t.submit }).click();
      await page.locator('#customerVpcId-error[data-code=PEERING_REQUESTER_MISMATCH]').waitFor();
      await env.shot(page, `refusal-server-${lang}`);
      await page.close();
    }
  },
);

test(
  'Huawei: a reserved CIDR is refused next to the CIDR ' + 'field; Alibaba: a malformed VPC next to the VPC field',
  async () => {
    const t = strings('en');
    const page = await env.page('en');
    await openWizard(page, 'demo-broker-beijing4', 'en');
    await page.locator('#customerCidrs').fill('10.20.0.0/16');
    await page.locator('#providerPeeringId').fill('22b76469-08e3-4937-8c1d-7aad34892be1');
    await page.locator('#customerVpcId').fill('9daeac7c-a98f-430f-8e38-67f9c044e299');
    await page.locator('#customerAccountId').fill(env.cat.env.HUAWEICLOUD_SDK_PROJECT_ID ?? '');
    await page.getByRole('button', { name: t.submit }).click();
    const cidr = page.locator('#customerCidrs-error[data-code=CIDR_RESERVED]');
    await cidr.waitFor();
    assert.match((await cidr.textContent()) ?? '', /reserved range 10\.10\.0\.0\/24/);
    await page.locator('#customerCidrs').fill('192.168.0.0/33');
    await page.locator('#customerCidrs').blur();
    assert.equal(await fieldError(page, 'customerCidrs').textContent(), t.invalidCidr);
    await page.locator('#customerCidrs').fill('192.168.7.0/16');
    assert.equal(
      await fieldError(page, 'customerCidrs').textContent(),
      'Host bits are set; did you mean 192.168.0.0/16?',
      'the server’s suggestion, before any request',
    );

    await page.goto(`${env.url}/console/#/`);
    await openWizard(page, 'demo-broker-hangzhou', 'en');
    await page.locator('#customerVpcId').fill('vpc_NOT');
    await page.getByRole('button', { name: t.submit }).click();
    await fieldError(page, 'customerVpcId').waitFor();
    await page.close();
  },
);

test('a plan that cannot peer: the button is disabled and says why', async () => {
  const t = strings('zh-CN');
  const page = await env.page('zh-CN');
  await page.getByRole('link', { name: 'demo-trial', exact: true }).click();
  const button = page.getByRole('button', { name: t.addPeering });
  await button.waitFor();
  await page.locator('#why-not').waitFor();
  assert.equal(await button.isDisabled(), true);
  assert.match((await page.locator('#why-not').textContent()) ?? '', /套餐 trial 不支持 VPC 对等连接/);
  await page.close();
});

test('delete is guarded by bound resources and by state', async () => {
  const t = strings('en');
  const page = await env.page('en');
  const res = await inPage<DemoResult>(page, env.key, { method: 'POST', path: demoRequest, body: {} });
  const created = await inPage<{ id: string; customerCidrs: string[] }>(page, env.key, {
    method: 'POST',
    path: '/v1/peerings',
    body: { deploymentId: 'dep-demo-pro', ...res.values },
  });
  await page.goto(`${env.url}/console/#/d/dep-demo-pro`);
  await page.locator(`[data-peering="${created.id}"] [data-status=running]`).waitFor();
  // bind a resource inside the peering's CIDR, through the console
  const cidr = must(created.customerCidrs[0], 'a customer CIDR');
  await page.getByLabel(t.resourceName).fill('orders-db');
  await page.getByLabel(t.resourceAddress).fill(`${cidr.split('.').slice(0, 2).join('.')}.3.4:5432`);
  await page.getByRole('button', { name: t.bind }).click();
  await page.locator(`[data-peering="${created.id}"]`, { hasText: 'orders-db' }).waitFor();
  await page.goto(`${env.url}/console/#/p/${created.id}`);
  const del = page.getByRole('button', { name: t.deletePeering, exact: true });
  await page.getByTestId('delete-why').filter({ hasText: 'orders-db' }).waitFor();
  assert.equal(await del.isDisabled(), true);
  await env.shot(page, 'delete-guarded');
  await page.goto(`${env.url}/console/#/d/dep-demo-pro`);
  await page.getByRole('button', { name: `${t.remove} orders-db` }).click();
  await page
    .getByRole('alertdialog')
    .getByRole('button', { name: `${t.remove} orders-db` })
    .click();
  await page.locator(`[data-peering="${created.id}"]`, { hasText: 'orders-db' }).waitFor({ state: 'detached' });
  await page.goto(`${env.url}/console/#/p/${created.id}`);
  await page.locator('.live [data-status=running]').waitFor();
  await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('button.danger')?.disabled);
  await del.click();
  await page.getByRole('alertdialog').getByRole('button', { name: t.cancel }).click();
  assert.equal(await page.locator('.live [data-status=running]').count(), 1, 'cancel leaves it running');
  await page.close();
});

test(
  'Tencent: the countdown runs out, the request is ' + 'withdrawn, a retry starts a new window; at 390 px wide',
  async () => {
    const t = strings('zh-CN');
    const page = await env.page('zh-CN', 390);
    await page.getByRole('link', { name: 'demo-broker-guangzhou', exact: true }).click();
    await page.getByRole('button', { name: t.addPeering }).click();
    await page.locator('[data-fact]').first().waitFor();
    await page.getByRole('button', { name: t.next }).click();
    await page.locator('[data-demo=request]').click();
    await page.locator('[data-demo=fill]').click();
    await page.getByRole('button', { name: t.submit }).click();
    await page.locator('.live [data-status="awaiting-customer"]').waitFor();
    await env.shot(page, 'tencent-narrow-awaiting');
    const first = Number(await page.locator('.countdown').getAttribute('data-left-ms'));
    env.sim.clock.advance(4 * 60_000);
    await page.waitForFunction(
      (before) => Number(document.querySelector('.countdown')?.getAttribute('data-left-ms')) < before - 3 * 60_000,
      first,
    );
    env.sim.clock.advance(7 * 60_000);
    await page.locator('.live [data-status=failed]').waitFor({ timeout: 20_000 });
    assert.match(
      (await page.locator('.live [data-code=PEERING_APPROVAL_EXPIRED]').textContent()) ?? '',
      /未在 .* 前获得同意/,
    );
    await page.getByRole('link', { name: new RegExp(t.viewPeering) }).click();
    await page.getByRole('button', { name: t.retry }).click();
    await page.locator('.live [data-status="awaiting-customer"]').waitFor();
    const again = Number(await page.locator('.countdown').getAttribute('data-left-ms'));
    assert.ok(again > 9 * 60_000, `a new 10-minute window (${again} ms)`);
    await env.shot(page, 'tencent-narrow-retried');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scroll at 390 px (${width})`);
    await page.close();
  },
);

test('the language is remembered; the default follows the browser', async () => {
  const page = await env.page('en');
  await page.getByLabel(strings('en').language).selectOption('zh-CN');
  await page.getByRole('heading', { name: strings('zh-CN').deployments }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: strings('zh-CN').deployments }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  // errors come back in the chosen language too
  const lang = await page.evaluate(() => localStorage.getItem('peerlink.lang') ?? 'en');
  const body = await inPage<{ message: string }>(page, env.key, { method: 'GET', path: '/v1/deployments/nope', lang });
  assert.match(body.message, /未找到/);
  await page.close();
});
