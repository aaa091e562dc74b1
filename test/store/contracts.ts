import { adminContract } from './admin.contract.ts';
import { codeLogContract } from './code-log.contract.ts';
import { contactsContract } from './contacts.contract.ts';
import { deliveriesContract } from './deliveries.contract.ts';
import { devicesContract } from './devices.contract.ts';
import type { MakeEngine } from './engine.ts';
import { hotContract } from './hot.contract.ts';
import { identityKeysContract } from './identity-keys.contract.ts';
import { linksContract } from './links.contract.ts';
import { outgoingEventsContract } from './outgoing-events.contract.ts';
import { signInAttemptsContract } from './sign-in-attempts.contract.ts';
import { smsTextsContract } from './sms-texts.contract.ts';

/** Every contract suite: each engine's test file runs them all, so an engine is done when they pass. */
export const contracts: ReadonlyArray<(make: MakeEngine) => void> = [
  contactsContract, devicesContract, deliveriesContract, codeLogContract, linksContract, outgoingEventsContract, adminContract, hotContract, identityKeysContract, smsTextsContract, signInAttemptsContract,
];
