/**
 * This computer's names and addresses, as the certificate, the start-up banner and the
 * plain-HTTP door need them. Pure over `networkInterfaces()` so that tests can hand in any
 * machine.
 */
import { hostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { Subjects } from './certificates.ts';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

const ipv4 = (ifaces: Interfaces) => Object.values(ifaces).flat().filter((a): a is NetworkInterfaceInfo => !!a && a.family === 'IPv4');

/** IPv4 addresses other machines can reach this one at, private ranges first. */
export function lanAddresses(ifaces: Interfaces = networkInterfaces()): string[] {
  const priv = (ip: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip) ? 0 : 1;
  return ipv4(ifaces).filter((a) => !a.internal).map((a) => a.address).sort((a, b) => priv(a) - priv(b));
}

/**
 * The IPv4 addresses a server bound to `bound` (what `server.address()` reports) accepts
 * connections on: every interface's for a wildcard, else just the one.
 */
export function listeningAddresses(bound: string, ifaces: Interfaces = networkInterfaces()): string[] {
  if (bound === '0.0.0.0' || bound === '::') return ['127.0.0.1', ...lanAddresses(ifaces)];
  const v4 = bound.replace(/^::ffff:/, '');
  return [v4 === '::1' ? '[::1]' : v4];
}

export const isLoopbackAddress = (ip: string | undefined) =>
  !!ip && (/^127\./.test(ip) || ip === '::1' || /^::ffff:127\./.test(ip));

/** Host names a browser treats as this computer (a secure context over plain HTTP). */
export const isLoopbackHost = (host: string) => host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '[::1]';

/** The names and addresses `npm run cert` puts in the server certificate. */
export function machineSubjects(extra: Partial<Subjects> = {}, ifaces: Interfaces = networkInterfaces(), name = hostname()): Subjects {
  const host = name.toLowerCase();
  const dnsName = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
  const names = ['localhost', ...(dnsName.test(host) ? [host, ...(host.includes('.') ? [] : [`${host}.local`])] : []), ...(extra.names ?? [])];
  const ips = ['127.0.0.1', '::1', ...lanAddresses(ifaces), ...(extra.ips ?? [])];
  return { names: [...new Set(names)], ips: [...new Set(ips)] };
}
