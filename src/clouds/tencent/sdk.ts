/**
 * The VPC 2017-03-12 client of `tencentcloud-sdk-nodejs` (the per-product package is not served here), imported from
 * its own folder so the other 300-odd services are not loaded.
 */
import { v20170312 } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/index.js';

export type TcVpcClient = InstanceType<typeof v20170312.Client>;
export type {
  CcnAttachedInstance,
  CcnRoute,
} from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';

/** `endpoint`: a URL (`http://127.0.0.1:4566` for the simulator) or absent for vpc.tencentcloudapi.com. */
export function tencentClient(o: {
  secretId: string;
  secretKey: string;
  region: string;
  endpoint?: string;
  timeoutSeconds?: number;
}): TcVpcClient {
  const url = o.endpoint ? new URL(o.endpoint) : null;
  return new v20170312.Client({
    credential: { secretId: o.secretId, secretKey: o.secretKey },
    region: o.region,
    profile: {
      httpProfile: {
        endpoint: url ? url.host : 'vpc.tencentcloudapi.com',
        protocol: url ? `${url.protocol}//` : 'https://',
        reqTimeout: o.timeoutSeconds ?? 10,
      },
    },
  });
}
