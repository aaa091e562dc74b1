/**
 * A Vite plugin that prints each written JavaScript file's raw, gzip and brotli
 * sizes, so a growing bundle is noticed at build time:
 *
 *   otp-login.js  41.2 kB  gzip 12.3 kB  brotli 10.9 kB
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export function sizeReport(): Plugin {
  let outDir = '';
  return {
    name: 'otp-login:size-report',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle(options, bundle) {
      const dir = options.dir ?? outDir;
      for (const fileName of Object.keys(bundle).filter((name) => name.endsWith('.js'))) {
        const source = await readFile(path.join(dir, fileName));
        const gzip = gzipSync(source, { level: 9 }).length;
        const brotli = brotliCompressSync(source, {
          params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
        }).length;
        console.log(`${fileName}  ${kB(source.length)}  gzip ${kB(gzip)}  brotli ${kB(brotli)}`);
      }
    },
  };
}

function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}
