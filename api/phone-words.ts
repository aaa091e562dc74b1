/**
 * What is said, in English, when a number cannot receive our text messages: the widget's sentence
 * (widget/strings.ts) and the admin's, when "Add a contact", "Edit details" or a CSV import is given
 * such a number as the contact's mobile number. One source, so the admin reads exactly what the
 * contact would. Imports nothing at run time: both the widget's bundle and the server take it.
 */

/**
 * Why the server refuses to text a number (its `invalid_phone` error's `reason`): outside the
 * countries the site texts, or a kind of number that cannot receive a text or that SMS pumping uses.
 */
export type PhoneRefusal = 'country' | 'landline' | 'premium_rate' | 'shared_cost' | 'toll_free' | 'switchboard' | 'pager' | 'voicemail' | 'personal_number';

/**
 * The sentence for a refused number. `country`: the region's name (for `country`), when known;
 * `email`: whether the reader may use an email address instead (the widget offers email).
 * @example phoneRefusedSentence({ reason: 'landline', country: undefined, email: false })
 * // 'This looks like a landline, which can’t receive text messages. Enter a mobile number.'
 */
export function phoneRefusedSentence({ reason, country, email }: { reason: PhoneRefusal; country: string | undefined; email: boolean }): string {
  const instead = email ? ' Use your email address instead.' : '';
  if (reason === 'country') return `We can’t send text messages to ${country ? `numbers in ${country}` : 'this number'}.${instead || ' Enter a mobile number from another country.'}`;
  const mobile = `Enter a mobile number${email ? ', or use your email address' : ''}.`;
  if (reason === 'landline') return `This looks like a landline, which can’t receive text messages. ${mobile}`;
  const what = {
    premium_rate: 'premium-rate numbers',
    shared_cost: 'shared-cost numbers',
    toll_free: 'toll-free numbers',
    switchboard: 'company switchboard numbers',
    pager: 'pagers',
    voicemail: 'voicemail numbers',
    personal_number: 'personal forwarding numbers',
  }[reason];
  return `We don’t send text messages to ${what}. ${mobile}`;
}
