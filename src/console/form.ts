/** The wizard's form, checked as the customer types: the checks the server makes that need no context, mirrored. */
import { idProblem, plainInput } from '../core/id-input.js';
import { fill, type Lang, type Strings } from './i18n';
import type { ApiError, FormField } from './api';

/**
 * One id as the server will read it — full-width characters and blanks forgiven everywhere, case and separators
 * where the cloud's field forgives them — and, when it still does not fit, exactly what is wrong.
 */
export function readField(
  field: FormField,
  raw: string,
  t: Pick<Strings, 'invalidShape'>,
  lang: Lang,
): { value: string; problem: string | null } {
  let value = plainInput(raw);
  if (field.forgives.case) value = value.toLowerCase();
  if (field.forgives.separators) value = value.replace(/[\s-]/g, '');
  const pattern = new RegExp(field.pattern);
  if (pattern.test(value)) return { value, problem: null };
  const why = idProblem(value, pattern);
  const expected = fill(t.invalidShape, { expected: field.expected });
  if (!why) return { value, problem: expected };
  return { value, problem: lang === 'zh-CN' ? `${why.zh}；${expected}` : `${why.en}; ${expected}` };
}

/** Separators a customer may use between list items (CIDRs): commas, spaces, new lines, full-width punctuation. */
export function splitList(raw: string): string[] {
  return plainInput(raw)
    .split(/[\s,;，；、]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Which form field a refusal concerns, so it is shown next to it; null: the whole form. */
export function fieldOf(err: ApiError, form: FormField[]): string | null {
  const keys = form.map((f) => f.key);
  const has = (k: string) => (keys.includes(k) ? k : null);
  const d = err.details as Record<string, string>;
  switch (err.code) {
    case 'FIELD_REQUIRED':
    case 'FIELD_NOT_APPLICABLE':
      return has(d.field);
    case 'ID_MALFORMED':
      return has(d.fieldKey);
    case 'PEERING_REQUESTER_MISMATCH':
      return has(d.field === 'account' ? 'customerAccountId' : 'customerVpcId');
    case 'CUSTOMER_VPC_ALREADY_PEERED':
      return has('customerVpcId');
    case 'PROVIDER_ID_TAKEN':
    case 'PEERING_NOT_FOUND':
    case 'PEERING_WRONG_TARGET':
    case 'PEERING_NOT_ACCEPTABLE':
    case 'PEERING_REJECTED':
    case 'PEERING_EXPIRED':
      return has('providerPeeringId') ?? has('customerVpcId');
    default:
      return err.code.startsWith('CIDR_') ? has('customerCidrs') : null;
  }
}

/** The server's CIDR checks that need no context, mirrored: IPv4 syntax, prefix ≤ 32, no host bits (with the fix). */
export function cidrProblem(text: string, t: { invalidCidr: string; hostBits: string }): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return t.invalidCidr;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return t.invalidCidr;
  const ip = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const network = ip - (ip % size);
  if (network !== ip)
    return fill(t.hostBits, {
      suggestion: `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.')}/${prefix}`,
    });
  return null;
}
