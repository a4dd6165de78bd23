/**
 * Crash safety: Peerlink is SIGKILLed between accepting the peering and creating its route, restarted on the same
 * database, and converges to running with exactly one platform route (the intent recorded before the side effect
 * makes it re-observe rather than trust memory).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { json, startProcess, until } from '../support/processes.js';
import { testLimitsEnv } from '../support/harness.js';
import { must } from '../support/must.js';

const dir = mkdtempSync(join(tmpdir(), 'peerlink-crash-'));
const children: ChildProcess[] = [];
const databases: TestDatabase[] = [];
after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 100));
  for (const d of databases) await d.drop();
  rmSync(dir, { recursive: true, force: true });
});

for (const killDuring of ['DescribeRouteTables', 'CreateRoute']) {
  test(`killed after accept, during ${killDuring}: restart converges with one route`, async () => {
    const sim = await startProcess(['sim', 'start', '--port', '0']);
    children.push(sim.child);
    const aws = (op: string, body: unknown) => json<Record<string, string>>('POST', `${sim.url}/_sim/aws/${op}`, body);
    const platform = (await aws('account', { accountId: '111111111111' })).body;
    const customer = (await aws('account', { accountId: '222222222222' })).body;
    const pvpc = (await aws('vpc', { accountId: platform.accountId, region: 'us-east-1', cidr: '10.11.0.0/16' })).body;
    const cvpc = (await aws('vpc', { accountId: customer.accountId, region: 'us-east-1', cidr: '172.31.0.0/16' })).body;

    const database = await freshDatabase(dir, `${killDuring}.db`);
    databases.push(database);
    const env = {
      PEERLINK_DATABASE: database.url,
      PEERLINK_PORT: '0',
      PEERLINK_OPERATOR_TOKEN: 'crash-test-operator-token-0123456789',
      ...testLimitsEnv,
      PEERLINK_LOG_LEVEL: 'warn',
      PEERLINK_TICK_MS: '100',
      PEERLINK_LEASE_MS: '1500',
    };
    const first = await startProcess(['serve'], env);
    children.push(first.child);
    const op = 'crash-test-operator-token-0123456789';
    const org = (
      await json<{ org: { id: string }; apiKey: { key: string } }>(
        'POST',
        `${first.url}/v1/admin/orgs`,
        { name: 'Crash' },
        op,
      )
    ).body;
    const account = (
      await json<{ id: string }>(
        'POST',
        `${first.url}/v1/admin/platform-accounts`,
        {
          provider: 'aws',
          region: 'us-east-1',
          accountId: platform.accountId,
          endpoint: `${sim.url}/aws`,
          credentials: { accessKeyId: platform.accessKeyId, secretAccessKey: platform.secretAccessKey },
        },
        op,
      )
    ).body;
    const dep = (
      await json<{ id: string }>(
        'POST',
        `${first.url}/v1/admin/deployments`,
        {
          orgId: org.org.id,
          name: 'd',
          plan: 'dedicated-professional',
          region: 'us-east-1',
          vpcId: pvpc.vpcId,
          vpcCidr: '10.11.0.0/16',
          platformAccountId: account.id,
          routeTableIds: [pvpc.routeTableId],
        },
        op,
      )
    ).body;

    // the customer's request, straight through the simulator's world (the adapter tests cover the SDK path)
    const { EC2Client, CreateVpcPeeringConnectionCommand } = await import('@aws-sdk/client-ec2');
    const ec2 = new EC2Client({
      region: 'us-east-1',
      endpoint: `${sim.url}/aws`,
      credentials: { accessKeyId: customer.accessKeyId, secretAccessKey: customer.secretAccessKey },
      maxAttempts: 1,
    });
    const pcx = (
      await ec2.send(
        new CreateVpcPeeringConnectionCommand({
          VpcId: cvpc.vpcId,
          PeerVpcId: pvpc.vpcId,
          PeerOwnerId: platform.accountId,
        }),
      )
    ).VpcPeeringConnection?.VpcPeeringConnectionId;
    assert.ok(pcx, 'the customer created a pcx');

    // hold the call after accept long enough to kill the process while it is in flight
    await json('POST', `${sim.url}/_sim/faults`, {
      kind: 'latency',
      provider: 'aws',
      action: killDuring,
      ms: 1_500,
      times: 1,
    });
    const created = await json<{ id: string }>(
      'POST',
      `${first.url}/v1/peerings`,
      {
        deploymentId: dep.id,
        providerPeeringId: pcx,
        customerAccountId: customer.accountId,
        customerVpcId: cvpc.vpcId,
      },
      org.apiKey.key,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await until(`${killDuring} in flight`, async () => {
      const calls = (await json<{ calls: Array<{ action: string }> }>('GET', `${sim.url}/_sim/calls`)).body.calls;
      return calls.some((c) => c.action === killDuring) ? true : undefined;
    });
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await startProcess(['serve'], env);
    children.push(second.child);
    const final = await until('running after restart', async () => {
      const p = (
        await json<{ status: string }>('GET', `${second.url}/v1/peerings/${created.body.id}`, undefined, org.apiKey.key)
      ).body;
      return p.status === 'running' ? p : undefined;
    });
    assert.equal(final.status, 'running');
    const state = (
      await json<{
        routeTables: Array<{
          id: string;
          routes: Array<{ destinationCidrBlock: string; vpcPeeringConnectionId?: string }>;
        }>;
      }>('GET', `${sim.url}/_sim/aws`)
    ).body;
    const routes = must(
      state.routeTables.find((t) => t.id === pvpc.routeTableId),
      'the deployment route table',
    ).routes.filter((r) => r.destinationCidrBlock === '172.31.0.0/16');
    assert.deepEqual(
      routes.map((r) => r.vpcPeeringConnectionId),
      [pcx],
      'exactly one route, via the pcx',
    );
    const accepts = (
      await json<{ calls: Array<{ action: string }> }>('GET', `${sim.url}/_sim/calls`)
    ).body.calls.filter((c) => c.action === 'AcceptVpcPeeringConnection');
    assert.equal(accepts.length, 1, 'accepted once');
    const events = (
      await json<{ items: Array<{ kind: string; note: string }> }>(
        'GET',
        `${second.url}/v1/peerings/${created.body.id}/events`,
        undefined,
        org.apiKey.key,
      )
    ).body.items;
    if (killDuring === 'CreateRoute')
      assert.ok(
        events.some((e) => e.kind === 'recovered' && e.note.includes('create-routes')),
        JSON.stringify(events),
      );
    second.child.kill('SIGTERM');
    sim.child.kill('SIGKILL');
  });
}
