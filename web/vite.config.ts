import { defineConfig } from 'vite';

// This project's own sources, by absolute path: a pattern like /src/ would also match the folder the
// repository was cloned into.
const sources = decodeURIComponent(new URL('./src/', import.meta.url).pathname).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Two pages: the HQ map (served at / to signed-in staff) and the public shelter view (served at /public).
// Input paths are relative to this folder, Vite's root.
export default defineConfig({
  base: '/',
  build: {
    outDir: '../src/Bousai.Server/wwwroot',
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        index: 'index.html',
        public: 'public.html',
      },
      output: {
        // Code both pages use goes to two named chunks the browser caches across pages.
        codeSplitting: {
          groups: [
            { name: 'ol', test: /node_modules[\\/]ol[\\/]/ },
            { name: 'signalr', test: /node_modules[\\/]@microsoft[\\/]signalr[\\/]/ },
            // The write path (send, forms and lit-html under them) stays out of it: the public view has no forms.
            { name: 'shared', test: new RegExp(`^${sources}core/(?!send\\.ts$|form\\.ts$)`) },
          ],
        },
      },
    },
  },
});
