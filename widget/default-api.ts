/**
 * The server that served this script, the default `api` of the elements: `import.meta.url` is the
 * bundle's own URL (otp-login.js or otp-admin.js, both served by the sign-in server).
 */
export function defaultApi(): string {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return location.origin;
  }
}
