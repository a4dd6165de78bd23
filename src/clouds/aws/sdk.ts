/** The official EC2 client, built one way for the adapter, the customer-side helper, `peerlink sim aws` and tests. */
import { EC2Client } from '@aws-sdk/client-ec2';

export interface Ec2ClientOptions {
  region: string;
  /** a URL (simulator, proxy); absent: EC2's own endpoint for the region */
  endpoint?: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** the SDK's own attempts per call (Peerlink's reconciler retries on top) */
  maxAttempts?: number;
  requestTimeoutMs?: number;
}

export function ec2Client(o: Ec2ClientOptions): EC2Client {
  return new EC2Client({
    region: o.region,
    endpoint: o.endpoint,
    credentials: o.credentials,
    maxAttempts: o.maxAttempts ?? 1,
    // throwOnRequestTimeout: this smithy version only logs a warning on timeout otherwise, leaving the step hanging.
    requestHandler: {
      requestTimeout: o.requestTimeoutMs ?? 10_000,
      connectionTimeout: 5_000,
      throwOnRequestTimeout: true,
    },
  });
}
