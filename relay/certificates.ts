/**
 * The relay's own small certificate authority and the server certificate it signs, so that a
 * tablet trusts the relay after installing one file (the authority's certificate) once.
 * selfsigned makes the keys and certificates; Node's X509Certificate checks what exists, so a
 * re-run keeps the authority (tablets trust it) and renews the server certificate only when
 * it no longer fits: another authority, a name or address it does not cover, or near expiry.
 */
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

const DAY_MS = 24 * 3600 * 1000;
/** Ten years: a tablet should not have to trust a new authority during the product's life. */
const AUTHORITY_DAYS = 3650;
/** Within Apple's limit for certificates of user-installed authorities (825 days), with margin. */
const SERVER_DAYS = 397;
/** A server certificate this close to expiry is renewed (and `npm start` warns). */
export const RENEW_BEFORE_DAYS = 30;

export const CERT_FILES = {
  authorityCert: 'cycarla-ca.crt',
  authorityKey: 'cycarla-ca.key',
  serverCert: 'cycarla.crt',
  serverKey: 'cycarla.key',
} as const;

export interface Subjects { names: string[]; ips: string[] }

export interface CertificateOutcome {
  dir: string;
  authority: 'made' | 'kept';
  server: 'made' | 'renewed' | 'kept';
  /** Why the server certificate was renewed, in words. */
  reason?: string;
  subjects: Subjects;
}

/** What a server certificate does not cover or why it no longer fits; null when it fits. */
export function serverCertificateProblem(serverPem: string, authorityPem: string, subjects: Subjects, now = Date.now()): string | null {
  const cert = new X509Certificate(serverPem);
  const authority = new X509Certificate(authorityPem);
  if (!cert.checkIssued(authority) || !cert.verify(authority.publicKey)) return 'it was not signed by this authority';
  const left = (Date.parse(cert.validTo) - now) / DAY_MS;
  if (left < RENEW_BEFORE_DAYS) return left < 0 ? 'it has expired' : `it expires in ${Math.floor(left)} days`;
  const missing = [
    ...subjects.names.filter((n) => cert.checkHost(n, { wildcards: false }) === undefined),
    ...subjects.ips.filter((ip) => cert.checkIP(ip) === undefined),
  ];
  return missing.length ? `it does not name ${missing.join(', ')}` : null;
}

async function makeAuthority(commonName: string): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'cycarla' }], {
    notAfterDate: new Date(Date.now() + AUTHORITY_DAYS * DAY_MS),
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

async function makeServerCertificate(authority: { cert: string; key: string }, subjects: Subjects): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: subjects.names[0] ?? 'cycarla relay' }, { name: 'organizationName', value: 'cycarla' }], {
    notAfterDate: new Date(Date.now() + SERVER_DAYS * DAY_MS),
    keySize: 2048,
    algorithm: 'sha256',
    ca: authority,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...subjects.names.map((value) => ({ type: 2 as const, value })), ...subjects.ips.map((ip) => ({ type: 7 as const, ip }))],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

const writeKey = (path: string, pem: string) => {
  writeFileSync(path, pem, { mode: 0o600 });
  chmodSync(path, 0o600); // an existing file keeps its mode on write
};

/** Makes or keeps the authority in `dir`, and makes, keeps or renews the server certificate for `subjects`. */
export async function ensureCertificates(dir: string, subjects: Subjects, authorityName: string): Promise<CertificateOutcome> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = (k: keyof typeof CERT_FILES) => join(dir, CERT_FILES[k]);
  let authority: { cert: string; key: string };
  let authorityState: CertificateOutcome['authority'] = 'kept';
  if (existsSync(path('authorityCert')) && existsSync(path('authorityKey'))) {
    authority = { cert: readFileSync(path('authorityCert'), 'utf8'), key: readFileSync(path('authorityKey'), 'utf8') };
  } else {
    authority = await makeAuthority(authorityName);
    writeKey(path('authorityKey'), authority.key);
    writeFileSync(path('authorityCert'), authority.cert);
    authorityState = 'made';
  }
  let server: CertificateOutcome['server'] = 'made';
  let reason: string | undefined;
  if (existsSync(path('serverCert')) && existsSync(path('serverKey'))) {
    const problem = serverCertificateProblem(readFileSync(path('serverCert'), 'utf8'), authority.cert, subjects);
    if (problem === null) return { dir, authority: authorityState, server: 'kept', subjects };
    server = 'renewed';
    reason = problem;
  }
  const issued = await makeServerCertificate(authority, subjects);
  writeKey(path('serverKey'), issued.key);
  writeFileSync(path('serverCert'), issued.cert);
  return { dir, authority: authorityState, server, reason, subjects };
}
