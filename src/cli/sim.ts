/** `peerlink sim`: the cloud simulator on a loopback port, and each cloud's customer-side helpers against it. */
import { Command } from 'commander';
import { startSimulator } from '../clouds/sim/index.js';
import { awsSimCommand } from '../clouds/aws/sim-cli.js';

export function simCommand(): Command {
  const sim = new Command('sim').description('the cloud simulator, and customer-side helpers against it');
  sim
    .command('start', { isDefault: true })
    .description('run the simulator on a loopback port')
    .option('--port <port>', 'port', '4566')
    .action(async (o: { port: string }) => {
      const s = await startSimulator({ port: Number(o.port) });
      console.log(`Cloud simulator on ${s.url}\n  AWS EC2 endpoint: ${s.endpoints.aws}\n  control API: ${s.url}/_sim/aws (POST /_sim/aws/account, /_sim/aws/vpc; POST /_sim/clock {advanceMs}; POST/DELETE /_sim/faults)`);
    });

  sim.addCommand(awsSimCommand());
  return sim;
}
