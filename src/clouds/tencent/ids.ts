/** Tencent Cloud id shapes. */
import type { IdShape } from '../../core/rules.js';

export const tencentShapes = {
  ccnId: {
    pattern: /^ccn-[a-z0-9]{8}$/,
    expected: 'ccn- followed by 8 lowercase letters and digits',
    expectedZh: 'ccn- 加 8 位小写字母和数字',
  },
  cidr: {
    pattern: /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/,
    expected: 'an IPv4 CIDR such as 172.16.0.0/16',
    expectedZh: 'IPv4 网段，例如 172.16.0.0/16',
  },
  /** account UINs are numeric strings */
  uin: { pattern: /^\d{5,20}$/, expected: 'the account ID (UIN), digits only', expectedZh: '账户 ID（UIN），仅数字' },
} satisfies Record<string, IdShape>;
