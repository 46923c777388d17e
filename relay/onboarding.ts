/**
 * The page a tablet's first visit lands on (/tablet, served over plain HTTP too): what HTTPS is
 * for, the authority's certificate to download, the steps for Android, iPadOS/iOS and desktop
 * Chrome with what the rider sees at each, a QR code of the app's https:// address for other
 * devices, and a live check of whether this device already trusts the relay.
 */
import QRCode from 'qrcode';
import { AUTHORITY_PATH } from '../proto/index.ts';

export interface OnboardingFacts {
  /** The app's https:// address on the host the visitor used; null when the relay has no TLS. */
  appUrl: string | null;
  /** The authority's certificate can be downloaded (the relay's own `npm run cert` authority). */
  authority: boolean;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const qrCache = new Map<string, string>();
/** The QR code of `url` as inline SVG (few distinct URLs: one per address the relay is reached at). */
export async function qrSvg(url: string): Promise<string> {
  let svg = qrCache.get(url);
  if (!svg) {
    svg = await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    if (qrCache.size > 32) qrCache.clear();
    qrCache.set(url, svg);
  }
  return svg;
}

export async function onboardingPage(f: OnboardingFacts): Promise<string> {
  const style = `body{font:19px/1.45 system-ui,sans-serif;margin:0 auto;max-width:46em;padding:1.2em;background:#111;color:#eee}
a{color:#7cf}h1{font-size:1.6em}h2{margin-top:1.6em}.qr{background:#fff;width:14em;padding:.4em;border-radius:.5em}
.button{display:inline-block;min-height:64px;line-height:64px;padding:0 1.2em;margin:.3em 0;border-radius:.5em;background:#2a7;color:#fff;font-weight:600;text-decoration:none}
.status{padding:.8em 1em;border-radius:.5em;background:#333}.ok{background:#174}.no{background:#633}ol li{margin:.35em 0}.seen{color:#bbb}`;
  if (!f.appUrl) {
    return `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>cycarla — set up a tablet</title><style>${style}</style>
<h1>Set up a tablet for cycarla</h1>
<p class="status no" id="status" data-state="no-tls">This relay serves plain HTTP only, so a tablet cannot install cycarla, keep its screen awake or use Bluetooth.</p>
<p>On the computer running cycarla, stop it and run:</p>
<pre>npm run cert
npm start</pre>
<p>Then open this page again: it will have the certificate and the steps for your tablet.</p></html>`;
  }
  const app = escapeHtml(f.appUrl);
  const healthz = JSON.stringify(new URL('/healthz', f.appUrl).href).replace(/</g, '\\u003c');
  const download = f.authority
    ? `<p><a class="button" id="download" href="${AUTHORITY_PATH}" download="cycarla-ca.crt">Download the cycarla certificate</a></p>`
    : `<p id="download">This relay uses a certificate from an authority it does not hand out; ask whoever runs it, or your device may already trust it.</p>`;
  return `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>cycarla — set up a tablet</title><style>${style}</style>
<h1>Set up a tablet for cycarla</h1>
<p>cycarla runs in the browser over HTTPS, so that it can install to the home screen, keep the screen awake and talk to Bluetooth sensors.
This computer has its own small certificate authority: your device trusts it once, and then cycarla opens with a padlock.</p>
<p class="status" id="status" data-state="checking">Checking whether this device already trusts cycarla…</p>
<p><a class="button" id="open" href="${app}">Open cycarla</a></p>
${download}
<h2>Android (Chrome)</h2>
<ol>
<li>Tap <b>Download the cycarla certificate</b>. <span class="seen">Chrome saves <code>cycarla-ca.crt</code> to Downloads, or says it must be installed from Settings — both are fine.</span></li>
<li>Open <b>Settings → Security &amp; privacy → More security settings → Encryption &amp; credentials → Install a certificate → CA certificate</b>. <span class="seen">The menu names differ by maker: search Settings for “CA certificate”.</span></li>
<li>Android warns that “your data won’t be private”: tap <b>Install anyway</b>, unlock, and pick <code>cycarla-ca.crt</code> from Downloads. <span class="seen">It now appears under Trusted credentials → User.</span></li>
<li>Come back here and tap <b>Open cycarla</b>. <span class="seen">The address bar shows a padlock.</span> Then Chrome’s menu ⋮ → <b>Install app</b> (or Add to Home screen).</li>
</ol>
<h2>iPad or iPhone (Safari)</h2>
<ol>
<li>In Safari, tap <b>Download the cycarla certificate</b>. <span class="seen">Safari asks “This website is trying to download a configuration profile. Do you want to allow this?” — tap <b>Allow</b>, then Close on “Profile Downloaded”.</span></li>
<li>Open <b>Settings</b>: a <b>Profile Downloaded</b> row is near the top (or General → VPN &amp; Device Management). Tap it, then <b>Install</b>, enter your passcode, <b>Install</b> again, <b>Done</b>. <span class="seen">It is listed as “cycarla local authority”.</span></li>
<li>Open <b>Settings → General → About → Certificate Trust Settings</b> and switch on <b>cycarla local authority</b> under “Enable full trust for root certificates”; tap <b>Continue</b>. <span class="seen">Without this step Safari still warns.</span></li>
<li>Back in Safari tap <b>Open cycarla</b>, then Share → <b>Add to Home Screen</b>. <span class="seen">Safari has no Web Bluetooth: ride with virtual power, or use a browser that has it.</span></li>
</ol>
<h2>A desktop or laptop (Chrome)</h2>
<ol>
<li>Download the certificate.</li>
<li>Windows, Linux, ChromeOS: Chrome → <b>Settings → Privacy and security → Security → Manage certificates</b> → Custom (Installed by you) → <b>Trusted certificates → Import</b>, pick <code>cycarla-ca.crt</code>. <span class="seen">It is listed as “cycarla local authority”.</span></li>
<li>macOS: double-click the file; Keychain Access adds it. Open it, expand <b>Trust</b>, set “When using this certificate” to <b>Always Trust</b> and close (your password confirms).</li>
<li>Restart Chrome and open cycarla. <span class="seen">A padlock, and an install icon in the address bar.</span></li>
</ol>
<h2>Another device</h2>
<p>Scan this code with the tablet’s camera to open <a href="${app}">${app}</a> (trust the certificate first).</p>
<div class="qr">${await qrSvg(f.appUrl)}</div>
<p class="seen">The certificate lets this device trust only what this computer’s authority signs; its private key never leaves the computer. Remove it any time in the same Settings screen.</p>
<script>
(() => {
  const status = document.getElementById('status');
  const say = (state, text) => { status.dataset.state = state; status.className = 'status ' + (state === 'trusted' ? 'ok' : 'no'); status.textContent = text; };
  if (location.protocol === 'https:') { say('trusted', 'This device trusts cycarla: open it and install it from the browser’s menu.'); return; }
  // A TLS failure rejects; an opaque answer means the handshake was trusted.
  fetch(${healthz}, { mode: 'no-cors', cache: 'no-store' })
    .then(() => say('trusted', 'This device already trusts cycarla: tap Open cycarla.'))
    .catch(() => say('untrusted', 'This device does not trust cycarla yet: follow the steps for it below.'));
})();
</script></html>`;
}
