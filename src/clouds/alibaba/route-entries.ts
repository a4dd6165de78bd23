/**
 * Alibaba Cloud's route entries (VPC 2016-04-28, NextHopType=VpcPeer), the platform side. They are asynchronous
 * (Pending → Available; Deleting → gone) and a VPC takes one route change at a time: CreateRouteEntry and
 * DeleteRouteEntry "do not support concurrent" additions or deletions in the same VPC and may answer TaskConflict
 * (their remarks in @alicloud/vpc20160428's client.d.ts). Each call here changes one entry, after checking that its
 * table is settled, as Terraform's WaitForAllRouteEntriesAvailable does (resource_alicloud_route_entry.go:135); the
 * reconciler waits while an entry is Pending or Deleting (seen as `pending`) before it asks for the next.
 */
import { randomUUID } from 'node:crypto';
import * as $Vpc from '@alicloud/vpc20160428';
import type { RouteObservation } from '../../core/observation.js';
import { ignoring, type ClientCache } from '../kit.js';
import { ProviderError, type PlatformRoutes, type PlatformTarget, type RouteRef } from '../provider.js';
import { codes, routeDuplicateCodes } from './errors.js';
import { aliRuntime, type AliVpcClient } from './sdk.js';

/** Pending, Modifying and Deleting entries are still changing: the reconciler waits for them. */
function routeState(status: string | undefined): RouteObservation['state'] {
  return status === 'Available' ? 'active' : 'pending';
}

interface Entry {
  cidr: string;
  status: string;
  nextHopIds: string[];
}

/** Idempotency tokens on mutations, as the Terraform provider sends them (buildClientToken): one per call. */
export const clientToken = () => randomUUID();

/** The adapter's timed, classified call. */
export type AliCall = <T>(t: PlatformTarget, operation: string, fn: () => Promise<T>) => Promise<T>;

export function routeEntries(
  clients: ClientCache<{ vpc: AliVpcClient }>,
  call: AliCall,
  timeoutMs: number,
): PlatformRoutes {
  /** A route table's entries, every page; `nextHopId` narrows them to one next hop. */
  async function entries(t: PlatformTarget, tableId: string, nextHopId?: string): Promise<Entry[]> {
    const out: Entry[] = [];
    let token = '';
    do {
      const request = new $Vpc.DescribeRouteEntryListRequest({
        regionId: t.region,
        routeTableId: tableId,
        nextHopId,
        maxResult: 100,
        nextToken: token || undefined,
      });
      const page = await call(t, 'DescribeRouteEntryList', () =>
        clients.get(t).vpc.describeRouteEntryListWithOptions(request, aliRuntime(timeoutMs)),
      );
      for (const e of page.body?.routeEntrys?.routeEntry ?? []) {
        if (!e.destinationCidrBlock) continue;
        const nextHopIds = (e.nextHops?.nextHop ?? []).flatMap((h) => (h.nextHopId ? [h.nextHopId] : []));
        out.push({ cidr: e.destinationCidrBlock, status: e.status ?? '', nextHopIds });
      }
      token = page.body?.nextToken ?? '';
    } while (token);
    return out;
  }

  async function routes(t: PlatformTarget, connectionId: string, routeTableIds: string[]): Promise<RouteObservation[]> {
    const out: RouteObservation[] = [];
    for (const tableId of routeTableIds) {
      for (const e of await entries(t, tableId, connectionId)) {
        if (e.nextHopIds.includes(connectionId)) out.push({ tableId, cidr: e.cidr, state: routeState(e.status) });
      }
    }
    return out;
  }

  /** The table must be settled before a change: one route change per VPC at a time. */
  function settled(operation: string, tableId: string, table: Entry[]): void {
    const busy = table.find((e) => e.status !== 'Available');
    if (busy) {
      const message = `route table ${tableId}: the entry to ${busy.cidr} is ${busy.status}; one route change at a time`;
      throw new ProviderError('conflict', operation, codes.routeEntryBusy, message);
    }
  }

  const routedElsewhere = (tableId: string, cidr: string) =>
    new ProviderError(
      'permanent',
      'CreateRouteEntry',
      'InvalidCIDRBlock.Duplicate',
      `route table ${tableId} already routes ${cidr} elsewhere`,
    );

  return {
    observe: routes,

    /**
     * Adds the first route still missing, once its table is settled, and returns: the reconciler asks again for the
     * next when this one is Available. A route already there — whichever documented duplicate code says so — is
     * done if it points at this connection (a retried call, or a crash after the call landed).
     */
    async create(t: PlatformTarget, connectionId: string, wanted: RouteRef[]): Promise<void> {
      for (const tableId of [...new Set(wanted.map((r) => r.tableId))]) {
        const table = await entries(t, tableId);
        const ours = (r: RouteRef) => table.some((e) => e.cidr === r.cidr && e.nextHopIds.includes(connectionId));
        const todo = wanted.filter((r) => r.tableId === tableId && !ours(r));
        const taken = todo.find((r) => table.some((e) => e.cidr === r.cidr));
        if (taken) throw routedElsewhere(tableId, taken.cidr);
        const [r] = todo;
        if (!r) continue;
        settled('CreateRouteEntry', tableId, table);
        const request = new $Vpc.CreateRouteEntryRequest({
          regionId: t.region,
          routeTableId: tableId,
          destinationCidrBlock: r.cidr,
          nextHopType: 'VpcPeer',
          nextHopId: connectionId,
          clientToken: clientToken(),
        });
        const created = await ignoring(routeDuplicateCodes, () =>
          call(t, 'CreateRouteEntry', () =>
            clients.get(t).vpc.createRouteEntryWithOptions(request, aliRuntime(timeoutMs)),
          ),
        );
        if (!created && !(await routes(t, connectionId, [tableId])).some((x) => x.cidr === r.cidr))
          throw routedElsewhere(tableId, r.cidr);
        return;
      }
    },

    /**
     * Deletes the first of these routes still Available, once its table is settled, and returns; one already
     * Deleting, or gone, is done.
     */
    async remove(t: PlatformTarget, connectionId: string, gone: RouteRef[]): Promise<void> {
      for (const tableId of [...new Set(gone.map((r) => r.tableId))]) {
        const table = await entries(t, tableId);
        const r = gone.find(
          (x) =>
            x.tableId === tableId &&
            table.some((e) => e.cidr === x.cidr && e.nextHopIds.includes(connectionId) && e.status !== 'Deleting'),
        );
        if (!r) continue;
        settled('DeleteRouteEntry', tableId, table);
        const request = new $Vpc.DeleteRouteEntryRequest({
          regionId: t.region,
          routeTableId: tableId,
          destinationCidrBlock: r.cidr,
          nextHopId: connectionId,
        });
        await ignoring([codes.routeNotFound], () =>
          call(t, 'DeleteRouteEntry', () =>
            clients.get(t).vpc.deleteRouteEntryWithOptions(request, aliRuntime(timeoutMs)),
          ),
        );
        return;
      }
    },
  };
}
