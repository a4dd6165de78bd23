/**
 * Alibaba Cloud's error codes Peerlink depends on (VpcPeer 2022-01-01 and VPC 2016-04-28), named, and how each kind of
 * failure is treated: transient (retry with backoff), conflict (observe again) or permanent.
 */
import { networkCodes } from '../kit.js';
import { ProviderError } from '../provider.js';

export const codes = {
  connectionNotFound: 'ResourceNotFound.InstanceId',
  routeDuplicate: 'InvalidCIDRBlock.Duplicate',
  routeNotFound: 'InvalidRouteEntry.NotFound',
  routeEntryExists: 'OperationDenied.RouteEntryExist',
} as const;

/** The state moved under us: observe again. */
const conflictCodes = new Set([
  'IncorrectStatus.VpcPeer',
  'IncorrectBusinessStatus.VpcPeer',
  'ResourceAlreadyExist.VpcPeer',
  'OperationConflict',
  'TaskConflict',
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
