import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

/**
 * Development only: a second demo site on another origin (and another site: 127.0.0.1 is not
 * localhost) whose page embeds the widget from the main server, so a person can see a cross-site
 * deployment, with its partitioned cookie, next to the same-site one.
 */
export function createSecondSite({ apiOrigin, demoDir }: { apiOrigin: string; demoDir: string }) {
  const app = new Hono();
  app.get('/', async (c) => {
    const page = await readFile(join(demoDir, 'embed.html'), 'utf8');
    return c.html(page.replaceAll('{{API}}', apiOrigin));
  });
  app.get('/*', serveStatic({ root: demoDir }));
  return app;
}
