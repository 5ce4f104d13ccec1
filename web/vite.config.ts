import { build, defineConfig, type Plugin } from 'vite';
import { publicMessages } from './src/public/messageTable';

// This project's own sources, by absolute path: a pattern like /src/ would also match the folder the
// repository was cloned into.
const sources = decodeURIComponent(new URL('./src/', import.meta.url).pathname).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const outDir = '../src/Bousai.Server/wwwroot';

/**
 * The service workers (/field-sw.js, /shelter-sw.js, and /public-sw.js for residents' notifications), built after the
 * pages as one classic script each: a stable name (the browser checks that URL for updates) at the root, and no imports
 * (module service workers are not everywhere), so they share no chunk with the pages.
 */
function serviceWorkers(): Plugin {
  const workers = [
    { entry: 'src/field/sw.ts', name: 'bousaiFieldServiceWorker', file: 'field-sw.js' },
    { entry: 'src/shelter/sw.ts', name: 'bousaiShelterServiceWorker', file: 'shelter-sw.js' },
    { entry: 'src/public/sw.ts', name: 'bousaiPublicServiceWorker', file: 'public-sw.js' },
  ];
  return {
    name: 'bousai-service-workers',
    apply: 'build',
    async closeBundle() {
      for (const worker of workers) {
        await build({
          configFile: false,
          root: decodeURIComponent(new URL('.', import.meta.url).pathname),
          publicDir: false,
          logLevel: 'warn',
          build: {
            outDir,
            emptyOutDir: false,
            copyPublicDir: false,
            lib: { entry: worker.entry, formats: ['iife'], name: worker.name, fileName: () => worker.file },
          },
        });
      }
    },
  };
}

/**
 * wwwroot/public-messages.json: the public view's strings (ja, en), which the server renders the page with when it
 * is first loaded or JavaScript is off, so both renderings say the same thing in the same words.
 */
function publicMessageTable(): Plugin {
  return {
    name: 'bousai-public-messages',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'public-messages.json', source: JSON.stringify(publicMessages) });
    },
  };
}

// Four pages: the HQ map (served at / to signed-in staff), the public shelter view (/public), the crews' phone page
// (/field) and the shelter staff's phone page (/shelter). Input paths are relative to this folder, Vite's root.
export default defineConfig({
  base: '/',
  plugins: [serviceWorkers(), publicMessageTable()],
  build: {
    outDir,
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        index: 'index.html',
        public: 'public.html',
        field: 'field.html',
        shelter: 'shelter.html',
      },
      output: {
        // Code several pages use goes to named chunks the browser caches across pages. The public view's first view
        // (before its map) must stay small: nothing of OpenLayers, the map code or the hub's client in it.
        codeSplitting: {
          groups: [
            { name: 'ol', test: /node_modules[\\/]ol[\\/]/ },
            // The hub's client with the stream that uses it: the public view imports it after its first paint.
            {
              name: 'signalr',
              test: new RegExp(`node_modules[\\\\/]@microsoft[\\\\/]signalr[\\\\/]|^${sources}core/live/situationStream\\.ts$`),
              includeDependenciesRecursively: false,
            },
            // The HQ map and the phone pages render with lit-html.
            { name: 'lit', test: /node_modules[\\/]lit-html[\\/]/ },
            // The map's code (it imports OpenLayers): the HQ map's, and the public view's map chunk.
            // Only those modules (includeDependenciesRecursively: false): what they import from the rest of the core
            // stays in the shared chunks, or the public view would load the map's chunk for it.
            { name: 'map', test: new RegExp(`^${sources}core/(map|layers)/`), includeDependenciesRecursively: false },
            // A gauge's chart: the public view loads it when a resident first opens one.
            {
              name: 'chart',
              test: new RegExp(`^${sources}core/stations/(stationChart|chartSvg)\\.ts$`),
              includeDependenciesRecursively: false,
            },
            // The write path (send, forms and lit-html under them) stays out of it: the public view has no forms. Split
            // by the pages that use each module, so a page never loads what only the others need.
            { name: 'shared', test: new RegExp(`^${sources}core/(?!send\\.ts$|form\\.ts$)`), entriesAware: true },
          ],
        },
      },
    },
  },
});
