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

/**
 * Whether a page at `pageOrigin` embeds a server at `serverOrigin` from another site. `serverSite`,
 * when the caller worked it out once already (config.publicSite), spares reading the suffix list again.
 */
export const isCrossSite = (pageOrigin: string, serverOrigin: string, serverSite = siteOf(serverOrigin)) => siteOf(pageOrigin) !== serverSite;
