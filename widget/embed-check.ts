/**
 * The embed check for the site owner: when the server says this page is on another site than
 * itself (`crossSite` in its answers), the console says once what that costs and how to fix it.
 *
 * The sentence is for the site owner reading the console, not for the person signing in, so it
 * stays here in English rather than in strings.ts (like the ALLOWED_ORIGINS hint in api.ts).
 *
 * ```ts
 * checkEmbedding({ crossSite: session.crossSite, server: 'https://login.example.com', page: location.origin });
 * ```
 */

// Once per page load and server, however many elements or answers say it: the page load is the
// scope of a console warning, so this one module-level set is deliberate.
const warned = new Set<string>();

export interface Embedding {
  /** The server's flag; only `true` warns. Page origin ≠ server origin alone proves nothing (same site). */
  crossSite: boolean | undefined;
  /** The server's origin. */
  server: string;
  /** This page's origin. */
  page: string;
}

/** Returns whether it warned. */
export function checkEmbedding({ crossSite, server, page }: Embedding, log: Pick<Console, 'warn'> = console): boolean {
  if (crossSite !== true || warned.has(server)) return false;
  warned.add(server);
  log.warn(
    `otp-login: this page (${page}) signs in through ${server}, another site, so its cookie is a third-party one: ` +
      'Safari before 26.2 and some private modes will ask for a code on every visit. ' +
      `To fix it, serve the sign-in server under this site's own domain (e.g. reverse-proxy /auth/* on ${page} to it) ` +
      'and point the api attribute there; see the README section "Deploying on your own domain".',
  );
  return true;
}
