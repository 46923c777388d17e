/**
 * A page from another computer over plain HTTP is not a secure context: the browser then
 * silently withholds the service worker (install, offline), the wake lock and Web Bluetooth.
 * This says which of them this page lacks, so the Home screen can name them and the fix.
 */
import { ONBOARDING_PATH } from '../../proto/relay-ws.ts';

export interface InsecureContext {
  /** What the rider loses, in words. */
  missing: string[];
  /** The relay's page that makes this device trust it. */
  fixHref: string;
}

export function insecureContext(w: Pick<Window, 'isSecureContext' | 'navigator'> = window): InsecureContext | null {
  if (w.isSecureContext) return null;
  const missing = [
    ...(!('serviceWorker' in w.navigator) ? ['installing cycarla and opening it offline'] : []),
    ...(!('wakeLock' in w.navigator) ? ['keeping the screen on while you ride'] : []),
    ...(!('bluetooth' in w.navigator) ? ['pairing a trainer or sensors over Bluetooth'] : []),
  ];
  return { missing: missing.length ? missing : ['features that need a secure page'], fixHref: ONBOARDING_PATH };
}
