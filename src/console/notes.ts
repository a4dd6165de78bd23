/**
 * The history's notes in Chinese. The server writes each note once, in English, as a record (the API and the audit
 * keep them so); the console words the known ones for a Chinese reader, part by part, and leaves a cloud's own error
 * text as the cloud wrote it.
 */
import type { Lang } from './i18n';

const actions: Record<string, string> = {
  accept: '接受连接',
  request: '发起申请',
  close: '关闭连接',
  'create-routes': '添加路由',
  'delete-routes': '删除路由',
};

/** [pattern, Chinese]; `$1`… are the pattern's groups. First match wins; anchored on the whole part. */
const parts: Array<[RegExp, string]> = [
  [/^submitted (\S+) \((.*)\)$/, '已提交 $1（$2）'],
  [/^submitted (\S+)$/, '已提交 $1'],
  [/^submitted VPC (\S*)$/, '已提交 VPC $1'],
  [/^looking for its connection until (\S+)$/, '持续查找其连接至 $1'],
  [/^looking for its connection$/, '持续查找其连接'],
  [/^cancellation requested$/, '已请求取消'],
  [/^the platform withdraws its side$/, '平台撤回自己一侧'],
  [/^deletion requested$/, '已请求删除'],
  [/^retry requested$/, '已请求重试'],
  [/^the customer's part is due by (\S+)$/, '客户一侧需在 $1 前完成'],
  [/^check requested$/, '已请求检查'],
  [/^(\d+) route\(s\) to add for the current CIDRs$/, '需为当前网段添加 $1 条路由'],
  [/^(\d+) route\(s\) to add$/, '需添加 $1 条路由'],
  [/^(\d+) route\(s\) to CIDRs no longer peered$/, '$1 条路由指向已不再连接的网段'],
  [/^(\d+) route\(s\) to remove$/, '需删除 $1 条路由'],
  [/^routes removed$/, '路由已删除'],
  [/^closing the (\S+) connection$/, '正在关闭状态为 $1 的连接'],
  [/^routes and connection removed$/, '路由和连接均已删除'],
  [/^withdrawing the (\S+) request of a failed peering$/, '正在撤回失败对等连接的 $1 申请'],
  [/^no matching connection before the deadline$/, '截止时间前未找到匹配的连接'],
  [/^connection cannot be completed$/, '连接无法完成'],
  [/^verification failed$/, '验证失败'],
  [/^waiting for the customer$/, '等待客户操作'],
  [/^waiting for the customer’s part$/, '等待客户完成其一侧'],
  [/^asking to join (\S+) to (\S+)$/, '正在申请将 $1 加入 $2'],
  [/^the cloud expired the request \((\S+)\) before the deadline$/, '云平台在截止前使申请过期（$1）'],
  [/^asking again$/, '重新申请'],
  [/^completing the connection (\S+)$/, '正在完成连接 $1'],
  [/^connected$/, '已连接'],
  [/^syncing$/, '正在同步'],
  [/^(\d+) route\(s\) to fix named$/, '需处理 $1 条路由（已列出）'],
  [/^connection active and routed$/, '连接已生效，路由已添加'],
  [/^connection active$/, '连接已生效'],
  [/^accepted$/, '已接受'],
  [/^waiting for the cloud to apply it$/, '等待云平台生效'],
  [/^still awaiting acceptance long after the accept$/, '接受后仍长时间处于待接受状态'],
  [/^accepting again$/, '再次接受'],
  [/^verified$/, '已验证'],
  [/^accepting$/, '正在接受'],
  [/^the customer’s network changed \((.*)\)$/, '客户网络已变化（$1）'],
  [/^re-checked, syncing$/, '已重新检查，正在同步'],
  [/^the customer’s network changed: (.*)$/, '客户网络已变化：$1'],
  [/^drift: the customer’s part is gone at the cloud$/, '漂移：客户一侧在云中已不存在'],
  [/^drift: connection gone at the cloud$/, '漂移：连接已在云中被删除'],
  [/^found (\S+) from VPC (\S+) \(customer account (\S+)\)$/, '已找到来自 VPC $2 的 $1（客户账号 $3）'],
  [/^customer CIDRs (.*) -> (.*)$/, '客户网段 $1 -> $2'],
  [/^retrying with backoff$/, '将退避重试'],
  [/^observing again$/, '重新观察'],
  [/^still conflicting, retrying with backoff$/, '仍有冲突，将退避重试'],
  [/^account (\S+)$/, '账号 $1'],
];

function part(text: string): string {
  for (const [re, zh] of parts) {
    const m = re.exec(text);
    if (m)
      return zh
        .replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '')
        .replace(/\baccount /g, '账号 ')
        .replace(/, (?=账号|VPC)/g, '，');
  }
  // "<action>: <note>" (what the reconciler set out to do) and "<action>: done"
  const act = /^([a-z-]+)(?: (\S+))?: (.*)$/.exec(text);
  if (act?.[1] && actions[act[1]]) {
    const rest = act[3] === 'done' ? '已完成' : note(act[3] ?? '', 'zh-CN');
    return `${actions[act[1]]}${act[2] ? ` ${act[2]}` : ''}：${rest}`;
  }
  return text;
}

/** `text` in `lang`: English as written; Chinese part by part (a part is what a "; " separates). */
export function note(text: string, lang: Lang): string {
  if (lang === 'en' || !text) return text;
  return text.split('; ').map(part).join('；');
}
