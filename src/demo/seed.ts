/**
 * The demo's world, shared by `peerlink demo` and the browser tests: each registered cloud seeds its simulator with a
 * platform and a customer account and networks; Peerlink's database gets an organization with an API key, the
 * platform accounts and the clouds' demo deployments; the console's panel gets each cloud's customer actions.
 */
import { randomBytes } from 'node:crypto';
import type { DemoAction } from '../clouds/sim/contract.js';
import type { Simulator } from '../clouds/sim/index.js';
import { isProviderName } from '../clouds/registry.js';
import type { Store } from '../store/db.js';
import type { Deployment } from '../store/platform.js';
import { reposOf } from '../store/repos.js';
import { demoPanel, type DemoPanel } from './panel.js';

export interface DemoWorld {
  panel: DemoPanel;
  /** registers the seeded accounts and deployments in Peerlink's database */
  register(store: Store): Promise<DemoCatalog>;
  summary: string[];
}

export interface DemoCatalog {
  org: { id: string; name: string };
  /** the demo organization's admin API key (shown once) */
  key: string;
  deployments: Deployment[];
  /** shell variables for the README walk-through, every cloud's */
  env: Record<string, string>;
}

/** Seeds every cloud's simulator with the demo's accounts and networks. */
export function seedDemoWorld(sim: Simulator): DemoWorld {
  const seeds = [...sim.simulations.values()].map((s) => ({
    name: s.name,
    seed: s.demo(sim.world(s), sim.endpoint(s)),
  }));
  const actions = new Map<string, readonly DemoAction[]>(seeds.map((s) => [s.name, s.seed.actions]));
  return {
    panel: demoPanel(actions),
    summary: seeds.flatMap((s) => s.seed.summary),
    async register(store) {
      const now = new Date();
      const repos = reposOf(store);
      const org = await repos.orgs.create('Demo Org', now);
      const { key } = await repos.orgs.issueKey(org.id, 'demo admin key', 'admin', now);
      const deployments: Deployment[] = [];
      const env: Record<string, string> = {};
      for (const { name, seed } of seeds) {
        if (!isProviderName(name)) throw new Error(`simulation ${name} is not a registered cloud`);
        const account = await repos.platform.addAccount({ provider: name, ...seed.account }, now);
        const ids: string[] = [];
        for (const d of seed.deployments) {
          const row = {
            ...d,
            orgId: org.id,
            provider: name,
            platformAccountId: account.id,
            privateEndpoint: brokerEndpoint(d.vpcCidr),
          };
          const added = await repos.platform.addDeployment(row, now);
          deployments.push(added);
          ids.push(added.id);
        }
        Object.assign(env, seed.env({ deploymentIds: ids }));
      }
      return { org, key, deployments, env };
    },
  };
}

export const newOperatorToken = () => randomBytes(24).toString('base64url');

/** The demo broker's private endpoint: the tenth address of the deployment's network, MQTT's port. */
function brokerEndpoint(vpcCidr: string): string {
  const [a, b, c] = vpcCidr.split('/')[0].split('.');
  return `${a}.${b}.${c}.10:1883`;
}
