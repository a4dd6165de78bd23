/**
 * The error catalogue: every refusal and failure reason Peerlink can show, with its HTTP status and its message in en
 * and zh-CN. Codes are stable API; messages are templates filled from `params`. Nothing here names a cloud: a cloud may
 * word an entry in its own console's terms (`MessageOverrides`, declared in its folder).
 *
 * Over 300 lines on purpose: the catalogue is one table, so every code is reviewed with its status and both
 * languages side by side.
 */
export type Locale = 'en' | 'zh-CN';

export type RefusalParams = Record<string, string | number>;

export interface Refusal {
  code: ErrorCode;
  params: RefusalParams;
}

export interface Message {
  en: string;
  zh: string;
}

interface Entry extends Message {
  status: number;
}

const catalogue = {
  // Request shape and auth
  VALIDATION_FAILED: { status: 400, en: 'The request is invalid: {detail}', zh: '请求无效：{detail}' },
  UNAUTHENTICATED: {
    status: 401,
    en: 'A valid API key is required (Authorization: Bearer <key>).',
    zh: '需要有效的 API 密钥（Authorization: Bearer <key>）。',
  },
  FORBIDDEN: {
    status: 403,
    en: 'Your key has role {role}; this action needs {needed}.',
    zh: '您的密钥角色为 {role}，此操作需要 {needed}。',
  },
  NOT_FOUND: { status: 404, en: '{kind} {id} was not found.', zh: '未找到{kind} {id}。' },
  ROUTE_NOT_FOUND: { status: 404, en: 'No such endpoint: {method} {url}', zh: '接口不存在：{method} {url}' },
  RATE_LIMITED: {
    status: 429,
    en: 'Too many requests ({scope}: {limit} a minute). Try again in {retryAfter} s.',
    zh: '请求过于频繁（{scope}：每分钟 {limit} 次），请在 {retryAfter} 秒后重试。',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    en: 'Idempotency-Key {key} was already used with a different request.',
    zh: 'Idempotency-Key {key} 已用于另一个不同的请求。',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    en: 'A request with Idempotency-Key {key} is still being processed.',
    zh: '使用 Idempotency-Key {key} 的请求仍在处理中。',
  },
  CONFLICT: { status: 409, en: '{detail}', zh: '{detail}' },
  INTERNAL: {
    status: 500,
    en: 'Internal error; nothing was changed. Reference: {ref}',
    zh: '内部错误，未做任何更改。参考编号：{ref}',
  },

  // PRODUCT.md §4 rules
  PLAN_NOT_ELIGIBLE: {
    status: 422,
    en: 'Deployment plan {plan} cannot use VPC peering; allowed plans: {allowed}.',
    zh: '部署套餐 {plan} 不支持 VPC 对等连接，支持的套餐：{allowed}。',
  },
  PROVIDER_NOT_SUPPORTED: {
    status: 422,
    en: 'Cloud {provider} is not supported for peering yet.',
    zh: '暂不支持云厂商 {provider} 的对等连接。',
  },
  REGION_MISMATCH: {
    status: 422,
    en:
      'The customer VPC is in region {customerRegion} but the deployment is in {deploymentRegion}; only ' +
      'same-region peering is supported.',
    zh: '您的 VPC 位于 {customerRegion}，部署位于 {deploymentRegion}；只支持同一区域创建对等连接。',
  },
  CIDR_INVALID: { status: 422, en: '{cidr} is not a valid IPv4 CIDR block.', zh: '{cidr} 不是有效的 IPv4 网段。' },
  CIDR_NOT_NETWORK: {
    status: 422,
    en: '{cidr} has host bits set; did you mean {suggestion}?',
    zh: '{cidr} 含有主机位，您是否想填写 {suggestion}？',
  },
  CIDR_RESERVED: {
    status: 422,
    en: 'CIDR {cidr} overlaps the platform reserved range {range}; choose a VPC CIDR outside it.',
    zh: '网段 {cidr} 与平台保留网段 {range} 重叠，请使用该范围之外的 VPC 网段。',
  },
  CIDR_SPECIAL_PURPOSE: {
    status: 422,
    en: 'The CIDR {cidr} overlaps {range}, {purpose}; a VPC peering cannot route it. Use private address space.',
    zh: '网段 {cidr} 与 {range}（{purpose}）重叠，VPC 对等连接无法路由该网段，请使用私有地址段。',
  },
  CIDR_NOT_ALLOWED: {
    status: 422,
    en: 'The CIDR {cidr} lies outside the ranges customer VPCs may use here: {allowed}.',
    zh: '网段 {cidr} 不在允许客户 VPC 使用的范围内：{allowed}。',
  },
  CIDR_TOO_LARGE: {
    status: 422,
    en: 'The CIDR {cidr} is too large: a customer block must be /{minPrefix} or smaller.',
    zh: '网段 {cidr} 过大：客户网段的掩码长度至少为 /{minPrefix}。',
  },
  CIDR_OVERLAPS_DEPLOYMENT: {
    status: 422,
    en: 'CIDR {cidr} overlaps the deployment VPC CIDR {deploymentCidr}.',
    zh: '网段 {cidr} 与部署 VPC 网段 {deploymentCidr} 重叠。',
  },
  CIDR_OVERLAPS_PEERING: {
    status: 422,
    en: 'CIDR {cidr} overlaps {otherCidr} of your peering {peering} on the same deployment.',
    zh: '网段 {cidr} 与同一部署的对等连接 {peering} 的网段 {otherCidr} 重叠。',
  },
  ID_MALFORMED: {
    status: 422,
    en: '{field} "{value}" is not well formed: {problem}; expected {expected}.',
    zh: '{fieldZh}「{value}」格式不正确：{problemZh}；应为{expectedZh}。',
  },
  PROVIDER_ID_TAKEN: {
    status: 409,
    en: '{providerId} is already registered with Peerlink as another peering; there is no need to submit it again.',
    zh: '{providerId} 已在 Peerlink 中登记为另一个对等连接，无需重复提交。',
  },
  PEERING_QUOTA_EXCEEDED: {
    status: 422,
    en: 'Deployment {deploymentId} already has {count} live peerings; the limit is {quota}.',
    zh: '部署 {deploymentId} 已有 {count} 个对等连接，上限为 {quota}。',
  },
  RESOURCE_ADDRESS_INVALID: {
    status: 422,
    en: 'Resource address "{address}" must be an IPv4 address, optionally with :port.',
    zh: '资源地址「{address}」必须是 IPv4 地址，可带 :端口。',
  },
  RESOURCE_OUTSIDE_PEERING: {
    status: 422,
    en:
      'Address {address} is not inside the CIDR of any running peering of deployment {deploymentId}; create ' +
      'the peering first.',
    zh: '地址 {address} 不在部署 {deploymentId} 任何运行中对等连接的网段内，请先创建对等连接。',
  },
  PEERING_NOT_DELETABLE: {
    status: 409,
    en:
      'This peering is {status}; it can be deleted (or cancelled) only while pending, awaiting the customer, ' +
      'running or failed.',
    zh: '该对等连接当前状态为 {status}，只有在等待中、等待客户操作、运行中或失败时才能删除（或取消）。',
  },
  PEERING_NOT_EDITABLE: {
    status: 409,
    en: 'This peering is {status}; its CIDRs can be corrected only while pending or running.',
    zh: '该对等连接当前状态为 {status}，只有等待中或运行中时才能修改网段。',
  },
  PEERING_CIDR_IN_USE: {
    status: 409,
    en:
      'Resource {resource} at {address} would fall outside the new CIDRs of this peering; move or delete it ' +
      'first.',
    zh: '资源 {resource}（{address}）将不在该对等连接的新网段内，请先迁移或删除该资源。',
  },
  PEERING_HAS_RESOURCES: {
    status: 409,
    en: 'This peering still has resources bound: {resources}. Delete them first.',
    zh: '该对等连接仍绑定资源：{resources}，请先删除这些资源。',
  },
  CUSTOMER_VPC_ALREADY_PEERED: {
    status: 409,
    en: 'VPC {customerVpcId} is already peered with this deployment by another peering; use that one.',
    zh: 'VPC {customerVpcId} 已通过另一个对等连接与此部署连接，请使用该连接。',
  },
  FIELD_REQUIRED: {
    status: 400,
    en: '{field} is required for {provider} peerings.',
    zh: '{provider} 对等连接需要填写{field}。',
  },
  FIELD_NOT_APPLICABLE: {
    status: 400,
    en: '{field} does not apply to {provider} peerings; leave it out.',
    zh: '{provider} 对等连接不需要{field}，请勿填写。',
  },
  PEERING_NOT_RETRYABLE: {
    status: 409,
    en:
      'This peering is {status}; only a failed request Peerlink made, or a failed search, can be retried. ' +
      'Create a new peering instead.',
    zh: '该对等连接当前状态为 {status}；只有 Peerlink 发出的失败申请或失败的查找可以重试，请新建对等连接。',
  },
  DEPLOYMENT_JOINED_ELSEWHERE: {
    status: 409,
    en: 'The deployment network {vpcId} already belongs to {otherConnectionId} ({state}); it can belong to only one.',
    zh: '部署网络 {vpcId} 已属于 {otherConnectionId}（{state}），只能属于一个。',
  },

  // Verification of what the cloud reports; hints while waiting; failure reasons
  PEERING_NOT_FOUND: {
    status: 422,
    en:
      'Peering connection {providerId} was not found in region {region} for account {accountId}. Check the ID ' +
      'and that the request targets the deployment account.',
    zh: '在区域 {region} 的账号 {accountId} 下未找到对等连接 {providerId}，请检查 ID 以及请求的接收方账号。',
  },
  PEERING_SEARCHING: {
    status: 202,
    en:
      'No connection from your network {customerVpcId} to the deployment network {deploymentVpcId} was found ' +
      'yet. Check that it was created in region {region}, toward account {accountId} and network ' +
      '{deploymentVpcId}. Peerlink keeps looking until {deadline}.',
    zh:
      '尚未找到从您的网络 {customerVpcId} 到部署网络 {deploymentVpcId} 的连接。请确认它创建于区域 {region}，对端账号为 {accountId}，对端网络为 ' +
      '{deploymentVpcId}。Peerlink 会持续查找至 {deadline}。',
  },
  PEERING_NOT_LOCATED: {
    status: 422,
    en:
      'No connection from your network {customerVpcId} to the deployment network {deploymentVpcId} appeared by ' +
      '{deadline}. Check region {region}, account {accountId} and network {deploymentVpcId}, then submit again.',
    zh:
      '截至 {deadline} 仍未找到从您的网络 {customerVpcId} 到部署网络 {deploymentVpcId} 的连接。请检查区域 {region}、对端账号 {accountId} ' +
      '和对端网络 {deploymentVpcId} 后重新提交。',
  },
  PEERING_AWAITING_CUSTOMER: {
    status: 202,
    en: 'Complete your side in {providerId}: the platform’s network {vpcId} of account {accountId} is waiting for it.',
    zh: '请在 {providerId} 中完成您这一侧的操作：账号 {accountId} 的平台网络 {vpcId} 正在等待。',
  },
  PEERING_APPROVAL_EXPIRED: {
    status: 422,
    en:
      'The request to join {providerId} was not approved by {deadline}; Peerlink withdrew it. Retry to send a ' +
      'new request, then approve it in time.',
    zh: '加入 {providerId} 的申请未在 {deadline} 前获得同意，Peerlink 已撤回该申请。请重试以发送新申请，并及时同意。',
  },
  ROUTE_CONFLICT: {
    status: 422,
    en:
      'Connected to {providerId}, but these routes are disabled or conflict with the deployment: {routes}. Fix ' +
      'them in your network’s route table.',
    zh: '已连接 {providerId}，但以下路由已禁用或与部署冲突：{routes}。请在您网络的路由表中处理。',
  },
  CUSTOMER_NETWORK_NOT_FOUND: {
    status: 422,
    en: '{providerId} of account {accountId} was not found. Check the ID and the account that owns it.',
    zh: '未找到账号 {accountId} 的 {providerId}，请检查 ID 及其所属账号。',
  },
  DELEGATION_MISSING: {
    status: 422,
    en:
      'The platform ({principal}) may not act on your network {customerVpcId} in account {accountId}: {missing}. ' +
      'Grant it access to {scope}, then submit again.',
    zh: '平台（{principal}）无权操作您账号 {accountId} 中的网络 {customerVpcId}：{missing}。请为其授予对 {scope} 的访问权限后重新提交。',
  },
  CUSTOMER_CIDRS_MISMATCH: {
    status: 422,
    en:
      'The CIDRs entered ({typed}) are not all among those the cloud shows for your network in {providerId} ' +
      '({reported}). Submit the peering again with your network’s CIDRs.',
    zh: '填写的网段（{typed}）不全在云平台显示的您在 {providerId} 中的网络网段（{reported}）之内，请使用您网络的网段重新提交。',
  },
  CUSTOMER_ACCOUNT_NOT_FOUND: {
    status: 422,
    en: 'Account {accountId} does not exist at the cloud. Check the account ID that owns {providerId}.',
    zh: '云平台上不存在账号 {accountId}，请检查 {providerId} 所属的账号 ID。',
  },
  CUSTOMER_NETWORK_CLOSED: {
    status: 422,
    en:
      '{providerId} does not accept networks of other accounts, so the deployment network cannot join it. Use ' +
      'one that does.',
    zh: '{providerId} 不接受其他账号的网络加入，部署网络无法加入，请使用允许跨账号加入的网络。',
  },
  PEERING_NO_CUSTOMER_CIDR: {
    status: 422,
    en: 'No customer VPC CIDR is known for {providerId}: the customer network has no VPC Peerlink can see.',
    zh: '无法获知 {providerId} 中客户 VPC 的网段：客户网络中没有可见的 VPC。',
  },
  PEERING_WRONG_TARGET: {
    status: 422,
    en:
      'Peering connection {providerId} does not target the deployment VPC {expectedVpc} of account ' +
      '{expectedAccount}. Create the request toward that VPC and account.',
    zh: '对等连接 {providerId} 的接收端不是账号 {expectedAccount} 的部署 VPC {expectedVpc}，请以该 VPC 和账号为接收端重新创建。',
  },
  PEERING_REQUESTER_MISMATCH: {
    status: 422,
    en: 'Peering connection {providerId} was not requested by the {field} you entered ({expected}).',
    zh: '对等连接 {providerId} 的发起方与您填写的{field}（{expected}）不一致。',
  },
  PEERING_NOT_ACCEPTABLE: {
    status: 422,
    en: 'Peering connection {providerId} is {providerStatus} and can no longer be accepted.',
    zh: '对等连接 {providerId} 状态为 {providerStatus}，无法再被接受。',
  },
  PEERING_REJECTED: {
    status: 422,
    en: 'Peering connection {providerId} was rejected.',
    zh: '对等连接 {providerId} 已被拒绝。',
  },
  PEERING_EXPIRED: {
    status: 422,
    en: 'Peering connection {providerId} expired before it was accepted; create a new request.',
    zh: '对等连接 {providerId} 在被接受前已过期，请重新创建。',
  },
  PEERING_FAILED_AT_PROVIDER: {
    status: 422,
    en: 'The cloud reports peering connection {providerId} as failed: {providerMessage}',
    zh: '云平台报告对等连接 {providerId} 失败：{providerMessage}',
  },
  PEERING_DELETED_BY_CUSTOMER: {
    status: 422,
    en:
      'Peering connection {providerId} was deleted outside Peerlink (cloud status {providerStatus}); traffic ' +
      'no longer flows. Delete this peering and create a new one.',
    zh: '对等连接 {providerId} 已在 Peerlink 之外被删除（云状态 {providerStatus}），流量已中断。请删除此连接后重新创建。',
  },
  PROVIDER_ERROR: {
    status: 502,
    en: 'The cloud refused the operation {operation}: {providerCode} {providerMessage}',
    zh: '云平台拒绝了操作 {operation}：{providerCode} {providerMessage}',
  },
  // Notifications (issue 16): what an event asks of the customer, and webhook refusals
  CUSTOMER_ROUTE_NEEDED: {
    status: 200,
    en:
      'Peering {providerId} is running on the platform side. In your network, add a route to {deploymentCidr} via ' +
      '{providerId} and allow {deploymentCidr} in your security group.',
    zh: '对等连接 {providerId} 的平台侧已就绪。请在您的网络中添加一条经 {providerId} 到 {deploymentCidr} 的路由，并在安全组中放行 {deploymentCidr}。',
  },
  CUSTOMER_RULE_NEEDED: {
    status: 200,
    en: 'Peering {providerId} is running. Allow {deploymentCidr} in your firewall or security group.',
    zh: '对等连接 {providerId} 已就绪。请在您的防火墙或安全组中放行 {deploymentCidr}。',
  },
  DEADLINE_APPROACHING: {
    status: 200,
    en: 'About {minutes} minutes left: Peerlink stops waiting for your part of peering {connection} at {deadline}.',
    zh: '剩余约 {minutes} 分钟：Peerlink 将在 {deadline} 停止等待您完成对等连接 {connection} 的操作。',
  },
  // Operator-only events: the platform's own trouble with a cloud
  PLATFORM_CREDENTIALS_REFUSED: {
    status: 200,
    en:
      '{provider} refused platform account {accountId} ({region}) on {operation}: {providerCode} {providerMessage}. ' +
      'Peerings of its deployments retry with backoff until its credentials or rights are fixed.',
    zh:
      '{providerZh} 拒绝了平台账号 {accountId}（{region}）的 {operation} 调用：{providerCode} {providerMessage}。' +
      '该账号下部署的对等连接将退避重试，直到其凭证或权限被修复。',
  },
  PLATFORM_THROTTLED: {
    status: 200,
    en:
      '{provider} throttled platform account {accountId} ({region}) {count} times in {seconds} s ({operations}). ' +
      'Something else may be spending the account’s request limits; Peerlink slows down and retries.',
    zh:
      '{providerZh} 在 {seconds} 秒内对平台账号 {accountId}（{region}）限流 {count} 次（{operations}）。' +
      '可能有其他程序在消耗该账号的请求配额；Peerlink 会放慢调用并重试。',
  },
  WEBHOOK_DISABLED: {
    status: 200,
    en: 'Webhook {webhookId} ({url}) was disabled after failing since {failingSince}; fix it and enable it again.',
    zh: 'Webhook {webhookId}（{url}）自 {failingSince} 起持续投递失败，已被停用；修复后请重新启用。',
  },
  WEBHOOK_URL_REFUSED: {
    status: 422,
    en: 'The webhook URL {url} is refused: {why}.',
    zh: 'Webhook 地址 {url} 被拒绝：{why}。',
  },
  PROVIDER_UNAVAILABLE: {
    status: 503,
    en: 'The cloud could not be reached ({providerCode}); try again shortly.',
    zh: '暂时无法访问云平台（{providerCode}），请稍后重试。',
  },
} satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof catalogue;

export const errorCodes = Object.keys(catalogue) as ErrorCode[];

/** A cloud's own wording of catalogue entries, in its console's terms (same code, same params, same status). */
export type MessageOverrides = Partial<Record<ErrorCode, Message>>;

export function refusal(code: ErrorCode, params: RefusalParams = {}): Refusal {
  return { code, params };
}

/** The refusal for an object the caller cannot see: the same whether it does not exist or belongs to another org. */
export function notFound(kind: string, id: string): Refusal {
  return refusal('NOT_FOUND', { kind, id });
}

export function httpStatusOf(code: ErrorCode): number {
  return catalogue[code].status;
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(catalogue, code);
}

export function messageOf(
  code: ErrorCode,
  params: Record<string, unknown>,
  locale: Locale,
  overrides?: MessageOverrides,
): string {
  const entry: Message = overrides?.[code] ?? catalogue[code];
  const template = locale === 'zh-CN' ? entry.zh : entry.en;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * Thrown by the shell when a rule refuses; the HTTP layer renders it. `cloud`: the cloud whose peering it concerns, so
 * the message can be worded in that cloud's terms.
 */
export class RefusalError extends Error {
  constructor(
    readonly refusal: Refusal,
    readonly cloud?: string,
  ) {
    super(messageOf(refusal.code, refusal.params, 'en'));
    this.name = 'RefusalError';
  }
}
