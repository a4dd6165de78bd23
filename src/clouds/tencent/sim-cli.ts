/**
 * `peerlink sim tencent …`: act as the customer on the simulated Tencent Cloud through the official SDK — the seed's
 * console steps (create the CCN with your VPC, approve the deployment's request in 关联实例) as commands.
 */
import { Command } from 'commander';
import { TcCustomer } from './customer.js';

function customer(o: { endpoint?: string; region?: string }): TcCustomer {
  const secretId = process.env.TENCENTCLOUD_SECRET_ID;
  const secretKey = process.env.TENCENTCLOUD_SECRET_KEY;
  if (!secretId || !secretKey)
    throw new Error('set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (the demo writes them to data/demo.env)');
  return new TcCustomer({
    endpoint: o.endpoint ?? process.env.PEERLINK_SIM_TENCENT_ENDPOINT ?? 'http://127.0.0.1:4566',
    region: o.region ?? process.env.TENCENTCLOUD_REGION ?? 'ap-guangzhou',
    secretId,
    secretKey,
  });
}

export function tencentSimCommand(): Command {
  const tc = new Command('tencent').description(
    'act on the simulated Tencent Cloud with the official SDK (credentials from TENCENTCLOUD_SECRET_ID/_KEY)',
  );
  const common = (c: Command) =>
    c
      .option('--endpoint <url>', 'simulator URL (default $PEERLINK_SIM_TENCENT_ENDPOINT)')
      .option('--region <region>', 'region (default $TENCENTCLOUD_REGION)');
  common(
    tc
      .command('create-ccn')
      .description('create a CCN with your VPC attached (prints the ccn id)')
      .requiredOption('--name <name>')
      .option('--vpc-id <id>', 'your VPC to attach'),
  ).action(async (o: { name: string; vpcId?: string; endpoint?: string; region?: string }) =>
    console.log(await customer(o).createCcn(o.name, o.vpcId)),
  );
  common(
    tc
      .command('instances')
      .description('the CCN’s associated instances, pending requests included')
      .requiredOption('--ccn-id <id>'),
  ).action(async (o: { ccnId: string; endpoint?: string; region?: string }) => {
    for (const i of await customer(o).instances(o.ccnId))
      console.log(
        `${i.InstanceId}\t${i.State}\tuin ${i.InstanceUin}\t${i.InstanceRegion}\t${(i.CidrBlock ?? []).join(',')}`,
      );
  });
  common(
    tc
      .command('approve')
      .description('approve an instance’s request to join your CCN')
      .requiredOption('--ccn-id <id>')
      .requiredOption('--vpc-id <id>', 'the deployment VPC asking to join'),
  ).action(async (o: { ccnId: string; vpcId: string; endpoint?: string; region?: string }) => {
    await customer(o).approve(o.ccnId, o.vpcId);
    console.log(`approved ${o.vpcId} in ${o.ccnId}`);
  });
  common(
    tc
      .command('reject')
      .description('reject an instance’s request to join your CCN')
      .requiredOption('--ccn-id <id>')
      .requiredOption('--vpc-id <id>'),
  ).action(async (o: { ccnId: string; vpcId: string; endpoint?: string; region?: string }) => {
    await customer(o).reject(o.ccnId, o.vpcId);
    console.log(`rejected ${o.vpcId} in ${o.ccnId}`);
  });
  common(
    tc
      .command('detach')
      .description('detach an instance from your CCN')
      .requiredOption('--ccn-id <id>')
      .requiredOption('--vpc-id <id>'),
  ).action(async (o: { ccnId: string; vpcId: string; endpoint?: string; region?: string }) => {
    await customer(o).detach(o.ccnId, o.vpcId);
    console.log(`detached ${o.vpcId} from ${o.ccnId}`);
  });
  common(tc.command('routes').description('the CCN’s routes').requiredOption('--ccn-id <id>')).action(
    async (o: { ccnId: string; endpoint?: string; region?: string }) => {
      for (const r of await customer(o).routes(o.ccnId)) {
        const state = r.Enabled ? 'enabled' : `disabled (${r.ExtraState})`;
        console.log(`${r.RouteId}\t${r.DestinationCidrBlock}\t-> ${r.InstanceId}\t${state}`);
      }
    },
  );
  return tc;
}
