/** Tencent Cloud id shapes. */
import type { IdShape } from '../../core/rules.js';

export const tencentShapes = {
  ccnId: { pattern: /^ccn-[a-z0-9]{8}$/, expected: 'ccn- followed by 8 lowercase letters and digits' },
  /** account UINs are numeric strings */
  uin: { pattern: /^\d{5,20}$/, expected: 'the account ID (UIN), digits only' },
} satisfies Record<string, IdShape>;
