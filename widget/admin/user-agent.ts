/**
 * Browser and operating system from a user agent, in the few words an admin needs to tell a
 * contact's remembered browsers apart ("Chrome on Windows"). Deliberately tiny: the four browsers
 * and five systems most contacts use; anything else is `null` rather than a wrong guess.
 *
 * @example describeUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) … CriOS/138.0 …')
 * // { browser: 'Chrome', os: 'iOS' }
 */
export type Browser = 'Chrome' | 'Firefox' | 'Safari' | 'Edge';
export type OperatingSystem = 'Windows' | 'macOS' | 'Linux' | 'Android' | 'iOS';

export interface UserAgentInfo {
  browser: Browser | null;
  os: OperatingSystem | null;
}

// Chromium browsers that would otherwise read as Chrome; naming them Chrome would mislead.
const otherChromium = /\b(OPR|Opera|SamsungBrowser|YaBrowser|Vivaldi|UCBrowser)\//;

export function describeUserAgent(userAgent: string): UserAgentInfo {
  return { browser: browserOf(userAgent), os: osOf(userAgent) };
}

function browserOf(ua: string): Browser | null {
  // Order matters: Edge says Chrome and Safari too, Chrome says Safari.
  if (/\bEdg(e|A|iOS)?\//.test(ua)) return 'Edge';
  if (/\b(Firefox|FxiOS)\//.test(ua)) return 'Firefox';
  if (otherChromium.test(ua)) return null;
  if (/\b(Chrome|CriOS)\//.test(ua)) return 'Chrome';
  if (/\bVersion\/[\d.]+.*\bSafari\//.test(ua)) return 'Safari';
  return null;
}

function osOf(ua: string): OperatingSystem | null {
  // iPhones say "like Mac OS X" and Android says Linux, so each is checked first.
  if (/\b(iPhone|iPad|iPod)\b/.test(ua)) return 'iOS';
  if (/\bAndroid\b/.test(ua)) return 'Android';
  if (/\bWindows\b/.test(ua)) return 'Windows';
  if (/\bMac OS X\b|\bMacintosh\b/.test(ua)) return 'macOS';
  if (/\bLinux\b|\bX11\b/.test(ua)) return 'Linux';
  return null;
}
