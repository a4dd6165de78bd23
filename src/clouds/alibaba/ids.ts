/** Alibaba Cloud id shapes, as the console and API show them. */
import type { IdShape } from '../../core/rules.js';

export const alibabaShapes = {
  peeringId: {
    pattern: /^pcc-[a-z0-9]{10,30}$/,
    expected: 'pcc- followed by lowercase letters and digits',
    expectedZh: 'pcc- 加小写字母和数字',
  },
  /** int64 account UIDs, 16 to 18 digits; kept as strings end to end */
  accountId: {
    pattern: /^\d{16,18}$/,
    expected: 'an account UID of 16 to 18 digits',
    expectedZh: '16 到 18 位数字的账号 UID',
  },
  vpcId: {
    pattern: /^vpc-[a-z0-9]{10,30}$/,
    expected: 'vpc- followed by lowercase letters and digits',
    expectedZh: 'vpc- 加小写字母和数字',
  },
} satisfies Record<string, IdShape>;
