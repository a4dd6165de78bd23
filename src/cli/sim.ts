/** `peerlink sim`: the cloud simulator on a loopback port, and each cloud's customer-side helpers against it. */
import { Command } from 'commander';
import { loadSimulations, startSimulator } from '../clouds/sim/index.js';

export async function simCommand(): Promise<Command> {
  const sim = new Command('sim').description('the cloud simulator, and customer-side helpers against it');
  sim
    .command('start', { isDefault: true })
    .description('run the simulator on a loopback port')
    .option('--port <port>', 'port', '4566')
    .option('--rate-limits', 'enforce each cloud’s documented request limits (also: POST /_sim/rate-limits)')
    .action(async (o: { port: string; rateLimits?: boolean }) => {
      const s = await startSimulator({ port: Number(o.port), rateLimits: o.rateLimits === true });
      const endpoints = Object.entries(s.endpoints).map(([cloud, endpoint]) => `  ${cloud} endpoint: ${endpoint}`);
      const names = Object.keys(s.endpoints).join('|');
      console.log(
        [
          `Cloud simulator on ${s.url}`,
          ...endpoints,
          `  control API: GET ${s.url}/_sim/<${names}>; POST ${s.url}/_sim/<cloud>/<operation>; POST /_sim/clock ` +
            `{advanceMs}; POST/DELETE /_sim/faults; GET/POST /_sim/rate-limits {enabled}`,
        ].join('\n'),
      );
    });
  for (const simulation of await loadSimulations()) sim.addCommand(simulation.command());
  return sim;
}
