/** Starts every simulated cloud behind one loopback server. */
import { SimClock } from './clock.js';
import { FaultPlan } from './faults.js';
import { serveSimulator, type SimulatorHandle } from './server.js';
import { AwsWorld, type AwsWorldOptions } from '../aws/sim-world.js';
import { AwsSimulator } from '../aws/simulator.js';

export interface Simulator extends SimulatorHandle {
  aws: AwsWorld;
  /** the endpoint an adapter or SDK uses for each cloud */
  endpoints: { aws: string };
}

export interface SimulatorOptions {
  port?: number;
  aws?: AwsWorldOptions;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = new SimClock();
  const faults = new FaultPlan();
  const aws = new AwsWorld(clock, options.aws);
  const handle = await serveSimulator([new AwsSimulator(aws, faults)], clock, faults, options.port ?? 0);
  return { ...handle, aws, endpoints: { aws: `${handle.url}/aws` } };
}
