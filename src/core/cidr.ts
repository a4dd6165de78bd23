/**
 * IPv4 CIDR handling: a thin wrapper over cidr-tools that adds the strictness Peerlink needs
 * (IPv4 only, explicit prefix, network address) and address ranges for reserved blocks such as
 * the seed's 10.10.0.0/24–10.64.255.0/24.
 */
import { parseCidr } from 'cidr-tools';

export interface Span {
  /** what the user or config wrote, normalised */
  text: string;
  start: bigint;
  end: bigint;
}

export type CidrParse =
  { ok: true; span: Span } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'host-bits'; suggestion: string };

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function octetsValid(m: RegExpMatchArray): boolean {
  return [1, 2, 3, 4].every((i) => Number(m[i]) <= 255 && !/^0\d/.test(m[i]));
}

function formatV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => ((n >> s) & 255n).toString()).join('.');
}

/** Parses a strict IPv4 CIDR ("10.1.0.0/16"); refuses host bits and anything else. */
export function parseIpv4Cidr(input: string): CidrParse {
  const m = IPV4_CIDR.exec(input.trim());
  if (!m || !octetsValid(m) || Number(m[5]) > 32) return { ok: false, reason: 'invalid' };
  const parsed = parseCidr(input.trim());
  const text = `${formatV4(parsed.start)}/${m[5]}`;
  if (parsed.ip !== formatV4(parsed.start)) return { ok: false, reason: 'host-bits', suggestion: text };
  return { ok: true, span: { text, start: parsed.start, end: parsed.end } };
}

export function parseIpv4Address(input: string): Span | null {
  const m = IPV4.exec(input.trim());
  if (!m || !octetsValid(m)) return null;
  const { start } = parseCidr(input.trim());
  return { text: formatV4(start), start, end: start };
}

/** A reserved range is a CIDR ("100.0.0.0/8") or an inclusive range of CIDRs ("10.10.0.0/24-10.64.255.0/24"). */
export function parseRange(input: string): Span | null {
  const parts = input.split(/\s*(?:-|–|～|~)\s*/);
  if (parts.length === 1) {
    const one = parseIpv4Cidr(parts[0]);
    return one.ok ? one.span : null;
  }
  if (parts.length !== 2) return null;
  const [a, b] = parts.map(parseIpv4Cidr);
  if (!a.ok || !b.ok || a.span.start > b.span.end) return null;
  return { text: `${a.span.text}–${b.span.text}`, start: a.span.start, end: b.span.end };
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}
