/**
 * The server that served this script, the default `api` of the elements: the folder of
 * `import.meta.url`, the bundle's own URL (otp-login.js or otp-admin.js, both served by the sign-in
 * server). For a server at its own origin that is the origin, as SPEC says; for one mounted in a
 * site's app under /auth, `https://shop.example/auth`.
 */
export function defaultApi(): string {
  try {
    return new URL(/* @vite-ignore */ '.', import.meta.url).href.replace(/\/$/, '');
  } catch {
    return location.origin;
  }
}
