/**
 * Alibaba Cloud's error codes Peerlink depends on (VpcPeer 2022-01-01 and VPC 2016-04-28), named, and how each kind of
 * failure is treated: transient (retry with backoff), conflict (observe again) or permanent.
 */
import { networkCodes } from '../kit.js';
import { ProviderError } from '../provider.js';

export const codes = {
  connectionNotFound: 'ResourceNotFound.InstanceId',
  routeNotFound: 'InvalidRouteEntry.NotFound',
  /** DeleteVpcPeerConnection while route entries point at the connection */
  routeEntryExists: 'OperationDenied.RouteEntryExist',
  /** what CreateRouteEntry and DeleteRouteEntry answer while an entry of the table is still changing */
  routeEntryBusy: 'IncorrectRouteEntryStatus',
} as const;

/**
 * CreateRouteEntry's documented "already there" answers (VPC 2016-04-28 metadata, dew-serverless/acs-sdk-php
 * data/vpc/2016-04-28/api-docs.php; Terraform's resource_alicloud_route_entry.go treats the first three as existing).
 */
export const routeDuplicateCodes: readonly string[] = [
  'InvalidCIDRBlock.Duplicate',
  'InvalidRouteEntry.Duplicate',
  'Duplicated.VpcNextHop',
  'RouteConflict.AlreadyExist',
  'RouterEntryConflict.Duplicated',
];

/**
 * The state moved under us, or the cloud is busy with another change: observe again (then back off). The route entry
 * and VPC locks are the codes the Terraform provider retries around CreateRouteEntry/DeleteRouteEntry
 * (resource_alicloud_route_entry.go:168, :326); Conflict.Operation is VpcPeer's documented "try again later";
 * OperationDenied.RouteEntryExist and IncorrectStatus are what its accepter's delete retries
 * (resource_alicloud_vpc_peer_connection_accepter.go:354).
 */
const conflictCodes = new Set([
  'IncorrectStatus.VpcPeer',
  'IncorrectBusinessStatus.VpcPeer',
  'ResourceAlreadyExist.VpcPeer',
  'Conflict.Operation',
  'OperationConflict',
  'TaskConflict',
  'IncorrectStatus',
  codes.routeEntryBusy,
  'IncorrectStatus.VpcRouteEntry',
  'IncorrectStatus.RouteTableStatus',
  'IncorrectVpcStatus',
  'IncorrectInstanceStatus',
  'OperationFailed.DistibuteLock',
  codes.routeEntryExists,
]);
const transientCodes = new Set([
  'ServiceUnavailable',
  'InternalError',
  'UnknownError',
  'OperationFailed.LastTokenProcessing',
  'SystemBusy',
  'LastTokenProcessing',
]);
/** The OpenAPI client's own transport codes, besides Node's. */
const clientTimeoutCodes = new Set(['ReadTimeout', 'ConnectTimeout']);

interface SdkError {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  data?: { Code?: string; Message?: string; RequestId?: string };
}

export function classifyAlibabaError(operation: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e: SdkError = typeof err === 'object' && err !== null ? err : {};
  const code = e.data?.Code ?? e.code ?? e.name ?? 'Unknown';
  const status = e.statusCode ?? 0;
  const message = e.data?.Message
    ? `${e.data.Message} (RequestId ${e.data.RequestId ?? '?'})`
    : (e.message ?? String(err));
  const options = { cause: err };
  const throttled = code.startsWith('Throttling') || e.name === 'ThrottlingError';
  const transport = networkCodes.has(code) || clientTimeoutCodes.has(code) || (status === 0 && !e.data);
  if (throttled || transientCodes.has(code) || transport || status >= 500) {
    return new ProviderError('transient', operation, code, message, options);
  }
  if (conflictCodes.has(code)) return new ProviderError('conflict', operation, code, message, options);
  return new ProviderError('permanent', operation, code, message, options);
}
