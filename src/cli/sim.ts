/** `peerlink sim`: the cloud simulator on a loopback port, and each cloud's customer-side helpers against it. */
import { Command } from 'commander';
import { startSimulator } from '../clouds/sim/index.js';
import { awsSimCommand } from '../clouds/aws/sim-cli.js';
import { alibabaSimCommand } from '../clouds/alibaba/sim-cli.js';
import { huaweiSimCommand } from '../clouds/huawei/sim-cli.js';
import { tencentSimCommand } from '../clouds/tencent/sim-cli.js';

export function simCommand(): Command {
  const sim = new Command('sim').description('the cloud simulator, and customer-side helpers against it');
  sim
    .command('start', { isDefault: true })
    .description('run the simulator on a loopback port')
    .option('--port <port>', 'port', '4566')
    .action(async (o: { port: string }) => {
      const s = await startSimulator({ port: Number(o.port) });
      console.log(
        [
          `Cloud simulator on ${s.url}`,
          `  AWS EC2 endpoint: ${s.endpoints.aws}`,
          `  Alibaba Cloud endpoint (VpcPeer 2022-01-01 and VPC 2016-04-28): ${s.endpoints.alibaba}`,
          `  Huawei Cloud VPC endpoint: ${s.endpoints.huawei}`,
          `  Tencent Cloud VPC (API 3.0) endpoint: ${s.endpoints.tencent}`,
          `  control API: POST ${s.url}/_sim/<aws|alibaba|tencent>/account, /_sim/huawei/project, /_sim/<cloud>/vpc; GET /_sim/<cloud>; POST /_sim/clock {advanceMs}; POST/DELETE /_sim/faults`,
        ].join('\n'),
      );
    });

  sim.addCommand(awsSimCommand());
  sim.addCommand(alibabaSimCommand());
  sim.addCommand(huaweiSimCommand());
  sim.addCommand(tencentSimCommand());
  return sim;
}
