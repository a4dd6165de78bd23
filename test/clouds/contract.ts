/**
 * The provider contract: what the reconciler relies on from every cloud adapter, run against each cloud's simulator
 * through its official SDK. A cloud's own test file supplies the fixture and adds its quirks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError, type PeeringAdapter, type PlatformTarget } from '../../src/clouds/provider.js';
import type { Simulator } from '../../src/clouds/sim/index.js';

export interface ContractFixture {
  sim: Simulator;
  /** the simulator's provider name in fault rules and the call log */
  provider: string;
  adapter: PeeringAdapter;
  target: PlatformTarget;
  deploymentVpcId: string;
  routeTableIds: string[];
  customer: { accountId: string; vpcId: string; cidrs: string[]; region: string };
  /** the customer asks for a connection to the deployment VPC; its id */
  request(): Promise<string>;
  /** let the cloud's asynchronous work finish */
  settle(): void;
  /** an id of the right shape that does not exist */
  unknownId: string;
  /** the CIDRs to route (default: what the cloud reports of the customer; Huawei reports none, the customer types them) */
  routeCidrs?: string[];
  /** false where the cloud's API does not say when an unanswered request expires (Huawei) */
  reportsExpiry?: boolean;
}

const transient = (code?: string) => (e: unknown) =>
  e instanceof ProviderError && e.kind === 'transient' && (!code || e.providerCode === code);

export function providerContract(name: string, fixture: () => ContractFixture): void {
  test(`${name} contract: describe, accept, route idempotently, unroute, delete idempotently`, async () => {
    const f = fixture();
    const id = await f.request();
    f.settle();
    const seen = (await f.adapter.describe(f.target, [id, f.unknownId])).get(id);
    assert.ok(seen, 'a requested connection is described');
    assert.equal((await f.adapter.describe(f.target, [f.unknownId])).size, 0, 'an unknown id is simply absent');
    assert.equal(seen.phase, 'awaiting-acceptance');
    assert.deepEqual(seen.requester, f.customer);
    assert.equal(seen.accepter.vpcId, f.deploymentVpcId);
    assert.equal(seen.accepter.accountId, f.target.accountId);
    if (f.reportsExpiry !== false)
      assert.ok(seen.expiresAt && seen.expiresAt > new Date().toISOString(), 'an acceptance deadline is reported');

    let listed = 0;
    for await (const page of f.adapter.listAccepted(f.target)) listed += page.filter((c) => c.providerId === id).length;
    assert.equal(listed, 1, 'the sweep lists it once');
    if (f.adapter.locate) {
      const found = await f.adapter.locate(f.target, {
        requesterVpcId: f.customer.vpcId,
        accepterVpcId: f.deploymentVpcId,
      });
      assert.deepEqual(
        found.map((c) => c.providerId),
        [id],
        'locate finds it from the customer VPC',
      );
    }

    await f.adapter.accept(f.target, id);
    f.settle();
    assert.equal((await f.adapter.describe(f.target, [id])).get(id)?.phase, 'active');
    await assert.rejects(
      f.adapter.accept(f.target, id),
      (e: unknown) => e instanceof ProviderError && e.kind === 'conflict',
      'accepting twice is a conflict, not a failure',
    );

    const routes = f.routeTableIds.flatMap((tableId) =>
      (f.routeCidrs ?? f.customer.cidrs).map((cidr) => ({ tableId, cidr })),
    );
    assert.ok(routes.length > 0, 'the contract routes at least one CIDR');
    await f.adapter.createRoutes(f.target, id, routes);
    await f.adapter.createRoutes(f.target, id, routes); // a retried call is done, not an error
    f.settle();
    assert.deepEqual(
      await f.adapter.routes(f.target, id, f.routeTableIds),
      routes.map((r) => ({ ...r, state: 'active' })),
    );
    await f.adapter.deleteRoutes(f.target, id, routes);
    await f.adapter.deleteRoutes(f.target, id, routes);
    assert.deepEqual(await f.adapter.routes(f.target, id, f.routeTableIds), []);

    await f.adapter.deleteConnection(f.target, id);
    await f.adapter.deleteConnection(f.target, id);
    f.settle();
    const after = (await f.adapter.describe(f.target, [id])).get(id);
    assert.ok(!after || after.phase === 'deleted', `deleted, or gone (got ${after?.phase})`);
  });

  errorContract(name, fixture);
}

/** What every adapter must say about failures: throttling, 5xx, timeouts, a closed port are transient; bad keys are not. */
function errorContract(name: string, fixture: () => ContractFixture): void {
  test(`${name} contract: throttling, 5xx, timeouts and a closed port are transient; bad credentials are not`, async () => {
    const f = fixture();
    f.sim.faults.add({ kind: 'throttle', provider: f.provider, times: 1 });
    await assert.rejects(f.adapter.describe(f.target, [f.unknownId], f.deploymentVpcId), transient());
    f.sim.faults.add({ kind: 'server-error', provider: f.provider, times: 1 });
    await assert.rejects(f.adapter.describe(f.target, [f.unknownId], f.deploymentVpcId), transient());
    f.sim.faults.add({ kind: 'unavailable', provider: f.provider, times: 1 });
    await assert.rejects(f.adapter.describe(f.target, [f.unknownId], f.deploymentVpcId), transient());
    await assert.rejects(
      f.adapter.describe({ ...f.target, endpoint: 'http://127.0.0.1:9' }, [f.unknownId], f.deploymentVpcId),
      transient(),
    );
    await assert.rejects(
      f.adapter.describe(
        { ...f.target, credentials: { accessKeyId: 'NOPE0000000000000000', secretAccessKey: 'x' } },
        [f.unknownId],
        f.deploymentVpcId,
      ),
      (e: unknown) => e instanceof ProviderError && e.kind === 'permanent',
    );
  });
}

export interface PlatformContractFixture extends ContractFixture {
  /** the customer approves the platform's request in its network */
  approve(): Promise<void>;
  /** the deployment VPC is attached elsewhere: preflight must say so */
  attachElsewhere(): Promise<void>;
}

/** The contract where the platform asks and the customer approves (Tencent CCN). */
export function platformContract(name: string, fixture: () => PlatformContractFixture): void {
  test(`${name} contract: request (idempotent), awaiting the customer, approved, listed once, detached idempotently`, async () => {
    const f = fixture();
    const ref = {
      connectionId: await f.request(),
      accepterVpcId: f.deploymentVpcId,
      requesterAccountId: f.customer.accountId,
    };
    assert.ok(f.adapter.request && f.adapter.preflight);
    assert.equal(await f.adapter.preflight(f.target, ref), null);
    assert.equal(
      (await f.adapter.describe(f.target, [ref.connectionId], f.deploymentVpcId)).size,
      0,
      'nothing asked yet',
    );
    await f.adapter.request(f.target, ref);
    await f.adapter.request(f.target, ref); // a request already pending counts as made
    const pending = (await f.adapter.describe(f.target, [ref.connectionId], f.deploymentVpcId)).get(ref.connectionId);
    assert.equal(pending?.phase, 'awaiting-customer');
    assert.deepEqual(pending?.requester, f.customer, 'the network’s owner and its VPCs’ CIDRs are read');
    assert.equal(pending?.accepter.vpcId, f.deploymentVpcId);
    assert.equal(pending?.accepter.accountId, f.target.accountId);
    await f.approve();
    f.settle();
    const active = (await f.adapter.describe(f.target, [ref.connectionId], f.deploymentVpcId)).get(ref.connectionId);
    assert.equal(active?.phase, 'active');
    assert.deepEqual(active?.routeConflicts, []);
    let listed = 0;
    for await (const page of f.adapter.listAccepted(f.target))
      listed += page.filter((c) => c.providerId === ref.connectionId && c.accepter.vpcId === f.deploymentVpcId).length;
    assert.equal(listed, 1);
    await f.adapter.deleteConnection(f.target, ref.connectionId, f.deploymentVpcId);
    await f.adapter.deleteConnection(f.target, ref.connectionId, f.deploymentVpcId);
    const after = (await f.adapter.describe(f.target, [ref.connectionId], f.deploymentVpcId)).get(ref.connectionId);
    assert.ok(!after || after.phase === 'deleted', `detached (got ${after?.phase})`);
    await f.attachElsewhere();
    assert.equal((await f.adapter.preflight(f.target, ref))?.code, 'DEPLOYMENT_IN_OTHER_CCN');
  });
  errorContract(name, fixture);
}
