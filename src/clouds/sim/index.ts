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
import { TcWorld, type TcWorldOptions } from '../tencent/sim-world.js';
import { TcSimulator } from '../tencent/simulator.js';

export interface Simulator extends SimulatorHandle {
  aws: AwsWorld;
  alibaba: AliWorld;
  huawei: HwWorld;
  tencent: TcWorld;
  /** the endpoint an adapter or SDK uses for each cloud */
  endpoints: { aws: string; alibaba: string; huawei: string; tencent: string };
}

export interface SimulatorOptions {
  port?: number;
  aws?: AwsWorldOptions;
  alibaba?: AliWorldOptions;
  huawei?: HwWorldOptions;
  tencent?: TcWorldOptions;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = new SimClock();
  const faults = new FaultPlan();
  const aws = new AwsWorld(clock, options.aws);
  const alibaba = new AliWorld(clock, options.alibaba);
  const huawei = new HwWorld(clock, options.huawei);
  const tencent = new TcWorld(clock, options.tencent);
  const handle = await serveSimulator(
    [
      new AwsSimulator(aws, faults),
      new AliSimulator(alibaba, faults),
      new HwSimulator(huawei, faults),
      new TcSimulator(tencent, faults),
    ],
    clock,
    faults,
    options.port ?? 0,
  );
  // Alibaba's and Tencent's SDKs take a host and post to its root; the simulator tells them apart by their headers
  // (x-acs-version, X-TC-Action).
  return {
    ...handle,
    aws,
    alibaba,
    huawei,
    tencent,
    endpoints: { aws: `${handle.url}/aws`, alibaba: handle.url, huawei: `${handle.url}/huawei`, tencent: handle.url },
  };
}
