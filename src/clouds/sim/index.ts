/** Starts every registered cloud's simulation behind one loopback server, with one clock and one fault plan. */
import { clouds } from '../registry.js';
import { SimClock } from './clock.js';
import type { CloudSimulation } from './contract.js';
import { FaultPlan } from './faults.js';
import { serveSimulator, type SimulatorHandle } from './server.js';

export interface Simulator extends SimulatorHandle {
  /** the loaded simulation of each cloud, by name */
  simulations: ReadonlyMap<string, CloudSimulation>;
  /** the endpoint each cloud's SDK is given, by cloud name */
  endpoints: Readonly<Record<string, string>>;
  /** a cloud's world, typed by its simulation (tests import the simulation they drive) */
  world<W>(simulation: CloudSimulation<W, unknown>): W;
  endpoint(simulation: CloudSimulation<unknown, unknown>): string;
}

export async function loadSimulations(): Promise<CloudSimulation[]> {
  return Promise.all(clouds.map((c) => c.simulation()));
}

export async function startSimulator(options: { port?: number; rateLimits?: boolean } = {}): Promise<Simulator> {
  const clock = new SimClock();
  const faults = new FaultPlan();
  for (const cloud of clouds) faults.setLimits(cloud.name, cloud.rateLimits);
  faults.enforceLimits(options.rateLimits === true);
  const simulations = await loadSimulations();
  const worlds = new Map<string, unknown>(simulations.map((s) => [s.name, s.createWorld(clock)]));
  const wires = simulations.map((s) => s.wire(worlds.get(s.name), faults));
  const handle = await serveSimulator(wires, clock, faults, options.port ?? 0);
  const endpoints = Object.fromEntries(simulations.map((s) => [s.name, s.endpoint(handle.url)]));
  return {
    ...handle,
    simulations: new Map(simulations.map((s) => [s.name, s])),
    endpoints,
    world<W>(simulation: CloudSimulation<W, unknown>): W {
      if (!worlds.has(simulation.name)) throw new Error(`no simulated cloud ${simulation.name}`);
      return worlds.get(simulation.name) as W;
    },
    endpoint: (simulation) => endpoints[simulation.name] ?? '',
  };
}
