import { getDomain } from 'tldts';

/**
 * The "site" browsers use for SameSite and third-party cookie rules: scheme plus registrable domain
 * (from the public suffix list), or the whole host for IP addresses and single-label hosts.
 * @example siteOf('https://www.acme.co.uk:8443') // 'https://acme.co.uk'
 */
export function siteOf(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${getDomain(url.hostname) ?? url.hostname}`;
}

/** Whether a page at `pageOrigin` embeds a server at `serverOrigin` from another site. */
export const isCrossSite = (pageOrigin: string, serverOrigin: string) => siteOf(pageOrigin) !== siteOf(serverOrigin);
