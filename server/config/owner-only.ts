import { chmodSync, closeSync, openSync, statSync } from 'node:fs';

/**
 * Narrows a file in DATA_DIR to its owner (0600) when others may read it: files SQLite or an older
 * version created in a DATA_DIR that already existed follow the umask (usually 0644), and they hold
 * contacts' addresses and keys. A file that is missing, or that this user may not change (a secret
 * mounted read-only by the platform), is left as it is: the platform owns its permissions then.
 */
export function ownerOnly(file: string): void {
  try {
    if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
  } catch (error) {
    if (!['ENOENT', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}

/** Creates `file` empty and readable by its owner only, unless it exists (then narrows it). */
export function createOwnerOnly(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  ownerOnly(file);
}
