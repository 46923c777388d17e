// `npm start` builds the app when dist/ is missing or older than any source it is built from.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const newest = (dir) => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};
const built = join(root, 'dist', 'index.html');
const sources = Math.max(...['app', 'proto', 'public'].filter((d) => existsSync(join(root, d))).map((d) => newest(join(root, d))));
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.error('building the app (vite build)…');
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
