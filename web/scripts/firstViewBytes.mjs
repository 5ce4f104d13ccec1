// The public page's first view, as a resident's phone downloads it before the map: the built public.html and every
// script and stylesheet it loads statically (its <script>, modulepreload and stylesheet links), each compressed as the
// server sends it (Brotli and gzip, precompressed at build), and the hub's client, which the page imports right after
// the first paint. Usage: node scripts/firstViewBytes.mjs (after npm run build). The budget: 50 KB.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const wwwroot = resolve(import.meta.dirname, '../../src/Bousai.Server/wwwroot');
const html = readFileSync(resolve(wwwroot, 'public.html'));
const urls = [...html.toString().matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
const entry = urls.find((u) => /\/assets\/public-[^/]+\.js$/.test(u));
const entrySource = readFileSync(resolve(wwwroot, `.${entry}`), 'utf8');
// The hub's client: the chunk named signalr the entry imports dynamically.
const afterPaint = [...new Set([...entrySource.matchAll(/assets\/(signalr-[^"]+\.js)/g)].map((m) => `/assets/${m[1]}`))];

const size = (bytes) => ({
  raw: bytes.length,
  br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  gzip: gzipSync(bytes, { level: 9 }).length,
});
const rows = [['public.html', size(html)], ...urls.map((u) => [u, size(readFileSync(resolve(wwwroot, `.${u}`)))])];
const sum = (list, key) => list.reduce((total, [, s]) => total + s[key], 0);
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
for (const [name, s] of rows) console.log(`${name.padEnd(60)} ${String(s.raw).padStart(7)}  br ${String(s.br).padStart(6)}  gzip ${String(s.gzip).padStart(6)}`);
console.log(`first view (HTML + CSS + JS before the hub and the map): br ${kb(sum(rows, 'br'))}, gzip ${kb(sum(rows, 'gzip'))}`);
const hub = afterPaint.map((u) => [u, size(readFileSync(resolve(wwwroot, `.${u}`)))]);
for (const [name, s] of hub) console.log(`after the first paint: ${name}  br ${s.br}  gzip ${s.gzip}`);
console.log(`with the hub's client: br ${kb(sum(rows, 'br') + sum(hub, 'br'))}, gzip ${kb(sum(rows, 'gzip') + sum(hub, 'gzip'))}`);
