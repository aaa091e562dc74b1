/**
 * The browser family from its user agent, for the one difference explain.ts cares about: Safari
 * (and every browser on iOS, which all run WebKit) deletes storage a script wrote after 7 days
 * without a visit, so a missing marker there proves less.
 * @example browserFamily(navigator.userAgent) // 'safari' on an iPhone, whatever the app
 */
export type BrowserFamily = 'safari' | 'chromium' | 'firefox' | 'other';

export function browserFamily(userAgent: string): BrowserFamily {
  if (/Firefox\//.test(userAgent)) return 'firefox';
  if (/Chrome\/|Chromium\//.test(userAgent)) return 'chromium';
  // Chrome, Firefox and Edge on iOS (CriOS, FxiOS, EdgiOS) are WebKit with Safari's storage rules.
  if (/AppleWebKit\//.test(userAgent) && !/Android/.test(userAgent)) return 'safari';
  return 'other';
}
