/**
 * The provider contract: what the reconciler relies on from every cloud adapter, run against each cloud's simulator
 * through its official SDK (contract.test.ts runs it for every registered cloud; a cloud's own test file adds its
 * quirks). Which parts run follows the cloud's declared capabilities, as the reconciler's do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Capabilities } from '../../src/core/capabilities.js';
import { gonePhases } from '../../src/core/observation.js';
import {
  ProviderError,
  type CloudAdapter,
  type ConnectionRef,
  type PlatformTarget,
  type RouteRef,
} from '../../src/clouds/provider.js';
import type { ContractSetup } from '../../src/clouds/sim/contract.js';
import type { Simulator } from '../../src/clouds/sim/index.js';

/** A cloud's contract setup (from its simulation), with the simulator it lives in and the adapter under test. */
export interface ContractFixture extends ContractSetup {
  sim: Simulator;
  /** the simulator's provider name in fault rules and the call log */
  provider: string;
  adapter: CloudAdapter;
}

const transient = (code?: string) => (e: unknown) =>
  e instanceof ProviderError && e.kind === 'transient' && (!code || e.providerCode === code);

export function refFor(f: ContractFixture, connectionId: string): ConnectionRef {
  return {
    connectionId,
    deploymentVpcId: f.deploymentVpcId,
    customerAccountId: f.customer.accountId,
    customerVpcId: f.customer.vpcId,
    customerCidrs: f.routeCidrs ?? f.customer.cidrs,
  };
}

async function listedTimes(f: ContractFixture, id: string): Promise<number> {
  let n = 0;
  for await (const page of f.adapter.connections.list(f.target))
    n += page.filter((c) => c.providerId === id && c.platform.vpcId === f.deploymentVpcId).length;
  return n;
}

const doneOrBusy = async (call: Promise<void>, what: string) => {
  await call.catch((e: unknown) => {
    assert.ok(
      e instanceof ProviderError && e.kind === 'conflict',
      `${what}: done, or busy (a conflict); got ${String(e)}`,
    );
  });
};

/**
 * Routes the way the reconciler drives them: while any is still being programmed or removed, the cloud is waited for
 * (some clouds take one route change per network at a time); otherwise what is still to do is asked for, and asked
 * again at once (a retried call is done, or a conflict while the cloud is busy — never a failure).
 */
async function converge(f: ContractFixture, id: string, routes: RouteRef[], want: 'present' | 'absent') {
  const r = f.adapter.routes;
  assert.ok(r, 'platform routes');
  const key = (x: RouteRef) => `${x.tableId} ${x.cidr}`;
  for (let i = 0; i < 4 * routes.length + 4; i++) {
    const seen = await r.observe(f.target, id, f.routeTableIds);
    if (seen.some((x) => x.state === 'pending')) {
      f.settle();
      continue;
    }
    const present = new Set(seen.map(key));
    const todo = routes.filter((x) => present.has(key(x)) === (want === 'absent'));
    if (todo.length === 0) return;
    const call = () => (want === 'present' ? r.create(f.target, id, todo) : r.remove(f.target, id, todo));
    await call();
    await doneOrBusy(call(), `a retried ${want === 'present' ? 'create' : 'remove'}`);
  }
  assert.fail(`routes never became ${want}`);
}

/** `capabilities`: the cloud's declarations, which pick the parts of the contract that apply. */
export function providerContract(name: string, capabilities: Capabilities, fixture: () => ContractFixture): void {
  const f0 = (): ContractFixture => fixture();
  test(`${name} contract: the adapter has exactly the parts its capabilities declare`, () => {
    const f = f0();
    const c = capabilities;
    assert.equal(!!f.adapter.acceptor, c.opens === 'customer', 'an acceptor where the customer opens');
    assert.equal(!!f.adapter.requester, c.opens === 'platform', 'a requester where the platform opens');
    assert.equal(!!f.adapter.locator, c.finds === 'customer-network', 'a locator where the connection is found');
    assert.equal(!!f.adapter.routes, c.routes === 'platform', 'platform routes where the platform programs them');
  });

  if (capabilities.opens === 'customer') customerOpensContract(name, f0);
  else platformOpensContract(name, capabilities, f0);
  errorContract(name, f0);
}

function customerOpensContract(name: string, fixture: () => ContractFixture): void {
  test(`${name} contract: observe, list, locate, accept, route idempotently, unroute, close idempotently`, async () => {
    const f = fixture();
    const { connections, acceptor } = f.adapter;
    assert.ok(acceptor);
    const id = await f.request();
    f.settle();
    const seen = await connections.observe(f.target, refFor(f, id));
    assert.ok(seen, 'a requested connection is observed');
    assert.equal(await connections.observe(f.target, refFor(f, f.unknownId)), null, 'an unknown id is simply absent');
    assert.equal(seen.phase, 'awaiting-acceptance');
    assert.deepEqual(seen.customer, f.customer);
    assert.equal(seen.platform.vpcId, f.deploymentVpcId);
    assert.equal(seen.platform.accountId, f.target.accountId);
    if (f.reportsExpiry !== false)
      assert.ok(seen.expiresAt && seen.expiresAt > new Date().toISOString(), 'an acceptance deadline is reported');
    assert.equal(await listedTimes(f, id), 1, 'the sweep lists it once');
    if (f.adapter.locator) {
      const between = { customerVpcId: f.customer.vpcId, deploymentVpcId: f.deploymentVpcId };
      const found = await f.adapter.locator.locate(f.target, between);
      assert.deepEqual(
        found.map((c) => c.providerId),
        [id],
        'located from the customer network',
      );
    }

    await acceptor.accept(f.target, refFor(f, id));
    f.settle();
    assert.equal((await connections.observe(f.target, refFor(f, id)))?.phase, 'active');
    await assert.rejects(
      acceptor.accept(f.target, refFor(f, id)),
      (e: unknown) => e instanceof ProviderError && e.kind === 'conflict',
      'accepting twice is a conflict, not a failure',
    );

    if (f.adapter.routes) {
      const routes = f.routeTableIds.flatMap((tableId) =>
        (f.routeCidrs ?? f.customer.cidrs).map((cidr) => ({ tableId, cidr })),
      );
      assert.ok(routes.length > 0, 'the contract routes at least one CIDR');
      await converge(f, id, routes, 'present');
      assert.deepEqual(
        await f.adapter.routes.observe(f.target, id, f.routeTableIds),
        routes.map((x) => ({ ...x, state: 'active' })),
      );
      await f.adapter.routes.create(f.target, id, routes); // a retried call once they exist is done
      if (f.customerRoutes) await f.customerRoutes(id);
      await converge(f, id, routes, 'absent');
      await f.adapter.routes.remove(f.target, id, routes); // a retried call once they are gone is done
      assert.deepEqual(await f.adapter.routes.observe(f.target, id, f.routeTableIds), []);
    }

    const active = await connections.observe(f.target, refFor(f, id));
    assert.ok(active);
    await connections.close(f.target, refFor(f, id), active);
    f.settle();
    await connections.close(f.target, refFor(f, id), active); // a retried close is done
    f.settle();
    const after = await connections.observe(f.target, refFor(f, id));
    assert.ok(!after || after.phase === 'deleted', `deleted, or gone (got ${after?.phase})`);
  });

  test(
    `${name} contract: a request still awaiting acceptance ` + `is closed by what the cloud allows the accepter`,
    async () => {
      const f = fixture();
      const id = await f.request();
      f.settle();
      const pending = await f.adapter.connections.observe(f.target, refFor(f, id));
      assert.equal(pending?.phase, 'awaiting-acceptance');
      await f.adapter.connections.close(f.target, refFor(f, id), pending);
      f.settle();
      await f.adapter.connections.close(f.target, refFor(f, id), pending);
      f.settle();
      const after = await f.adapter.connections.observe(f.target, refFor(f, id));
      assert.ok(!after || gonePhases.includes(after.phase), `ended, or gone (got ${after?.phase})`);
    },
  );
}

function platformOpensContract(name: string, capabilities: Capabilities, fixture: () => ContractFixture): void {
  test(
    `${name} contract: precheck, request (idempotent), awaiting ` +
      `the customer or completed by the platform, listed once, closed idempotently`,
    async () => {
      const f = fixture();
      const { connections, requester } = f.adapter;
      assert.ok(requester, 'a requester');
      if (capabilities.oneCustomerNetwork) assert.ok(f.joinElsewhere, 'joinElsewhere, where one network is allowed');
      const ref = refFor(f, await f.request());
      const pre = await requester.precheck(f.target, ref);
      assert.equal(pre.deploymentJoined, null, 'the deployment network is free');
      if (pre.customerNetwork) {
        // where the platform can read the customer's network first: it is found, with its CIDRs
        assert.deepEqual(pre.customerNetwork, { kind: 'found', network: f.customer }, 'the customer network as read');
      }
      assert.equal(await connections.observe(f.target, ref), null, 'nothing asked yet');
      await requester.request(f.target, ref);
      await requester.request(f.target, ref); // a request already pending (or made whole) counts as made
      if (f.approve) {
        // the customer completes its part: the request waits for it
        const pending = await connections.observe(f.target, ref);
        assert.equal(pending?.phase, 'awaiting-customer');
        // the network's owner; its networks' CIDRs where the cloud lets the platform read them (else typed)
        assert.deepEqual(pending?.customer, f.customer, 'the customer’s side as the cloud shows it to the platform');
        assert.equal(pending?.platform.vpcId, f.deploymentVpcId);
        assert.equal(pending?.platform.accountId, f.target.accountId);
        await f.approve();
      }
      f.settle();
      const active = await connections.observe(f.target, ref);
      assert.equal(active?.phase, 'active');
      if (!f.approve) assert.deepEqual(active?.customer, f.customer, 'the customer network as the connection shows it');
      assert.equal(active?.platform.vpcId, f.deploymentVpcId);
      assert.equal(active?.platform.accountId, f.target.accountId);
      assert.ok(!active?.routeConflicts?.length, 'no route conflict (or none observable)');
      if (capabilities.customerCidrs === 'reported')
        assert.ok((active?.customer.cidrs.length ?? 0) > 0, 'once active, the customer’s CIDRs are reported');
      assert.equal(await listedTimes(f, ref.connectionId), f.listsConnections === false ? 0 : 1, 'listed once');
      await connections.close(f.target, ref, active);
      f.settle();
      await connections.close(f.target, ref, active);
      const after = await connections.observe(f.target, ref);
      assert.ok(!after || after.phase === 'deleted', `closed (got ${after?.phase})`);
      if (f.joinElsewhere) {
        // the deployment network now belongs to another customer network: the precheck sees it where the cloud
        // lists it, and the request is refused otherwise — a permanent refusal, never a request taken as made
        await f.joinElsewhere();
        if ((await requester.precheck(f.target, ref)).deploymentJoined === null)
          await assert.rejects(
            requester.request(f.target, ref),
            (e: unknown) => e instanceof ProviderError && e.kind === 'permanent',
            'joined elsewhere: refused',
          );
      }
    },
  );
}

/**
 * What every adapter must say about failures: throttling, 5xx, timeouts, a closed port are transient; bad keys are not.
 */
function errorContract(name: string, fixture: () => ContractFixture): void {
  test(
    `${name} contract: throttling, 5xx, timeouts and a ` + `closed port are transient; bad credentials are not`,
    async () => {
      const f = fixture();
      const observe = (target: PlatformTarget) => f.adapter.connections.observe(target, refFor(f, f.unknownId));
      // as many faults as the SDK's own attempts could absorb; the rest are cleared before the next kind
      for (const kind of ['throttle', 'server-error', 'unavailable'] as const) {
        f.sim.faults.add({ kind, provider: f.provider, times: 5 });
        await assert.rejects(observe(f.target), transient(), kind);
        f.sim.faults.clear();
      }
      await assert.rejects(observe({ ...f.target, endpoint: 'http://127.0.0.1:9' }), transient());
      const wrongKey = Object.fromEntries(Object.keys(f.target.credentials).map((k) => [k, 'NOPE0000000000000000']));
      await assert.rejects(
        observe({ ...f.target, credentials: wrongKey }),
        (e: unknown) => e instanceof ProviderError && e.kind === 'permanent',
      );
    },
  );
}
