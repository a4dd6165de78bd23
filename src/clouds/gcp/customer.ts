/**
 * The customer's side of Google Cloud through the official client — what `gcloud compute networks peerings …` would
 * send from the customer's project: add the matching half toward the deployment network, remove it, list the halves
 * and the routes they import. Used by `peerlink sim gcp …`, the demo and the tests.
 */
import { relativeLink, selfLink } from './ids.js';
import { computeClients, type ComputeClients, type ServiceAccountKey, type protos } from './sdk.js';

type Operation = protos.google.cloud.compute.v1.IOperation;

export interface GcpCustomerOptions {
  endpoint: string;
  key: ServiceAccountKey & { project_id: string };
}

export class GcpCustomer {
  private readonly c: ComputeClients;
  readonly project: string;

  constructor(o: GcpCustomerOptions) {
    this.c = computeClients(o);
    this.project = o.key.project_id;
  }

  /** Waits for the operation; its error, if it ended with one, is thrown. */
  private async finish(started: Operation): Promise<Operation> {
    let op = started;
    while (op.status !== 'DONE' && op.name)
      [op] = await this.c.operations.wait({ project: this.project, operation: op.name });
    const errors = op.error?.errors ?? [];
    if (errors.length) throw new Error(errors.map((e) => `${e.code}: ${e.message}`).join('; '));
    return op;
  }

  /** `gcloud compute networks peerings create NAME --network --peer-project --peer-network` */
  async addPeering(network: string, name: string, peer: { project: string; network: string }): Promise<void> {
    const [op] = await this.c.networks.addPeering({
      project: this.project,
      network,
      networksAddPeeringRequestResource: {
        networkPeering: { name, network: selfLink(peer), exchangeSubnetRoutes: true },
      },
    });
    await this.finish(op.latestResponse as Operation);
  }

  /** `gcloud compute networks peerings delete NAME --network` */
  async removePeering(network: string, name: string): Promise<void> {
    const [op] = await this.c.networks.removePeering({
      project: this.project,
      network,
      networksRemovePeeringRequestResource: { name },
    });
    await this.finish(op.latestResponse as Operation);
  }

  /** `gcloud compute networks peerings list --network` */
  async peerings(network: string): Promise<Array<{ name: string; peer: string; state: string; details: string }>> {
    const [n] = await this.c.networks.get({ project: this.project, network });
    return (n.peerings ?? []).map((p) => ({
      name: p.name ?? '',
      peer: p.network ?? '',
      state: p.state ?? '',
      details: p.stateDetails ?? '',
    }));
  }

  /** `gcloud compute networks peerings list-routes NAME --network --direction=INCOMING` */
  async routes(network: string, peering: string, region: string): Promise<string[]> {
    const request = { project: this.project, network, peeringName: peering, direction: 'INCOMING', region };
    const out: string[] = [];
    for await (const r of this.c.networks.listPeeringRoutesAsync(request)) out.push(r.destRange ?? '');
    return out;
  }

  networkUri(network: string): string {
    return relativeLink({ project: this.project, network });
  }
}
