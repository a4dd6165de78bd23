/** Starts every simulated cloud behind one loopback server. */
import { SimClock } from './clock.js';
import { FaultPlan } from './faults.js';
import { serveSimulator, type SimulatorHandle } from './server.js';
import { AwsWorld, type AwsWorldOptions } from '../aws/sim-world.js';
import { AwsSimulator } from '../aws/simulator.js';
import { AliWorld, type AliWorldOptions } from '../alibaba/sim-world.js';
import { AliSimulator } from '../alibaba/simulator.js';

export interface Simulator extends SimulatorHandle {
  aws: AwsWorld;
  alibaba: AliWorld;
  /** the endpoint an adapter or SDK uses for each cloud */
  endpoints: { aws: string; alibaba: string };
}

export interface SimulatorOptions {
  port?: number;
  aws?: AwsWorldOptions;
  alibaba?: AliWorldOptions;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = new SimClock();
  const faults = new FaultPlan();
  const aws = new AwsWorld(clock, options.aws);
  const alibaba = new AliWorld(clock, options.alibaba);
  const handle = await serveSimulator([new AwsSimulator(aws, faults), new AliSimulator(alibaba, faults)], clock, faults, options.port ?? 0);
  // Alibaba's SDK takes a host and posts to its root; the simulator tells it apart by its x-acs-version header.
  return { ...handle, aws, alibaba, endpoints: { aws: `${handle.url}/aws`, alibaba: handle.url } };
}
