/**
 * What a customer pastes into an id field, forgiven where unambiguous and, where not, told exactly what is wrong.
 * No imports: the console bundles this file too, so the browser and the API say the same thing.
 */

/**
 * Full-width forms from a Chinese IME (ｖｐｃ－１２ → vpc-12, ： → :), zero-width and no-break spaces that copy
 * buttons pick up, and surrounding blanks.
 */
export function plainInput(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .trim();
}

export interface IdProblem {
  en: string;
  zh: string;
}

const hexClass = '[0-9a-f]';

/**
 * Why `value` is not of the shape `pattern` describes, said exactly, for the shapes clouds use: a prefix and hex
 * digits (a prefix + 8 or 17), a run of digits (12), a UUID. Null when no specific reason is found (the caller then
 * restates the expected shape).
 */
export function idProblem(value: string, pattern: RegExp): IdProblem | null {
  const src = pattern.source;
  if (/\s/.test(value)) return { en: 'it contains spaces', zh: '其中含有空格' };
  // digits only: ^\d{12}$ or ^[0-9]{9,12}$
  const digits = /^\^(?:\\d|\[0-9\])\{(\d+)(?:,(\d+))?\}\$$/.exec(src);
  if (digits) {
    const [min, max] = [Number(digits[1]), Number(digits[2] ?? digits[1])];
    const other = value.replace(/\d/g, '');
    if (other) {
      const chars = [...new Set(other)].join(' ');
      return { en: `only digits are allowed, not ${chars}`, zh: `只能包含数字，不能包含 ${chars}` };
    }
    const want = min === max ? `${min}` : `${min}–${max}`;
    return { en: `it has ${value.length} digits, not ${want}`, zh: `共 ${value.length} 位数字，应为 ${want} 位` };
  }
  // a prefix and hex digits: ^abc-(?:[0-9a-f]{8}|[0-9a-f]{17})$
  const prefixed = /^\^([a-z]+-)/.exec(src);
  if (prefixed?.[1] && src.includes(hexClass)) {
    const prefix = prefixed[1];
    if (!value.startsWith(prefix)) {
      const got = /^[A-Za-z]+-/.exec(value)?.[0];
      if (got && got.toLowerCase() === prefix) return { en: 'IDs are lower-case', zh: 'ID 应为小写' };
      return got
        ? {
            en: `it starts with ${got}; this field needs ${prefix}`,
            zh: `以 ${got} 开头，此处需要 ${prefix} 开头的 ID`,
          }
        : { en: `it should start with ${prefix}`, zh: `应以 ${prefix} 开头` };
    }
    const rest = value.slice(prefix.length);
    if (/[A-F]/.test(rest) && pattern.test(value.toLowerCase())) return { en: 'IDs are lower-case', zh: 'ID 应为小写' };
    const bad = [...new Set(rest.replace(/[0-9a-f]/g, ''))].join(' ');
    if (bad) return { en: `${bad} is not a hex digit (0–9, a–f)`, zh: `${bad} 不是十六进制字符（0–9、a–f）` };
    const lengths = [...src.matchAll(/\[0-9a-f\]\{(\d+)\}/g)].map((m) => m[1]);
    const want = lengths.join(lengths.length > 1 ? ' or ' : '');
    const wantZh = lengths.join(lengths.length > 1 ? ' 或 ' : '');
    return {
      en: `it has ${rest.length} hex digits after ${prefix}, not ${want}`,
      zh: `${prefix} 后有 ${rest.length} 位，应为 ${wantZh} 位`,
    };
  }
  return null;
}
