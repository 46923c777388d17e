/**
 * The service worker's side of the page: registered once; a new version of the app waits
 * until the rider taps "Reload" (never swapped under a ride).
 */
import { registerSW } from 'virtual:pwa-register';

class AppUpdate {
  /** A new version is installed and waiting. */
  waiting = $state(false);
  private update: ((reload?: boolean) => Promise<void>) | null = null;

  start(): void {
    if (!('serviceWorker' in navigator)) return;
    this.update = registerSW({ immediate: true, onNeedRefresh: () => { this.waiting = true; } });
  }

  reload(): void { void this.update?.(true); }
}

export const appUpdate = new AppUpdate();
