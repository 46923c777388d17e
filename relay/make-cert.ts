/**
 * `npm run cert [-- dir] [--name n…] [--ip a…]`: a local certificate authority (kept on
 * re-runs, its key never leaves `dir`) and a server certificate it signs for this computer's
 * names and LAN addresses (renewed when they change). A tablet trusts the authority once
 * (the relay's /tablet page says how); `npm start` then uses the server certificate by itself.
 */
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { machineSubjects } from './addresses.ts';
import { CERT_FILES, ensureCertificates } from './certificates.ts';

const program = new Command()
  .name('npm run cert --')
  .description('make the local certificate authority and the relay\'s HTTPS certificate')
  .argument('[dir]', 'where the files go', 'certs')
  .option('--name <names...>', 'extra DNS names the relay is reached by (e.g. rig1.shop.lan)')
  .option('--ip <addresses...>', 'extra IP addresses the relay is reached at')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
program.parse();
const [dir] = program.processedArgs as [string];
const opts = program.opts<{ name?: string[]; ip?: string[] }>();
const badIp = (opts.ip ?? []).find((ip) => isIP(ip) === 0);
if (badIp) {
  process.stderr.write(`--ip: "${badIp}" is not an IP address\n`);
  process.exit(2);
}

const out = await ensureCertificates(dir, machineSubjects({ names: opts.name, ips: opts.ip }), `cycarla local authority (${hostname()})`);
const say = (s: string) => process.stdout.write(`${s}\n`);
say(out.authority === 'made'
  ? `made a new certificate authority: ${join(dir, CERT_FILES.authorityCert)} (its key ${CERT_FILES.authorityKey} stays here; never share it)`
  : `kept the certificate authority ${join(dir, CERT_FILES.authorityCert)} (tablets that trust it need nothing new)`);
say(out.server === 'kept'
  ? `kept the server certificate ${join(dir, CERT_FILES.serverCert)}: it still names everything`
  : `${out.server === 'made' ? 'made' : `renewed (${out.reason})`} the server certificate ${join(dir, CERT_FILES.serverCert)}`);
say(`  for ${[...out.subjects.names, ...out.subjects.ips].join(', ')}`);
say('`npm start` now serves HTTPS; open http://<this computer>:<port>/tablet on the tablet to trust the authority once.');
