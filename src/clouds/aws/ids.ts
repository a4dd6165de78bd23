/** AWS id shapes: `pcx-`/`vpc-`/`rtb-` + 8 (legacy) or 17 lowercase hex digits; account ids are 12 digits. */
import type { IdShape } from '../../core/rules.js';

const hexId = (prefix: string): IdShape => ({
  pattern: new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`),
  expected: `${prefix}- followed by 8 or 17 lowercase hex digits`,
  expectedZh: `${prefix}- 加 8 位或 17 位小写十六进制数字`,
});

export const awsShapes = {
  peeringId: hexId('pcx'),
  vpcId: hexId('vpc'),
  routeTableId: hexId('rtb'),
  accountId: {
    pattern: /^\d{12}$/,
    expected: 'a 12-digit AWS account ID',
    expectedZh: '12 位数字的 AWS 账号 ID',
  } satisfies IdShape,
};

/** EC2 ids are lower-case; the console's copy buttons sometimes pick up surrounding spaces. */
export function normalizeId(raw: string): string {
  return raw.trim().toLowerCase();
}

/** The account menu shows `1234-5678-9012`: the dashes and spaces are not part of the id. */
export function normalizeAccountId(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}
