/**
 * The default colours of the otp- elements, apart from Lit so the server's own pages (the sign-in
 * link page, server/links/link-page.ts) wear the same ones.
 */

/** The default of each colour property `--otp-<name>`: [light, dark]. */
export const colourDefaults = {
  text: ['#1f2328', '#e6edf3'],
  muted: ['#57606a', '#9da7b3'],
  bg: ['#fff', '#1f2328'],
  border: ['#d0d7de', '#3d444d'],
  accent: ['#0b57d0', '#8ab4f8'],
  'accent-text': ['#fff', '#0b1d3a'],
  error: ['#b42318', '#ff9c96'],
  'error-bg': ['#fef3f2', '#3a1f1f'],
  'input-bg': ['#fff', '#161a1f'],
  'input-border': ['#6e7781', '#7d8590'],
} as const;
