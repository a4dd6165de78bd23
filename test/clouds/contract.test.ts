/** The provider contract, run for every registered cloud against its simulator, with the setup its simulation gives. */
import { before, after } from 'node:test';
import type { CloudAdapter } from '../../src/clouds/provider.js';
import { clouds } from '../../src/clouds/registry.js';
import type { ContractSetup } from '../../src/clouds/sim/contract.js';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { providerContract } from './contract.js';

let sim: Simulator;
const ready = new Map<string, { adapter: CloudAdapter; setup: ContractSetup }>();

before(async () => {
  sim = await startSimulator();
  for (const cloud of clouds) {
    const simulation = await cloud.simulation();
    const setup = simulation.contract({
      world: sim.world(simulation),
      endpoint: sim.endpoint(simulation),
      clock: sim.clock,
    });
    ready.set(cloud.name, { adapter: await cloud.adapter({}), setup });
  }
});
after(() => sim.close());

for (const cloud of clouds) {
  providerContract(cloud.name, cloud.capabilities, () => {
    const r = ready.get(cloud.name);
    if (!r) throw new Error(`no contract setup for ${cloud.name}`);
    return { ...r.setup, sim, provider: cloud.name, adapter: r.adapter };
  });
}
