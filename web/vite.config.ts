import { build, defineConfig, type Plugin } from 'vite';

// This project's own sources, by absolute path: a pattern like /src/ would also match the folder the
// repository was cloned into.
const sources = decodeURIComponent(new URL('./src/', import.meta.url).pathname).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const outDir = '../src/Bousai.Server/wwwroot';

/**
 * The field page's service worker, built after the pages as one classic script at /field-sw.js: a stable name (the
 * browser checks that URL for updates) at the root, and no imports (module service workers are not everywhere), so
 * it shares no chunk with the pages.
 */
function fieldServiceWorker(): Plugin {
  return {
    name: 'bousai-field-service-worker',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root: decodeURIComponent(new URL('.', import.meta.url).pathname),
        publicDir: false,
        logLevel: 'warn',
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          lib: { entry: 'src/field/sw.ts', formats: ['iife'], name: 'bousaiFieldServiceWorker', fileName: () => 'field-sw.js' },
        },
      });
    },
  };
}

// Three pages: the HQ map (served at / to signed-in staff), the public shelter view (/public) and the crews' phone
// page (/field). Input paths are relative to this folder, Vite's root.
export default defineConfig({
  base: '/',
  plugins: [fieldServiceWorker()],
  build: {
    outDir,
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        index: 'index.html',
        public: 'public.html',
        field: 'field.html',
      },
      output: {
        // Code several pages use goes to named chunks the browser caches across pages.
        codeSplitting: {
          groups: [
            { name: 'ol', test: /node_modules[\\/]ol[\\/]/ },
            { name: 'signalr', test: /node_modules[\\/]@microsoft[\\/]signalr[\\/]/ },
            // The HQ map and the field page both render with lit-html.
            { name: 'lit', test: /node_modules[\\/]lit-html[\\/]/ },
            // The write path (send, forms and lit-html under them) stays out of it: the public view has no forms.
            { name: 'shared', test: new RegExp(`^${sources}core/(?!send\\.ts$|form\\.ts$)`) },
          ],
        },
      },
    },
  },
});
