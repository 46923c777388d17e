/**
 * What `npm start` prints, as a function of the machine: only the addresses the socket accepts
 * on, the tablet's https:// address with its QR code and first-visit page, and what is missing —
 * a certificate that does not name an address, or no HTTPS at all.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { NetworkInterfaceInfo } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listeningAddresses, machineSubjects } from '../../relay/addresses.ts';
import { startupBanner } from '../../relay/banner.ts';
import { ensureCertificates } from '../../relay/certificates.ts';

const nic = (address: string, internal = false): NetworkInterfaceInfo =>
  ({ address, family: 'IPv4', internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: `${address}/24` });
const machine = { lo: [nic('127.0.0.1', true)], docker0: [nic('172.17.0.1')], wlan0: [nic('192.168.1.7')] };

let certDir: string;
beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'cycarla-banner-'));
  // A certificate made while the machine had another address.
  await ensureCertificates(certDir, machineSubjects({}, { lo: [nic('127.0.0.1', true)], wlan0: [nic('192.168.1.5')] }), 'test authority');
}, 30_000);

describe('the addresses', () => {
  it('of a wildcard socket are loopback and every interface, home ranges first and container bridges last; of a bound one, just it', () => {
    expect(listeningAddresses('0.0.0.0', machine)).toEqual(['127.0.0.1', '192.168.1.7', '172.17.0.1']);
    expect(listeningAddresses('::', { wlan0: [nic('8.8.4.4'), nic('10.1.2.3')] })).toEqual(['127.0.0.1', '10.1.2.3', '8.8.4.4']);
    expect(listeningAddresses('127.0.0.1', machine)).toEqual(['127.0.0.1']);
    expect(listeningAddresses('::ffff:192.168.1.7', machine)).toEqual(['192.168.1.7']);
  });

  it('in the certificate are this computer\'s names, loopback and LAN addresses, plus any extra', () => {
    expect(machineSubjects({ names: ['rig1.shop.lan'], ips: ['10.0.0.5'] }, machine, 'Garage-PC')).toEqual({
      names: ['localhost', 'garage-pc', 'garage-pc.local', 'rig1.shop.lan'],
      ips: ['127.0.0.1', '::1', '192.168.1.7', '172.17.0.1', '10.0.0.5'],
    });
    // A host name that is no DNS name is left out rather than put in a certificate.
    expect(machineSubjects({}, machine, 'my_pc').names).toEqual(['localhost']);
  });
});

describe('the start-up banner', () => {
  it('gives the tablet its https:// address with a QR code and the first-visit page, and warns of an address the certificate lacks', async () => {
    const b = await startupBanner({ port: 9000, boundAddress: '0.0.0.0', tls: { enabled: true, auto: true, cert: join(certDir, 'cycarla.crt') }, embedded: true, interfaces: machine });
    expect(b.urls).toEqual(['http://localhost:9000/', 'https://192.168.1.7:9000/', 'https://172.17.0.1:9000/']);
    expect(b.tabletUrl).toBe('https://192.168.1.7:9000/');
    expect(b.text).toContain('On a tablet:        https://192.168.1.7:9000/');
    expect(b.text).toContain('First time on a tablet? Open http://192.168.1.7:9000/tablet');
    expect(b.text).toMatch(/[▀▄█]{5,}/); // the QR code
    expect(b.text).toContain('The certificate does not name 192.168.1.7, 172.17.0.1 (a new address?): run `npm run cert` and restart.');
  });

  it('says what a tablet lacks without HTTPS, and prints no QR code that would lead to it', async () => {
    const b = await startupBanner({ port: 9000, boundAddress: '0.0.0.0', tls: { enabled: false, auto: true, cert: 'certs/cycarla.crt' }, embedded: true, interfaces: machine });
    expect(b.tabletUrl).toBeNull();
    expect(b.text).toContain('On your network:    http://192.168.1.7:9000/');
    expect(b.text).toContain('run `npm run cert`, then `npm start` again');
    expect(b.text).not.toMatch(/[▀▄█]{5,}/);
  });

  it('names only this computer when bound to loopback', async () => {
    const b = await startupBanner({ port: 9100, boundAddress: '127.0.0.1', tls: { enabled: false, auto: false, cert: '' }, embedded: false, interfaces: machine });
    expect(b.urls).toEqual(['http://localhost:9100/']);
    expect(b.text).toContain('Only this computer can connect (listening on 127.0.0.1)');
  });

  it('warns of a certificate about to expire', async () => {
    const { X509Certificate } = await import('node:crypto');
    const { generate } = await import('selfsigned');
    const soon = await generate([{ name: 'commonName', value: 'x' }], { notAfterDate: new Date(Date.now() + 5 * 86_400_000), keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '192.168.1.7' }] }] });
    const file = join(certDir, 'soon.crt');
    writeFileSync(file, soon.cert);
    expect(new X509Certificate(soon.cert).checkIP('192.168.1.7')).toBe('192.168.1.7');
    const b = await startupBanner({ port: 9000, boundAddress: '192.168.1.7', tls: { enabled: true, auto: false, cert: file }, embedded: false, interfaces: machine });
    expect(b.urls).toEqual(['https://192.168.1.7:9000/']);
    expect(b.text).toMatch(/The certificate expires in [45] days/);
    expect(b.text).not.toContain('does not name');
  });
});
