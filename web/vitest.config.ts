import { defineConfig } from 'vitest/config';

// Unit tests of the web client (npm test): happy-dom gives the views a document; nothing here reaches a server.
export default defineConfig({
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
