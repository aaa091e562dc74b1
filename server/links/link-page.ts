import { escapeHtml } from '../html.ts';
import { colourDefaults } from '../../widget/colour-defaults.ts';
import type { LinkKind } from './links.ts';

/** The widget's default colours as page variables: light, and dark where the system asks for it. */
const colours = (scheme: 0 | 1) =>
  Object.entries(colourDefaults)
    .map(([name, pair]) => `--${name}:${pair[scheme]};`)
    .join('');

/**
 * The page's whole look, inline: it needs nothing else from this server, so it looks the same when
 * otp-login is mounted in a site's own app without the demo (README, "Install from npm").
 */
const styles = `:root{color-scheme:light dark;${colours(0)}}
@media (prefers-color-scheme: dark){:root{${colours(1)}}}
*{box-sizing:border-box}
body{margin:0;padding:1rem;background:var(--bg);color:var(--text);font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5}
main{display:block;max-width:26rem;margin:8vh auto 0;padding:1.5rem;border:1px solid var(--border);border-radius:.75rem}
.site{margin:0;color:var(--muted);font-weight:600}
h1{margin:.25rem 0 1rem;font-size:1.375rem;line-height:1.3}
p{margin:0 0 1rem}
.hint{color:var(--muted)}
button{display:block;width:100%;min-height:2.75rem;padding:.5rem 1.25rem;font:inherit;font-weight:600;color:var(--accent-text);background:var(--accent);border:1px solid var(--accent);border-radius:.375rem;cursor:pointer}
button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
button:disabled{cursor:not-allowed;opacity:.75}
a{color:var(--accent)}
[role=alert]:empty{display:none}
[role=alert]{margin:1rem 0 0;padding:.75rem 1rem;color:var(--error);background:var(--error-bg);border-left:4px solid var(--error);border-radius:.375rem}`;

/** A finished page under the site's name; inline code carries the answer's CSP nonce (http/security-headers.ts). */
export function linkPage({ nonce, siteName, title, body }: { nonce: string; siteName: string; title: string; body: string }) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(siteName)}</title><style nonce="${escapeHtml(nonce)}">${styles}</style></head>
<body><main><p class="site">${escapeHtml(siteName)}</p><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

type LinkFailure = 'unknown' | 'used' | 'expired' | 'cancelled';

/** Why a link works no more, and what to do now; the page and the redeem answer say the same. */
export function linkFailure(reason: LinkFailure, kind: LinkKind | undefined, { siteName, invitationDays, linkMinutes }: { siteName: string; invitationDays: number; linkMinutes: number }) {
  const invitation = kind === 'invitation';
  const what = invitation ? 'invitation' : 'sign-in link';
  const instead = `Sign in with a code to the same email address or phone number, or ask the ${siteName} team for a new ${what}.`;
  switch (reason) {
    case 'used':
      return { title: `This ${what} was already used`, sentence: `Each ${what} works once. If you used it before, ${invitation ? 'you have an account now: ' : ''}sign in with a code instead; otherwise ask the ${siteName} team for a new ${what}.` };
    case 'expired':
      return {
        title: `This ${what} has expired`,
        sentence: `${invitation ? `Invitations work for ${invitationDays} day${invitationDays === 1 ? '' : 's'}` : `Sign-in links work for ${linkMinutes} minutes`}. ${instead}`,
      };
    case 'cancelled':
      return { title: `This ${what} no longer works`, sentence: `The address it was sent to was changed since. ${instead}` };
    default:
      return { title: 'This sign-in link is not valid', sentence: `Check that the whole link was copied. ${instead}` };
  }
}
