/**
 * EC2's error codes Peerlink depends on, named (as the Terraform AWS provider's `errors.go` names them), and how each
 * kind of failure is treated: transient (retry with backoff), conflict (observe again) or permanent.
 */
import { networkCodes } from '../kit.js';
import { ProviderError } from '../provider.js';

export const codes = {
  routeAlreadyExists: 'RouteAlreadyExists',
  routeNotFound: 'InvalidRoute.NotFound',
  invalidStateTransition: 'InvalidStateTransition',
  /** EC2 spells this one both ways (`…ID.NotFound` in the API reference, `…Id.NotFound` in some answers) */
  peeringNotFound: 'InvalidVpcPeeringConnectionID.NotFound',
  requestLimitExceeded: 'RequestLimitExceeded',
} as const;

/** Codes that mean "the state moved under us": observe again rather than fail. */
const conflictCodes = new Set([codes.invalidStateTransition, 'IncorrectState', 'VpcPeeringConnectionAlreadyExists']);
const transientCodes = new Set([
  codes.requestLimitExceeded,
  'Throttling',
  'ThrottlingException',
  'InternalError',
  'InternalFailure',
  'Unavailable',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
]);

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

/** A not-found code, whatever its casing (`InvalidVpcPeeringConnectionID.NotFound` / `…Id.NotFound`). */
export function isPeeringNotFound(code: string): boolean {
  return code.toLowerCase() === codes.peeringNotFound.toLowerCase();
}

export function classifyAwsError(operation: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e: SdkError = typeof err === 'object' && err !== null ? err : {};
  const code = e.Code ?? e.name ?? e.code ?? 'Unknown';
  const status = e.$metadata?.httpStatusCode ?? 0;
  const message = e.message ?? String(err);
  const options = { cause: err };
  const noAnswer = status === 0 && e.$fault !== 'client';
  if (transientCodes.has(code) || networkCodes.has(e.code ?? '') || status >= 500 || noAnswer) {
    return new ProviderError('transient', operation, code, message, options);
  }
  if (conflictCodes.has(code)) return new ProviderError('conflict', operation, code, message, options);
  return new ProviderError('permanent', operation, code, message, options);
}
