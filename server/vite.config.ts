/**
 * Builds the server to plain JavaScript for `npm start` and for production (`node build/main.js`,
 * no tsx or vite at run time): build/main.js, build/cli.js (the package's `bin`, `otp-login`),
 * build/rotate-keys.js and build/migrate-to-postgres.js, and beside them (not in a folder of their
 * own) the chunks loaded only when configured — Postmark, Twilio, PostgreSQL, Redis. Beside them
 * because the PostgreSQL engine reads its SQL migrations from ./migrations/ next to its own module,
 * and the build copies them to build/migrations/. Packages stay imports (vite's default for a
 * server build), so build/ runs on the `dependencies` alone.
 *
 *   npm run build:server
 */
import { chmodSync, cpSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vite';

const root = path.resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: path.join(root, 'build'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        main: path.join(root, 'server/main.ts'),
        cli: path.join(root, 'server/cli.ts'),
        'rotate-keys': path.join(root, 'server/identity/rotate-keys.ts'),
        'migrate-to-postgres': path.join(root, 'server/store/migrate-to-postgres.ts'),
      },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: '[name]-[hash].js',
        // The bin runs as a program (`npx otp-login`, or build/cli.js from a clone).
        banner: (chunk) => (chunk.isEntry && chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
  plugins: [
    {
      name: 'copy-migrations',
      closeBundle: () => {
        cpSync(path.join(root, 'server/store/postgres/migrations'), path.join(root, 'build/migrations'), { recursive: true });
        chmodSync(path.join(root, 'build/cli.js'), 0o755);
      },
    },
  ],
});
