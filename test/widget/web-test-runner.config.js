// Widget tests: the real <otp-login> source (TypeScript via esbuild) in a real headless Chromium.
// Runs on Node 20 as is, despite the EBADENGINE warnings of @web/test-runner and puppeteer-core.
import path from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

const root = path.resolve(import.meta.dirname, '../..');

export default {
  rootDir: root,
  files: ['test/widget/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, tsconfig: path.join(root, 'tsconfig.json') })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run','--disable-dev-shm-usage'],
      },
    }),
  ],
};
