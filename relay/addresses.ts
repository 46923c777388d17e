/**
 * This computer's names and addresses, as the certificate, the start-up banner and the
 * plain-HTTP door need them. Pure over `networkInterfaces()` so that tests can hand in any
 * machine.
 */
import { hostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { Subjects } from './certificates.ts';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** Interfaces a tablet never reaches: container and VM bridges. */
const VIRTUAL = /^(docker|br-|veth|virbr|vmnet|lxc|lxd|cni|flannel|tailscale|zt)/;

/**
 * IPv4 addresses other machines can reach this one at, the likeliest for a tablet first:
 * home ranges (192.168/16, then 10/8, then 172.16/12) before others, virtual bridges last.
 */
export function lanAddresses(ifaces: Interfaces = networkInterfaces()): string[] {
  const range = (ip: string) => (/^192\.168\./.test(ip) ? 0 : /^10\./.test(ip) ? 1 : /^172\.(1[6-9]|2\d|3[01])\./.test(ip) ? 2 : 3);
  return Object.entries(ifaces)
    .flatMap(([name, list]) => (list ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => ({ ip: a.address, rank: (VIRTUAL.test(name) ? 10 : 0) + range(a.address) })))
    .sort((a, b) => a.rank - b.rank)
    .map((a) => a.ip);
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
