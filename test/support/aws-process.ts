/**
 * An AWS world for tests that run Peerlink and the simulator as processes (crash tests): the platform and customer
 * accounts and VPCs made through the simulator's control routes, an organization, the platform account and a
 * deployment registered over Peerlink's API, and the customer's requests made with the official SDK.
 */
import assert from 'node:assert/strict';
import { testLimitsEnv } from './harness.js';
import { json } from './processes.js';

/** The operator token of the `serve` processes crash tests start. */
export const CRASH_OPERATOR = 'crash-test-operator-token-0123456789';

/** The environment of a `serve` process a crash test kills and restarts on `database`; `extra` adds or overrides. */
export function crashEnv(database: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PEERLINK_DATABASE: database,
    PEERLINK_PORT: '0',
    PEERLINK_OPERATOR_TOKEN: CRASH_OPERATOR,
    ...testLimitsEnv,
    PEERLINK_LOG_LEVEL: 'warn',
    PEERLINK_TICK_MS: '100',
    PEERLINK_LEASE_MS: '1500',
    ...extra,
  };
}

const REGION = 'us-east-1';

export interface AwsOverHttp {
  orgId: string;
  apiKey: string;
  deploymentId: string;
  platform: { accountId: string };
  customer: { accountId: string };
  pvpc: { vpcId: string; routeTableId: string };
  cvpc: { vpcId: string };
  /** a customer VPC with `cidr` that requests a peering to the deployment VPC: the submit body for it */
  request(cidr?: string): Promise<{ pcx: string; body: Record<string, string> }>;
}

export async function awsOverHttp(simUrl: string, peerlinkUrl: string, operatorToken: string): Promise<AwsOverHttp> {
  const aws = (op: string, body: unknown) => json<Record<string, string>>('POST', `${simUrl}/_sim/aws/${op}`, body);
  const platform = (await aws('account', { accountId: '111111111111' })).body;
  const customer = (await aws('account', { accountId: '222222222222' })).body;
  const pvpc = (await aws('vpc', { accountId: platform.accountId, region: REGION, cidr: '10.11.0.0/16' })).body;
  const cvpc = (await aws('vpc', { accountId: customer.accountId, region: REGION, cidr: '172.31.0.0/16' })).body;
  const admin = async <T>(path: string, body: unknown) => {
    const r = await json<T>('POST', `${peerlinkUrl}${path}`, body, operatorToken);
    assert.ok(r.status < 300, `${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const org = await admin<{ org: { id: string }; apiKey: { key: string } }>('/v1/admin/orgs', { name: 'Crash' });
  const account = await admin<{ id: string }>('/v1/admin/platform-accounts', {
    provider: 'aws',
    region: REGION,
    accountId: platform.accountId,
    endpoint: `${simUrl}/aws`,
    credentials: { accessKeyId: platform.accessKeyId, secretAccessKey: platform.secretAccessKey },
  });
  const dep = await admin<{ id: string }>('/v1/admin/deployments', {
    orgId: org.org.id,
    name: 'd',
    plan: 'dedicated-professional',
    region: REGION,
    vpcId: pvpc.vpcId,
    vpcCidr: '10.11.0.0/16',
    platformAccountId: account.id,
    routeTableIds: [pvpc.routeTableId],
  });
  const { EC2Client, CreateVpcPeeringConnectionCommand } = await import('@aws-sdk/client-ec2');
  const ec2 = new EC2Client({
    region: REGION,
    endpoint: `${simUrl}/aws`,
    credentials: { accessKeyId: customer.accessKeyId, secretAccessKey: customer.secretAccessKey },
    maxAttempts: 1,
  });
  return {
    orgId: org.org.id,
    apiKey: org.apiKey.key,
    deploymentId: dep.id,
    platform: { accountId: platform.accountId },
    customer: { accountId: customer.accountId },
    pvpc: { vpcId: pvpc.vpcId, routeTableId: pvpc.routeTableId },
    cvpc: { vpcId: cvpc.vpcId },
    async request(cidr?: string) {
      const vpcId = cidr
        ? (await aws('vpc', { accountId: customer.accountId, region: REGION, cidr })).body.vpcId
        : cvpc.vpcId;
      const out = await ec2.send(
        new CreateVpcPeeringConnectionCommand({ VpcId: vpcId, PeerVpcId: pvpc.vpcId, PeerOwnerId: platform.accountId }),
      );
      const pcx = out.VpcPeeringConnection?.VpcPeeringConnectionId;
      assert.ok(pcx, 'the customer created a pcx');
      return {
        pcx,
        body: {
          deploymentId: dep.id,
          providerPeeringId: pcx,
          customerAccountId: customer.accountId,
          customerVpcId: vpcId,
        },
      };
    },
  };
}
