/**
 * `npm run rotate-keys`: a new key signs identity tokens from now on. The previous key stays
 * published at /.well-known/jwks.json, so tokens already handed out (five minutes at most) still
 * verify; a running server picks the new key up within ten seconds. Like main.ts, an entry point:
 * it reads DATA_DIR from the environment.
 */
import { rotateIdentityKeys } from './identity-keys.ts';

const dataDir = process.env.DATA_DIR || './data';
const kid = rotateIdentityKeys(dataDir);
console.log(`A new key (kid ${kid}) now signs identity tokens; the previous one stays published for the tokens it signed. Key file: ${dataDir}/identity-keys.json`);
