/**
 * The official Alibaba Cloud client, shared by the adapter and the customer-side helper. VpcPeer (API 2022-01-01) has
 * no package the registry here serves, so its actions go through the OpenAPI client's generic `callApi`; answers are
 * read as text and parsed losslessly, so an 18-digit account UID stays exact (it does not fit a double).
 */
import VpcModule from '@alicloud/vpc20160428';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { RuntimeOptions } from '@darabonba/typescript';
import { parse as parseLossless } from 'lossless-json';

// The package is CommonJS with `exports.default = Client`: imported from ESM, the class is the module's `.default`.
const VpcClass = VpcModule.default;
export type AliVpcClient = InstanceType<typeof VpcClass>;

export interface AliClientOptions {
  accessKeyId: string;
  accessKeySecret: string;
  region: string;
  /** a URL (simulator, proxy); absent: `host`, or the SDK's own endpoint for the region */
  endpoint?: string;
  host?: string;
  timeoutMs?: number;
  /** 'v2': the classic query-string signature instead of ACS3 */
  signature?: 'acs3' | 'v2';
}

export function aliClient(o: AliClientOptions): AliVpcClient {
  const url = o.endpoint ? new URL(o.endpoint) : null;
  return new VpcClass(
    new $OpenApiUtil.Config({
      accessKeyId: o.accessKeyId,
      accessKeySecret: o.accessKeySecret,
      regionId: o.region,
      endpoint: url ? url.host : o.host,
      protocol: url ? url.protocol.replace(':', '') : 'https',
      ...(o.timeoutMs ? { readTimeout: o.timeoutMs, connectTimeout: 5_000 } : {}),
      ...(o.signature === 'v2' ? { signatureAlgorithm: 'v2' } : {}),
    }),
  );
}

/** Retries are the caller's: the SDK makes one attempt. */
export function aliRuntime(timeoutMs?: number): RuntimeOptions {
  return new RuntimeOptions({
    autoretry: false,
    ...(timeoutMs ? { readTimeout: timeoutMs, connectTimeout: 5_000 } : {}),
  });
}

/**
 * One VpcPeer 2022-01-01 action (RPC, form body). RegionId goes only where the action takes it —
 * CreateVpcPeerConnection and ListVpcPeerConnections; Get/Accept/Reject/Delete take none: the endpoint is central
 * (vpcpeer.aliyuncs.com for every region) [aliyun/alibabacloud-typescript-sdk vpcpeer-20220101/src/client.ts;
 * Terraform's service_alicloud_vpc_peer_v2.go calls them without it].
 */
export async function callVpcPeer(
  client: AliVpcClient,
  action: string,
  body: Record<string, string | number | boolean>,
  runtime: RuntimeOptions,
): Promise<Record<string, unknown>> {
  const params = new $OpenApiUtil.Params({
    action,
    version: '2022-01-01',
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'string',
  });
  const out = (await client.callApi(params, new $OpenApiUtil.OpenApiRequest({ body }), runtime)) as { body: string };
  return parseLossless(out.body, undefined, (n) =>
    Number.isSafeInteger(Number(n)) || n.includes('.') ? Number(n) : n,
  ) as Record<string, unknown>;
}
