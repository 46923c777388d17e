/**
 * What `npm start` prints for a person: only addresses the relay really listens on, the
 * https:// address for a tablet with its QR code (qrcode's terminal renderer), where a tablet's
 * first visit goes, and what is missing when a tablet cannot get a secure context.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { listeningAddresses } from './addresses.ts';
import { RENEW_BEFORE_DAYS } from './certificates.ts';
import { ONBOARDING_PATH } from '../proto/index.ts';

export interface BannerFacts {
  port: number;
  /** The listening socket's address (server.address().address). */
  boundAddress: string;
  tls: { enabled: boolean; auto: boolean; cert: string };
  embedded: boolean;
  interfaces?: Parameters<typeof listeningAddresses>[1];
}

export interface Banner {
  /** Every URL printed, for the log line: the ones a test can connect to. */
  urls: string[];
  tabletUrl: string | null;
  text: string;
}

/** What the certificate does not cover of `ips`, or how soon it expires. */
function certificateWarnings(certPath: string, ips: string[]): string[] {
  let cert: X509Certificate;
  try { cert = new X509Certificate(readFileSync(certPath)); } catch { return []; }
  const out: string[] = [];
  const missing = ips.filter((ip) => cert.checkIP(ip) === undefined);
  if (missing.length) out.push(`The certificate does not name ${missing.join(', ')} (a new address?): run \`npm run cert\` and restart.`);
  const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
  if (days < RENEW_BEFORE_DAYS) out.push(days < 0 ? 'The certificate has expired: run `npm run cert` and restart.' : `The certificate expires in ${Math.floor(days)} days: run \`npm run cert\` and restart.`);
  return out;
}

export async function startupBanner(f: BannerFacts): Promise<Banner> {
  const addresses = listeningAddresses(f.boundAddress, f.interfaces);
  const local = addresses.find((a) => /^127\.|^\[::1\]$/.test(a));
  const remote = addresses.filter((a) => a !== local);
  const scheme = f.tls.enabled ? 'https' : 'http';
  const localUrl = local ? `http://${local.startsWith('127.') ? 'localhost' : local}:${f.port}/` : null;
  const remoteUrls = remote.map((a) => `${scheme}://${a}:${f.port}/`);
  const lines = ['', `  cycarla is running${f.embedded ? ' with its embedded simulator' : ''}${f.tls.enabled ? ` (HTTPS with ${f.tls.cert}${f.tls.auto ? ', on because it exists; --no-tls turns it off' : ''})` : ''}.`];
  if (localUrl) lines.push(`  On this computer:   ${localUrl}`);
  let tabletUrl: string | null = null;
  if (remote.length === 0) {
    lines.push(`  Only this computer can connect (listening on ${f.boundAddress}); \`--host 0.0.0.0\` lets a tablet in.`);
  } else if (f.tls.enabled) {
    tabletUrl = remoteUrls[0]!;
    for (const u of remoteUrls) lines.push(`  On a tablet:        ${u}`);
    lines.push((await QRCode.toString(tabletUrl, { type: 'terminal', small: true })).replace(/^/gm, '    '));
    lines.push(`  First time on a tablet? Open http://${remote[0]}:${f.port}${ONBOARDING_PATH} there to trust this computer once.`);
    for (const w of certificateWarnings(f.tls.cert, remote)) lines.push(`  ${w}`);
  } else {
    for (const u of remoteUrls) lines.push(`  On your network:    ${u}`);
    lines.push('  Without HTTPS a tablet cannot install cycarla, keep its screen awake or use Bluetooth:');
    lines.push('  run `npm run cert`, then `npm start` again (it uses the certificate by itself).');
  }
  lines.push('');
  return { urls: [...(localUrl ? [localUrl] : []), ...remoteUrls], tabletUrl, text: lines.join('\n') };
}
