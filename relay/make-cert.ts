/**
 * `npm run cert`: a self-signed certificate for this computer's names and LAN addresses
 * (selfsigned), so a tablet can reach the relay over HTTPS. The tablet must trust it once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

const dir = process.argv[2] ?? 'certs';
const ips = ['127.0.0.1', ...Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal).map((a) => a!.address)];
const names = ['localhost', hostname(), `${hostname()}.local`];
const pems = await generate([{ name: 'commonName', value: 'cycarla relay' }], {
  notAfterDate: new Date(Date.now() + 825 * 24 * 3600 * 1000),
  keySize: 2048,
  algorithm: 'sha256',
  extensions: [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...names.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] },
  ],
});
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'cycarla.crt'), pems.cert);
writeFileSync(join(dir, 'cycarla.key'), pems.private, { mode: 0o600 });
console.log(`wrote ${join(dir, 'cycarla.crt')} and ${join(dir, 'cycarla.key')} for ${[...names, ...ips].join(', ')}`);
