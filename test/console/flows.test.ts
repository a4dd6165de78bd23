/**
 * The seed's four flows and the Google Cloud and Azure flows walked in a real browser (Debian chromium via
 * playwright-core), in both languages, with the demo's customer-cloud panel playing the customer's side: facts → in
 * your cloud → the form → routes and live status → the peering's page → delete. Screenshots of every step go to
 * test-results/screens/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startConsole, strings, type ConsoleEnv } from '../support/browser.js';
import type { Lang } from '../../src/console/i18n.js';

let env: ConsoleEnv;
before(async () => {
  env = await startConsole();
});
after(() => env?.close()); // absent when the browser never started

/** `after`: the customer's step after the submit (approve, add the matching half); `route`: a route of its own. */
const flows = [
  { cloud: 'aws', deployment: 'demo-broker', vpc: /^vpc-/, cli: 'aws ec2 create-vpc-peering-connection', route: true },
  {
    cloud: 'alibaba',
    deployment: 'demo-broker-hangzhou',
    vpc: /^vpc-/,
    cli: 'aliyun vpcpeer CreateVpcPeerConnection',
    route: true,
  },
  {
    cloud: 'huawei',
    deployment: 'demo-broker-beijing4',
    vpc: /^[0-9a-f-]{36}$/,
    cli: 'hcloud VPC CreateVpcPeering',
    route: true,
  },
  {
    cloud: 'tencent',
    deployment: 'demo-broker-guangzhou',
    vpc: /^vpc-/,
    cli: 'tccli vpc CreateCcn',
    after: 'approve',
    route: false,
  },
  {
    cloud: 'gcp',
    deployment: 'demo-broker-iowa',
    vpc: /^[a-z][-a-z0-9]*$/,
    cli: 'gcloud compute networks peerings create',
    after: 'peer',
    route: false,
  },
  // the customer delegates before the submit (the demo's request); the platform creates both halves
  {
    cloud: 'azure',
    deployment: 'demo-broker-virginia',
    vpc: /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\//,
    cli: 'az ad sp create --id',
    route: false,
  },
] as const;

const live = (page: Page, status: string) => page.locator(`.live [data-status="${status}"]`).first();

for (const lang of ['en', 'zh-CN'] as Lang[]) {
  for (const flow of flows) {
    const { cloud, deployment } = flow;
    test(`${cloud} flow in the browser (${lang})`, async () => {
      const t = strings(lang);
      const page = await env.page(lang);
      const name = `${cloud}-${lang}`;
      await page.getByRole('link', { name: deployment, exact: true }).click();
      await page.getByRole('button', { name: t.addPeering }).click();

      // 1. the deployment's facts, with copy buttons
      const facts = page.locator('[data-fact]');
      await facts.first().waitFor();
      assert.ok((await facts.count()) >= 3);
      const vpcFact = await page.locator('[data-fact=vpcId] code').textContent();
      assert.match(vpcFact ?? '', flow.vpc);
      await page
        .getByRole('button', { name: new RegExp(`^${t.copy} `) })
        .first()
        .waitFor();
      await env.shot(page, `${name}-1-facts`);

      // 2. what to do in your cloud: steps, the cloud's CLI, Terraform — then the simulator plays the customer
      await page.getByRole('button', { name: t.next }).click();
      await page.locator('pre', { hasText: flow.cli }).first().waitFor();
      await page.locator('[data-demo=request]').click();
      await page.locator('[data-demo=fill]').click();
      await env.shot(page, `${name}-3-form`);

      // 3. the form, filled with what the customer's cloud gave back
      await page.getByRole('button', { name: t.submit }).click();

      // 4. routes, security group, live status
      if ('after' in flow) {
        await live(page, 'awaiting-customer').waitFor();
        if (cloud === 'tencent') {
          const left = Number(await page.locator('.countdown').getAttribute('data-left-ms'));
          assert.ok(left > 9 * 60_000 && left <= 10 * 60_000, `countdown shows ~10 minutes (${left} ms)`);
        }
        await env.shot(page, `${name}-4-awaiting`);
        const acted = page.waitForResponse((r) => r.url().endsWith(`/actions/${flow.after}`));
        await page.locator(`[data-demo=${flow.after}]`).click();
        await acted; // the customer's action is done in its cloud …
        env.sim.clock.advance(20_000); // … and the next look at the cloud comes sooner
      }
      await live(page, 'running').waitFor();
      await page.getByRole('heading', { name: t.routeTitle }).waitFor();
      if (flow.route) {
        // the customer's own route (a CCN or a peering exchanges it by itself)
        await page.locator('[data-demo=route]').click();
        await page.getByText(t.demoDone).waitFor();
      }
      await env.shot(page, `${name}-4-running`);

      // the peering's own page: status, history; delete with confirmation
      await page.getByRole('link', { name: new RegExp(t.viewPeering) }).click();
      await page.getByRole('heading', { name: t.timeline }).waitFor();
      await page.locator('.timeline [data-kind=transition]').first().waitFor();
      await env.shot(page, `${name}-5-peering`);
      await page.getByRole('button', { name: t.deletePeering, exact: true }).click();
      const dialog = page.getByRole('alertdialog');
      assert.ok((await dialog.textContent())?.includes(t.confirmDelete), 'the dialog says what delete does');
      // a running peering is deleted only once its name is typed
      const confirm = dialog.getByRole('button', { name: t.deletePeering, exact: true });
      assert.equal(await confirm.isDisabled(), true, 'delete waits for the typed name');
      const expected = (await dialog.locator('#confirm-name').getAttribute('data-expected')) ?? '';
      await dialog.locator('#confirm-name').fill(expected);
      await confirm.click();
      await live(page, 'deleted').waitFor({ timeout: 20_000 });
      await page.close();
    });
  }
}
