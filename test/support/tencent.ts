/** Tencent end-to-end helpers shared by the notification tests. */
import assert from 'node:assert/strict';
import { TC_CUSTOMER_UIN, type TencentFixture } from '../../src/clouds/tencent/simulation.js';
import type { Harness } from './harness.js';

/** The customer makes a CCN holding a VPC of `cidr`, and submits it: the new peering's id and the CCN. */
export async function submitCcn(
  h: Harness,
  tc: TencentFixture,
  name: string,
  cidr: string,
  deploymentId = tc.deploymentId,
): Promise<{ id: string; ccn: string }> {
  const ccn = await tc.customer.createCcn(name, tc.vpc(cidr));
  const created = await h.api<{ id: string }>('POST', '/v1/peerings', {
    deploymentId,
    providerPeeringId: ccn,
    customerAccountId: TC_CUSTOMER_UIN,
    customerCidrs: [cidr],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { id: created.body.id, ccn };
}
