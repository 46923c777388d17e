// `node scripts/make-icons.mjs`: the install icons, rendered from public/icon.svg with sharp
// (libvips). Committed under public/icons/, so that a build needs no image tooling; run again
// when the SVG changes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const svg = readFileSync(join(root, 'public', 'icon.svg'));
const out = (name) => join(root, 'public', 'icons', name);

for (const size of [192, 512]) {
  await sharp(svg, { density: 72 * (size / 512) * 4 }).resize(size, size).png().toFile(out(`icon-${size}.png`));
}
// Maskable: the artwork inside the 80 % safe zone, on the theme colour to the edges.
const inner = Math.round(512 * 0.8);
const art = await sharp(svg, { density: 288 }).resize(inner, inner).png().toBuffer();
await sharp({ create: { width: 512, height: 512, channels: 4, background: '#101418' } })
  .composite([{ input: art, gravity: 'center' }]).png().toFile(out('maskable-512.png'));
console.log('icons written to public/icons/');
