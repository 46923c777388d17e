// The JPEG pool's thread entry: loads TypeScript through tsx's loader (as the relay itself runs),
// then the worker. Plain JS, because a thread starts before any loader is in place.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
