import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ValidationError } from '../errors.js';

/** Loopback, private, link-local, CGNAT, unspecified and multicast ranges: never a receiver by default (§13). */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is loopback or private (IPv4-mapped IPv6 addresses are read as their IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  return NOT_PUBLIC.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
}

export interface UrlPolicy {
  /** Production: https only. */
  requireHttps: boolean;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: loopback and private receivers allowed (tests, an internal network). */
  allowPrivate: boolean;
}

/**
 * Checks a receiver URL (§13): http(s) with a host, no credentials, https in
 * production, and — unless allowed — a host that is not, and does not
 * resolve to, a loopback or private address (so a subscription cannot aim
 * the CRM at its own network). Delivery checks the address again before
 * every attempt (a name may be re-pointed later). Returns the URL
 * normalised. Throws ValidationError('url').
 */
export async function checkWebhookUrl(text: string, policy: UrlPolicy): Promise<string> {
  const value = text.trim();
  if (!URL.canParse(value) || value.length > 2048) throw new ValidationError('url', 'is not a URL');
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ValidationError('url', 'must start with https://');
  if (policy.requireHttps && url.protocol !== 'https:') throw new ValidationError('url', 'must use https');
  if (url.username || url.password) throw new ValidationError('url', 'must not carry a user name or password');
  await checkReachableHost(url, policy);
  return url.toString();
}

/** Throws ValidationError('url') when the URL's host is (or resolves to) a private address and that is not allowed. */
export async function checkReachableHost(url: URL, policy: Pick<UrlPolicy, 'allowPrivate'>): Promise<void> {
  if (policy.allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) throw new ValidationError('url', 'must not be a loopback address');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch {
      throw new ValidationError('url', `host ${host} does not resolve`);
    }
  }
  if (addresses.some(isPrivateAddress)) throw new ValidationError('url', 'must not be a loopback or private address');
}
