import { LRUCache } from 'lru-cache';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Clock } from '../clock.ts';
import type { Contact } from '../contacts/contacts.ts';
import type { IdentityKeys, SigningJwk } from './identity-keys.ts';

/** How long an identity token is good for: long enough to reach the site's backend, no longer. */
export const TOKEN_TTL_SECONDS = 300;
/** A cached token is handed out again only while it has at least this long to live. */
const REUSE_FOR_SECONDS = 240;

export interface IdentityToken {
  token: string;
  /** ISO time. */
  expiresAt: string;
}

/**
 * Proof of who signed in, for the site's own backend (issue 7): a JWT signed with ES256 by the
 * key in `keys` (its `kid` in the header, its public half at /.well-known/jwks.json), naming the
 * server (`iss`), the page's origin it was made for (`aud`), the contact (`sub`) and their
 * addresses with whether each was proved by a code or link (OpenID Connect's claim names).
 * A token for the same contact, page and key is reused for a minute, so page loads stay cheap.
 */
export function createIdentityTokens({ keys, clock }: { keys: IdentityKeys; clock: Clock }) {
  const recent = new LRUCache<string, { token: string; exp: number }>({ max: 10_000 });
  // The private key, imported once per key: importing it at every signature (as hono/jwt's sign
  // does) made a mint three times slower (460 → 150 µs).
  const imported = new Map<string, KeyObject>();
  const privateKey = (key: SigningJwk) => {
    if (!imported.has(key.kid)) imported.set(key.kid, createPrivateKey({ key, format: 'jwk' }));
    return imported.get(key.kid)!;
  };
  return {
    /** `issuer`: PUBLIC_URL (or this server's origin); `audience`: the page's origin. */
    async mint(contact: Contact, { issuer, audience }: { issuer: string; audience: string }): Promise<IdentityToken> {
      const key = await keys.signing();
      const now = Math.floor(clock.now() / 1000);
      const cacheKey = `${key.kid}\n${issuer}\n${contact.id}\n${audience}\n${contact.email}\n${contact.phone}\n${contact.emailVerifiedAt}\n${contact.phoneVerifiedAt}`;
      const cached = recent.get(cacheKey);
      if (cached && cached.exp - now >= REUSE_FOR_SECONDS) return { token: cached.token, expiresAt: new Date(cached.exp * 1000).toISOString() };
      const exp = now + TOKEN_TTL_SECONDS;
      const token = await new SignJWT({
        ...(contact.email && { email: contact.email, email_verified: contact.emailVerifiedAt !== null }),
        ...(contact.phone && { phone_number: contact.phone, phone_number_verified: contact.phoneVerifiedAt !== null }),
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: key.kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(contact.id)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(privateKey(key));
      recent.set(cacheKey, { token, exp });
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    },
  };
}

export type IdentityTokens = ReturnType<typeof createIdentityTokens>;
