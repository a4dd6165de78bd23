/**
 * Tencent Cloud's VPC (API 3.0) error codes Peerlink depends on, named, and how each kind of failure is treated:
 * transient (retry with backoff), conflict (observe again) or permanent. API 3.0 answers HTTP 200 with
 * `Response.Error`; the SDK throws a coded error for those and an uncoded one when the call never reached the API.
 * The codes are those the SDK lists per action ("可能返回的错误码", tencentcloud-sdk-go vpc/v20170312 client.go and
 * errors.go, vendored by the Terraform provider).
 */
import { ProviderError } from '../provider.js';

export const codes = {
  notFound: 'ResourceNotFound',
  /** AttachCcnInstances: the instance already applies for (or is in) this CCN — one of the two answers for it */
  duplicate: 'InvalidParameterValue.Duplicate',
  /** AttachCcnInstances: "实例已关联CCN" — in this CCN (the other answer for a second application) or another one */
  attached: 'UnsupportedOperation.CcnAttached',
  /** DetachCcnInstances: "实例未关联CCN" — detached already */
  notAttached: 'UnsupportedOperation.CcnNotAttached',
  /** AttachCcnInstances: "账号ID不存在" — the CCN owner's UIN as typed does not exist */
  uinNotFound: 'UnsupportedOperation.UinNotFound',
  /** AttachCcnInstances: "资源状态不合法" — here, an application the CCN owner rejected is still on record */
  invalidState: 'UnsupportedOperation.InvalidState',
  /** AttachCcnInstances: "云联网实例不支持跨账号关联" — the customer's CCN takes no other account's instances */
  crossAccount: 'UnsupportedOperation.CcnCrossAccount',
  /**
   * Peerlink's own, not Tencent's: AttachCcnInstances answered ResourceNotFound and the deployment VPC is what is
   * missing (so the customer is not told its CCN was not found)
   */
  deploymentVpcMissing: 'DeploymentVpcNotFound',
} as const;

/**
 * The Terraform provider's retryableErrorCode (tencentcloud/common/common.go), matched as its IsExpectError does: on
 * the whole code or the part before the first dot. Two differences, on purpose: InternalError is retried too — the
 * provider leaves it out because "retry won't fix anything" for some products, but PRODUCT.md §5 has a 5xx-like
 * answer never fail a peering, and a persistent one only backs off to one call per 5 minutes; and no code at all (the
 * SDK's HTTP or transport failure) is the provider's ClientError.* family.
 */
const retryable = [
  'ClientError.NetworkError',
  'ClientError.HttpStatusCodeError',
  'RequestLimitExceeded',
  'ResourceInUse',
  'ResourceUnavailable',
  'ResourceBusy',
  'InternalError',
];

/** The state moved under us, or another task runs on the resource: observe again. */
const conflictCodes = new Set([
  'UnsupportedOperation.NotPendingCcnInstance',
  'UnsupportedOperation.InvalidInstanceState',
  'UnsupportedOperation.MutexOperationTaskRunning',
]);

export function isRetryable(code: string): boolean {
  return retryable.includes(code) || (code.includes('.') && retryable.includes(code.split('.')[0] ?? ''));
}

export function classifyTencentError(operation: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e: { code?: string; message?: string; requestId?: string; httpCode?: number } =
    typeof err === 'object' && err !== null ? err : {};
  const code = e.code ?? (e.httpCode ? `HTTP ${e.httpCode}` : 'NetworkError');
  const message = `${e.message ?? String(err)}${e.requestId ? ` (RequestId ${e.requestId})` : ''}`;
  const options = { cause: err };
  if (!e.code || isRetryable(code)) return new ProviderError('transient', operation, code, message, options);
  if (conflictCodes.has(code)) return new ProviderError('conflict', operation, code, message, options);
  return new ProviderError('permanent', operation, code, message, options);
}
