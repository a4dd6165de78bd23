/**
 * The Compute Engine v1 clients of `@google-cloud/compute` (REST transport — the only one the library uses for
 * Compute), built one way for the adapter, the customer-side helper, `peerlink sim gcp` and tests.
 *
 * Auth is the service account's key: the client signs a self-signed JWT (RS256, audience
 * https://compute.googleapis.com/) with `private_key` and sends it as the bearer token — what google-auth-library's
 * JWT client does on Compute's default endpoint, where no scopes are set. `scopes: []` keeps that same behaviour when
 * the endpoint is overridden (the client would otherwise add scopes and fetch an OAuth token from
 * oauth2.googleapis.com). The endpoint (simulator, private endpoint) is `apiEndpoint` + `port` + `protocol`: gax builds
 * `${protocol}://${servicePath}:${port}/compute/v1/…` (google-gax fallback.ts `createStub`).
 */
import { GlobalOperationsClient, NetworksClient } from '@google-cloud/compute';

export type { protos } from '@google-cloud/compute';

/** The fields of a service-account key file Peerlink uses (the rest of the file may be kept alongside). */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

export interface ComputeClients {
  networks: NetworksClient;
  operations: GlobalOperationsClient;
}

export interface ComputeOptions {
  key: ServiceAccountKey;
  /** a URL (`http://127.0.0.1:4566` for the simulator); absent: compute.googleapis.com */
  endpoint?: string;
}

export function computeClients(o: ComputeOptions): ComputeClients {
  const url = o.endpoint ? new URL(o.endpoint) : null;
  const where = url
    ? {
        apiEndpoint: url.hostname,
        port: Number(url.port || (url.protocol === 'http:' ? 80 : 443)),
        protocol: url.protocol.replace(':', ''),
      }
    : {};
  const options = {
    ...where,
    scopes: [],
    // fromJSON reads private_key_id too: it becomes the JWT's `kid`
    credentials: { ...o.key },
  };
  return { networks: new NetworksClient(options), operations: new GlobalOperationsClient(options) };
}
