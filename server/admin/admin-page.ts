import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from 'hono';

/**
 * The admin page at a card's own address, `/admin/contacts/:id`, so a reload, a new tab or a
 * pasted link opens that card (the page reads the address once signed in: widget/admin/admin-app.ts).
 * It is admin.html with each relative `src` and `href` two folders up, so its files and links
 * resolve as they do from /admin — also under a mount such as /auth, where absolute paths would
 * not. (A `<base>` would do it once, but the pages' CSP allows none: base-uri 'none'.) No contact
 * data is in it: the page is the same for everyone, and only the admin API answers with a card.
 */
export function adminCardPage(demoFolder: string) {
  return async (c: Context) => {
    const page = await readFile(join(demoFolder, 'admin.html'), 'utf8');
    return c.html(page.replace(/\b(src|href)="(?![a-z][a-z0-9+.-]*:|\/|#)/gi, '$1="../../'));
  };
}
