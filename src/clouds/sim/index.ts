/** Starts every simulated cloud behind one loopback server. */
import { SimClock } from './clock.js';
import { FaultPlan } from './faults.js';
import { serveSimulator, type SimulatorHandle } from './server.js';
import { AwsWorld, type AwsWorldOptions } from '../aws/sim-world.js';
import { AwsSimulator } from '../aws/simulator.js';
import { AliWorld, type AliWorldOptions } from '../alibaba/sim-world.js';
import { AliSimulator } from '../alibaba/simulator.js';
import { HwWorld, type HwWorldOptions } from '../huawei/sim-world.js';
import { HwSimulator } from '../huawei/simulator.js';

export interface Simulator extends SimulatorHandle {
  aws: AwsWorld;
  alibaba: AliWorld;
  huawei: HwWorld;
  /** the endpoint an adapter or SDK uses for each cloud */
  endpoints: { aws: string; alibaba: string; huawei: string };
}

export interface SimulatorOptions {
  port?: number;
  aws?: AwsWorldOptions;
  alibaba?: AliWorldOptions;
  huawei?: HwWorldOptions;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = new SimClock();
  const faults = new FaultPlan();
  const aws = new AwsWorld(clock, options.aws);
  const alibaba = new AliWorld(clock, options.alibaba);
  const huawei = new HwWorld(clock, options.huawei);
  const handle = await serveSimulator([new AwsSimulator(aws, faults), new AliSimulator(alibaba, faults), new HwSimulator(huawei, faults)], clock, faults, options.port ?? 0);
  // Alibaba's SDK takes a host and posts to its root; the simulator tells it apart by its x-acs-version header.
  return { ...handle, aws, alibaba, huawei, endpoints: { aws: `${handle.url}/aws`, alibaba: handle.url, huawei: `${handle.url}/huawei` } };
}
