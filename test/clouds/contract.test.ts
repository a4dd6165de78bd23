/**
 * The provider contract, run for every registered cloud against its simulator, with the setup its simulation gives —
 * once with every simulator switch at its conservative default (strict) and once with every switch permitted
 * (permissive), so the adapter is shown to work whichever way the real cloud answers what no public source settles.
 */
import { before, after } from 'node:test';
import type { CloudAdapter } from '../../src/clouds/provider.js';
import { clouds } from '../../src/clouds/registry.js';
import { applyMode, simModes, type ContractSetup, type SimMode } from '../../src/clouds/sim/contract.js';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { providerContract } from './contract.js';

const sims = new Map<SimMode, Simulator>();
const ready = new Map<string, { adapter: CloudAdapter; setup: ContractSetup; sim: Simulator }>();

before(async () => {
  for (const mode of simModes) {
    const sim = await startSimulator();
    sims.set(mode, sim);
    for (const cloud of clouds) {
      const simulation = await cloud.simulation();
      const world = sim.world(simulation);
      applyMode(simulation, world, mode);
      const setup = simulation.contract({ world, endpoint: sim.endpoint(simulation), clock: sim.clock });
      ready.set(`${cloud.name} ${mode}`, { adapter: await cloud.adapter({}), setup, sim });
    }
  }
});
after(async () => {
  for (const sim of sims.values()) await sim.close();
});

for (const mode of simModes) {
  for (const cloud of clouds) {
    providerContract(`${cloud.name} (${mode})`, cloud.capabilities, () => {
      const r = ready.get(`${cloud.name} ${mode}`);
      if (!r) throw new Error(`no contract setup for ${cloud.name} in ${mode} mode`);
      return { ...r.setup, sim: r.sim, provider: cloud.name, adapter: r.adapter };
    });
  }
}
