/**
 * Builds the server to plain JavaScript for `npm start`: build/main.js, and beside it (not in a
 * folder of their own) the chunks loaded only when configured — Postmark, Twilio, PostgreSQL,
 * Redis. Beside it because the PostgreSQL engine reads its SQL migrations from ./migrations/
 * next to its own module, and the build copies them to build/migrations/.
 *
 *   npm run build:server
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vite';

const root = path.resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  logLevel: 'warn',
  build: {
    ssr: path.join(root, 'server/main.ts'),
    outDir: path.join(root, 'build'),
    emptyOutDir: true,
    rollupOptions: { output: { entryFileNames: 'main.js', chunkFileNames: '[name]-[hash].js' } },
  },
  plugins: [
    {
      name: 'copy-migrations',
      closeBundle: () => cpSync(path.join(root, 'server/store/postgres/migrations'), path.join(root, 'build/migrations'), { recursive: true }),
    },
  ],
});
