// The public page's template (web/public.html), which the server fills in: every part the contract names has its
// marker inside the element with that id, in the page order of the issue; every data-i18n key has its words in both
// languages; and nothing the first view loads statically pulls in OpenLayers or the hub's client.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publicMessages } from '../src/public/messageTable';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const html = readFileSync(resolve(web, 'public.html'), 'utf8');
const doc = new DOMParser().parseFromString(html, 'text/html');

const markers = [
  'drill-banner',
  'demo-banner',
  'language-switch',
  'evacuation-banner',
  'level-board',
  'official-warnings',
  'nearest',
  'hazard-filter',
  'shelter-list',
  'shown-count',
  'station-list',
  'gauges-summary',
  'report-cards',
  'reports-count',
  'live-status',
  'stale-note',
  // The map drawn on the server (/public/map.png), after the lists.
  'situation-map',
];

/** The comment nodes directly inside `element`. */
function comments(element: Element): string[] {
  return [...element.childNodes].filter((n) => n.nodeType === Node.COMMENT_NODE).map((n) => n.textContent ?? '');
}

describe('the public page template', () => {
  it.each(markers)('has the marker ssr:%s inside the element with that id, and only there', (name) => {
    const element = doc.getElementById(name);
    expect(element).not.toBeNull();
    expect(comments(element!)).toContain(`ssr:${name}`);
    expect(html.split(`<!--ssr:${name}-->`).length - 1).toBe(1);
  });

  it('has no marker the contract does not name', () => {
    const found = [...html.matchAll(/<!--ssr:([a-z-]+)-->/g)].map((m) => m[1]);
    expect(found.sort()).toEqual([...markers].sort());
  });

  it('puts the parts in the order of the issue: levels, warnings, shelters, gauges, reports, update time, text-only link, then the map', () => {
    const order = [
      'language-switch',
      'drill-banner',
      'demo-banner',
      'stale-warning',
      'evacuation-banner',
      'level-board',
      'official-warnings',
      'nearest',
      'hazard-filter',
      'shelter-list',
      'station-list',
      'report-cards',
      'live-status',
      'stale-note',
      'text-version',
      'map-section',
      'map',
    ];
    const all = [...doc.querySelectorAll('[id]')].map((e) => e.id);
    const positions = order.map((id) => all.indexOf(id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The attribution is in the footer, after the map.
    expect(doc.querySelector('footer')?.compareDocumentPosition(doc.getElementById('map')!)).toBe(Node.DOCUMENT_POSITION_PRECEDING);
  });

  it('has a hidden stale warning the script shows, a text-only link, and a map section hidden without the script', () => {
    const warning = doc.getElementById('stale-warning')!;
    expect(warning.getAttribute('role')).toBe('alert');
    expect(warning.hasAttribute('hidden')).toBe(true);
    expect(doc.querySelector<HTMLAnchorElement>('a#text-version')?.getAttribute('href')).toBe('/public/text');
    expect(doc.getElementById('map-section')?.hasAttribute('hidden')).toBe(true);
    expect(doc.getElementById('hazard-filter')?.hasAttribute('hidden')).toBe(true);
    expect(doc.querySelector('#map-section button#show-map')?.getAttribute('data-i18n')).toBe('showMap');
    expect(doc.documentElement.lang).toBe('ja');
    expect(doc.getElementById('language-switch')?.tagName).toBe('NAV');
  });

  it('has the notifications section: a button the script shows, a panel for the form, and a sentence for browsers without JavaScript', () => {
    const section = doc.getElementById('notify')!;
    expect(section.tagName).toBe('SECTION');
    expect(doc.getElementById(section.getAttribute('aria-labelledby')!)?.tagName).toBe('H2');
    expect(section.querySelector('button#notify-open')?.hasAttribute('hidden')).toBe(true);
    expect(section.querySelector('#notify-panel')?.hasAttribute('hidden')).toBe(true);
    // Inside <noscript> the parser keeps the sentence as text: it is in the file for the server to fill.
    expect(section.querySelector('noscript')?.innerHTML).toContain('data-i18n="notify.needsScript"');
    expect(publicMessages.en['notify.needsScript']).toContain('JavaScript');
  });

  it('links the home-screen app: its manifest and the icon iPhones use', () => {
    expect(doc.querySelector('link[rel="manifest"]')?.getAttribute('href')).toBe('/public-app.webmanifest');
    expect(doc.querySelector('link[rel="apple-touch-icon"]')?.getAttribute('href')).toBe('/icons/apple-touch-icon.png');
    for (const file of ['public-app.webmanifest', 'public-app-en.webmanifest']) {
      const manifest = JSON.parse(readFileSync(resolve(web, 'public', file), 'utf8'));
      expect(manifest).toMatchObject({ scope: '/public', display: 'standalone' });
      expect(manifest.start_url).toMatch(/^\/public(\/en)?$/);
      const icons = manifest.icons as Array<{ src: string; sizes: string; purpose: string }>;
      expect(icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
      for (const icon of icons) expect(existsSync(resolve(web, 'public', `.${icon.src}`)), icon.src).toBe(true);
    }
    expect(JSON.parse(readFileSync(resolve(web, 'public/public-app.webmanifest'), 'utf8'))).toMatchObject({ name: '高畠町 防災情報', lang: 'ja' });
  });

  it('has the words of every data-i18n key in both languages', () => {
    const keys = [...doc.querySelectorAll('[data-i18n]')].map((e) => e.getAttribute('data-i18n')!);
    const aria = [...doc.querySelectorAll('[data-i18n-aria]')].map((e) => e.getAttribute('data-i18n-aria')!);
    const title = doc.body.dataset.titleKey!;
    for (const key of [...keys, ...aria, title]) {
      expect(publicMessages.ja, key).toHaveProperty([key]);
      expect(publicMessages.en, key).toHaveProperty([key]);
    }
    // The Japanese text in the file is the table's, so the page reads the same before the server or script fill it.
    for (const element of doc.querySelectorAll('[data-i18n]')) {
      const key = element.getAttribute('data-i18n') as keyof typeof publicMessages.ja;
      if (element.textContent?.trim()) expect(element.textContent.trim()).toBe(publicMessages.ja[key]);
    }
  });

  it('has one heading 1 and a heading 2 for every section', () => {
    expect(doc.querySelectorAll('h1')).toHaveLength(1);
    for (const section of doc.querySelectorAll('section[aria-labelledby]')) {
      const id = section.getAttribute('aria-labelledby')!;
      // The server (or the script) renders the heading of a part it fills; the others are in the template.
      if (comments(section).some((c) => c.startsWith('ssr:'))) continue;
      expect(doc.getElementById(id)?.tagName, id).toBe('H2');
    }
  });

  it('has no inline script or style (the CSP allows neither)', () => {
    expect(doc.querySelectorAll('script:not([src])')).toHaveLength(0);
    expect(doc.querySelectorAll('style, [style]')).toHaveLength(0);
  });
});

/** The modules `file` imports for its values (type-only imports cost nothing at run time), resolved to files. */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of source.matchAll(/^import\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
    if (match[1]) continue;
    found.push(match[2]);
  }
  return found;
}

function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return specifier;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  return null; // a stylesheet
}

describe('the first view of the public page', () => {
  it('imports nothing of OpenLayers, the map code or the hub client statically', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of staticImports(file)) {
        const target = resolveImport(file, specifier);
        if (target === null) continue;
        if (!target.startsWith('/')) packages.add(target.split('/')[0].startsWith('@') ? target.split('/').slice(0, 2).join('/') : target.split('/')[0]);
        else visit(target);
      }
    };
    visit(resolve(web, 'src/public/main.ts'));
    expect([...packages].sort()).toEqual(['lit-html']);
    const local = [...seen].map((f) => f.slice(resolve(web, 'src').length + 1));
    expect(local.filter((f) => /^core\/(map|layers)\/|situationStream|stationChart|publicMap/.test(f))).toEqual([]);
    expect(local).toContain('public/liveFallback.ts');
    // The notifications form is its own chunk, loaded when wanted.
    expect(local).toContain('public/notifications/entry.ts');
    expect(local.filter((f) => f.startsWith('public/notifications/') && f !== 'public/notifications/entry.ts')).toEqual([]);
  });
});
