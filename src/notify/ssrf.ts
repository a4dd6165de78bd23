/**
 * Server-side request forgery guard for webhook targets (issue 16): a customer names a URL and Peerlink's servers call
 * it, so a URL must not reach the platform's own network. Only public unicast addresses are allowed (ipaddr.js names
 * the ranges: private, loopback, link-local, carrier-grade NAT, unique-local, multicast, reserved …) unless the
 * operator allows private targets. The check runs on the URL at registration and again on every address the name
 * resolves to at connection time (the socket connects to the address checked, so DNS rebinding gains nothing).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface TargetPolicy {
  /** operator switch: private, loopback and link-local targets are allowed (tests, a private deployment) */
  allowPrivate: boolean;
}

/** Why an address is refused, or null when it is a public unicast address (or the policy allows anything). */
export function refusedAddress(address: string, policy: TargetPolicy): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (range === 'unicast' || policy.allowPrivate) return null;
  return `${address} is in a ${range} range`;
}

/** Why a webhook URL is refused at registration, or null. */
export function refusedUrl(raw: string, policy: TargetPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only http and https URLs';
  if (url.username || url.password) return 'credentials in the URL are not accepted';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) return refusedAddress(host, policy);
  if (!policy.allowPrivate && /(^|\.)localhost$/i.test(host)) return `${host} is a loopback name`;
  return null;
}

/** A `lookup` for http.request that refuses, at connection time, every address the policy refuses. */
export function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const list = Array.isArray(addresses) ? addresses : [];
      for (const a of list) {
        const why = refusedAddress(a.address, policy);
        if (why) return callback(Object.assign(new Error(`target refused: ${why}`), { code: 'ETARGETREFUSED' }), '', 0);
      }
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return callback(null, list);
      return callback(null, first.address, first.family);
    });
  };
}
