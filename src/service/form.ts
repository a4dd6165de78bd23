/**
 * The cloud's form, applied to what the customer sent: its fields present, forgiven where unambiguous (case, spaces,
 * separators) and well formed; fields it does not ask for refused. Typed CIDRs are welcome on every cloud.
 */
import { RefusalError, refusal } from '../core/errors.js';
import { plainInput } from '../core/id-input.js';
import { checkIdShape } from '../core/rules.js';
import type { AnyCloud, FormValues, PeeringIdentity } from '../clouds/provider.js';

/** Full-width separators from a Chinese IME, newlines and semicolons all separate list items. */
export function splitList(raw: string): string[] {
  return raw
    .split(/[\s,;，；、]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function asList(value: unknown): string[] | null {
  if (typeof value === 'string') return splitList(plainInput(value));
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return value.flatMap((v) => splitList(plainInput(v)));
  return null;
}

export function readForm(cloud: AnyCloud, values: Record<string, unknown>): PeeringIdentity {
  const refuse = (code: 'FIELD_REQUIRED' | 'FIELD_NOT_APPLICABLE', field: string) =>
    new RefusalError(refusal(code, { field, provider: cloud.label.en }), cloud.name);
  const keys = new Set(cloud.form.map((f) => f.key));
  for (const key of Object.keys(values)) {
    if (!keys.has(key) && key !== 'customerCidrs') throw refuse('FIELD_NOT_APPLICABLE', key);
  }
  const read: FormValues = {};
  for (const field of cloud.form) {
    const value = values[field.key];
    if (field.list) {
      const items = asList(value);
      if (!items || items.length === 0) throw refuse('FIELD_REQUIRED', field.key);
      read[field.key] = items.map((v) => field.normalize?.(v) ?? v);
      continue;
    }
    if (typeof value !== 'string' || !plainInput(value)) throw refuse('FIELD_REQUIRED', field.key);
    const plain = plainInput(value);
    const normalized = field.normalize ? field.normalize(plain) : plain;
    const shape = checkIdShape(
      { key: field.key, en: field.label.en, zh: field.label['zh-CN'] },
      normalized,
      field.shape,
    );
    if (shape) throw new RefusalError(shape, cloud.name);
    read[field.key] = normalized;
  }
  const extraCidrs = keys.has('customerCidrs') ? null : asList(values.customerCidrs);
  if (extraCidrs?.length) read.customerCidrs = extraCidrs;
  return cloud.identify(read);
}
