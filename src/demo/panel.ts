/**
 * Demo mode's customer-cloud panel: the things a customer does in its own cloud (create the request, approve, route),
 * played in the simulator through each cloud's official SDK, so every flow can be walked in the console alone.
 */
import type { PeeringStatus } from '../core/status.js';
import type { Localized } from '../clouds/provider.js';
import type { DemoAction, DemoDeployment, DemoPeering, DemoResult } from '../clouds/sim/contract.js';

export type { DemoDeployment, DemoPeering, DemoResult };

export interface DemoActionInfo {
  key: string;
  label: Localized;
  stage: DemoAction['stage'];
  statuses: readonly PeeringStatus[];
}

export interface DemoPanel {
  /** the actions offered for a cloud's deployments, in the order a customer takes them */
  actions(provider: string): DemoActionInfo[];
  run(provider: string, key: string, deployment: DemoDeployment, peering: DemoPeering | null): Promise<DemoResult>;
}

export function demoPanel(byCloud: ReadonlyMap<string, readonly DemoAction[]>): DemoPanel {
  return {
    actions: (provider) =>
      (byCloud.get(provider) ?? []).map(({ key, label, stage, statuses }) => ({
        key,
        label,
        stage,
        statuses: statuses ?? [],
      })),
    run(provider, key, deployment, peering) {
      const action = byCloud.get(provider)?.find((a) => a.key === key);
      if (!action) return Promise.reject(new Error(`no demo action ${key} for this cloud`));
      return action.run(deployment, peering);
    },
  };
}
