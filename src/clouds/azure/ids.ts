/**
 * Azure's names as Peerlink reads them: tenant and subscription IDs (GUIDs), VNet resource IDs in the forms customers
 * paste, and the names of the two halves of a peering, derived from the networks so the same pair always gets the same
 * names.
 *
 * ARM compares resource IDs case-insensitively, and its answers do not always keep the casing a resource was created
 * with (the resource group segment in particular). Peerlink keeps one canonical form — the fixed segments in ARM's
 * casing, subscription, resource group and VNet name in lower case — for the IDs it stores and compares: the customer's
 * VNet (the form's normaliser), the deployment's (`account.normalizeNetworkId`), and every ID the adapter reads back.
 */
import { createHash } from 'node:crypto';
import type { IdShape } from '../../core/rules.js';

const guid = String.raw`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`;
/** Resource group names: 1–90 letters, digits, underscores, hyphens, periods and parentheses; no period last. */
const resourceGroup = String.raw`[-\w.()]{0,89}[-\w()]`;
/** VNet names: 2–64 letters, digits, underscores, periods and hyphens; starting with a letter or digit, ending with a
 * letter, digit or underscore (Microsoft.Network naming rules). */
const vnetName = String.raw`[a-zA-Z0-9][-\w.]{0,62}\w`;
/** A literal matched in any case, without the `i` flag (the console checks the pattern's source alone). */
const anyCase = (word: string) =>
  word.replace(/[a-z]/gi, (ch) => `[${ch.toLowerCase()}${ch.toUpperCase()}]`).replace(/\./g, String.raw`\.`);
const fullId =
  `(?:${anyCase('https://management.azure.com')})?/${anyCase('subscriptions')}/(${guid})/` +
  `${anyCase('resourceGroups')}/(${resourceGroup})/${anyCase('providers/Microsoft.Network/virtualNetworks')}` +
  `/(${vnetName})/?`;
const vnetIdPattern = new RegExp(`^${fullId}$`);
/** The shorthand the form also takes: subscription/resource-group/vnet-name. */
const shortPattern = new RegExp(String.raw`^(${guid})/(${resourceGroup})/(${vnetName})$`);

export const azureShapes = {
  tenantId: {
    pattern: new RegExp(`^${guid}$`),
    expected: 'a Microsoft Entra tenant ID (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47)',
    expectedZh: 'Microsoft Entra 租户 ID（GUID，例如 72f988bf-86f1-41af-91ab-2d7cd011db47）',
  },
  subscriptionId: {
    pattern: new RegExp(`^${guid}$`),
    expected: 'an Azure subscription ID (a GUID)',
    expectedZh: 'Azure 订阅 ID（GUID）',
  },
  /** what the VNet field accepts: a resource ID in any case (the normaliser makes it canonical), or the shorthand */
  vnetId: {
    pattern: new RegExp(`^\\s*(?:${fullId}|${guid}/${resourceGroup}/${vnetName})\\s*$`),
    expected:
      'the VNet’s resource ID /subscriptions/<subscription>/resourceGroups/<resource group>/providers/' +
      'Microsoft.Network/virtualNetworks/<name>, or <subscription>/<resource group>/<VNet name>',
    expectedZh:
      'VNet 的资源 ID /subscriptions/<订阅>/resourceGroups/<资源组>/providers/Microsoft.Network/virtualNetworks/<名称>，' +
      '或 <订阅>/<资源组>/<VNet 名称>',
  },
} satisfies Record<string, IdShape>;

export interface VnetRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** A VNet resource ID (or the subscription/group/name shorthand), parsed; null when it is not one. */
export function parseVnetId(raw: string): VnetRef | null {
  const text = raw.trim();
  const m = vnetIdPattern.exec(text) ?? shortPattern.exec(text);
  return m ? { subscriptionId: m[1], resourceGroup: m[2], name: m[3] } : null;
}

/** The canonical form Peerlink stores and compares (see the top of this file). */
export function vnetId(v: VnetRef): string {
  return (
    `/subscriptions/${v.subscriptionId.toLowerCase()}/resourceGroups/${v.resourceGroup.toLowerCase()}` +
    `/providers/Microsoft.Network/virtualNetworks/${v.name.toLowerCase()}`
  );
}

/** Any form of a VNet's ID, canonical; what is not one is only trimmed (the shape check then names it). */
export function normalizeVnetId(raw: string): string {
  const v = parseVnetId(raw);
  return v ? vnetId(v) : raw.trim();
}

/** A VNet ID as ARM returns it, canonical — or as given when it is not a VNet ID. */
export function canonical(id: string | undefined): string {
  return id ? normalizeVnetId(id) : '';
}

export const normalizeGuid = (raw: string): string => raw.trim().toLowerCase();

/** A VNet ID naming its parts, for a resource's URL. */
export function vnetRef(id: string): VnetRef {
  const v = parseVnetId(id);
  if (!v) throw new Error(`not a VNet resource ID: ${id}`);
  return v;
}

/**
 * The name of the half that points at the VNet `remote`: a peering name (1–80 letters, digits, underscores, periods
 * and hyphens, starting with a letter or digit, ending with a letter, digit or underscore) that reads as the remote
 * VNet where it fits and always ends in a digest of its full ID, so two VNets never share it and one always gets the
 * same. The platform's half (on the deployment VNet) is named after the customer's VNet — it is the connection's id —
 * and the customer's half after the deployment VNet, so one customer VNet can peer with several deployments.
 */
export function halfNameFor(remote: string): string {
  const digest = createHash('sha256').update(normalizeVnetId(remote)).digest('hex').slice(0, 12);
  const name = parseVnetId(remote)?.name.toLowerCase() ?? 'vnet';
  const readable = `peerlink-${name}`.slice(0, 80 - digest.length - 1).replace(/[-.]+$/, '');
  return `${readable}-${digest}`;
}
