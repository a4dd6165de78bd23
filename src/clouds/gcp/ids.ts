/**
 * Google Cloud's names as Peerlink reads them: project IDs, VPC network names (RFC 1035), the network URIs customers
 * paste (`projects/<p>/global/networks/<n>` or the `https://www.googleapis.com/compute/v1/…` self link), and the
 * name of the platform's half of a peering, derived from the customer's network so the same network always maps to
 * the same name.
 */
import { createHash } from 'node:crypto';
import type { IdShape } from '../../core/rules.js';

/**
 * Project IDs: 6–30 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen
 * (Resource Manager `Project.projectId`); legacy domain-scoped IDs (`example.com:my-project`) are accepted too.
 */
const project = String.raw`(?:[a-z][-a-z0-9.]*[a-z0-9]:)?[a-z][-a-z0-9]{4,28}[a-z0-9]`;
/** Compute resource names: RFC 1035, 1–63 characters (`Network.name`). */
const name = String.raw`[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?`;
/** The Terraform provider's `peerNetworkLinkRegex` (resource_compute_network_peering.go), full or relative. */
const host = String.raw`https://(?:www|compute)\.googleapis\.com/compute/(?:v1|beta|alpha)/`;
const networkLink = new RegExp(String.raw`^(?:${host})?projects/(${project})/global/networks/(${name})/?$`);

export const gcpShapes = {
  projectId: {
    pattern: new RegExp(`^${project}$`),
    expected: 'a project ID: 6–30 lowercase letters, digits and hyphens, starting with a letter',
    expectedZh: '项目 ID：6–30 位小写字母、数字和连字符，以字母开头',
  },
  /** what the network field accepts once normalised: a name, or a URI naming the project too */
  network: {
    pattern: new RegExp(`^(?:${name}|projects/${project}/global/networks/${name})$`),
    expected:
      'a VPC network name (lowercase letters, digits and hyphens, up to 63) or its URI ' +
      'projects/<project>/global/networks/<name>',
    expectedZh: 'VPC 网络名称（小写字母、数字和连字符，最多 63 位）或其 URI projects/<项目>/global/networks/<名称>',
  },
} satisfies Record<string, IdShape>;

export interface NetworkRef {
  project: string;
  network: string;
}

/** A network URI in either form, parsed; null when it is not one. */
export function parseNetworkUri(raw: string): NetworkRef | null {
  const m = networkLink.exec(raw.trim());
  return m ? { project: m[1], network: m[2] } : null;
}

/** The network field, forgiven: a URI in either form becomes its relative form; a name is lowercased. */
export function normalizeNetwork(raw: string): string {
  const trimmed = raw.trim();
  const uri = parseNetworkUri(trimmed) ?? parseNetworkUri(trimmed.toLowerCase());
  return uri ? relativeLink(uri) : trimmed.toLowerCase();
}

/** A project ID, forgiven: a pasted network URI yields its project. */
export function normalizeProject(raw: string): string {
  const trimmed = raw.trim();
  return parseNetworkUri(trimmed)?.project ?? trimmed.toLowerCase();
}

export const relativeLink = (n: NetworkRef): string => `projects/${n.project}/global/networks/${n.network}`;

/** The form Compute returns in `peerings[].network` (and accepts, with the relative form, in `addPeering`). */
export const selfLink = (n: NetworkRef): string => `https://www.googleapis.com/compute/v1/${relativeLink(n)}`;

/**
 * The platform half's peering name for a customer network: RFC 1035, at most 63 characters, readable where it fits,
 * and always ending in a digest of project and network, so two networks never share a name and the same network
 * always gets the same one.
 */
export function peeringNameFor(n: NetworkRef): string {
  const digest = createHash('sha256').update(relativeLink(n)).digest('hex').slice(0, 10);
  const readable = `peerlink-${n.project.replace(/[^a-z0-9-]/g, '-')}-${n.network}`.slice(0, 52).replace(/-+$/, '');
  return `${readable}-${digest}`;
}
