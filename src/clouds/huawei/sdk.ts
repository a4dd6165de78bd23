/**
 * The official Huawei Cloud VPC client, shared by the adapter and the customer-side helper: every HTTP status comes
 * back as a response (the SDK would lose the VPC error body otherwise), and the SDK's own stdout logger is silenced.
 */
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { v2 } from '@huaweicloud/huaweicloud-sdk-vpc';

export type HwVpcClient = ReturnType<ReturnType<typeof v2.VpcClient.newBuilder>['build']>;

export function huaweiClient(o: {
  ak: string;
  sk: string;
  projectId: string;
  endpoint: string;
  timeoutMs?: number;
}): HwVpcClient {
  const client = v2.VpcClient.newBuilder()
    .withCredential(new BasicCredentials().withAk(o.ak).withSk(o.sk).withProjectId(o.projectId))
    .withEndpoint(o.endpoint)
    .withOptions({
      axiosRequestConfig: { ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}), validateStatus: () => true },
    })
    .build();
  silenceSdkLogger(client);
  return client;
}

/**
 * The SDK's HTTP client logs every transport failure at ERROR to stdout through its own log4js logger, request
 * headers included, and offers no option to replace it: our own log line (with the ProviderError) is the record.
 */
function silenceSdkLogger(client: HwVpcClient): void {
  const http = (client as unknown as { hcClient?: { httpClient?: { _logger?: unknown } } }).hcClient?.httpClient;
  if (http && '_logger' in http)
    http._logger = {
      debug() {},
      info() {},
      warn() {},
      error() {},
      setLevel() {},
      getLevel: () => 'error',
      setName() {},
    };
}
