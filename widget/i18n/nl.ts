/**
 * Dutch sentences of `<otp-login>`, for `lang="nl"` and its regions (strings.ts says what each
 * is), addressed as ‘je’.
 */
import type { Translation } from './languages.ts';

const translate: Translation = ({ clock, within }) => ({
  checking: 'We controleren of je bent ingelogd…',

  labelEmailOrPhone: 'E-mailadres of mobiel nummer',
  labelEmail: 'E-mailadres',
  labelPhone: 'Mobiel nummer',
  channelLegend: 'Code ontvangen via',
  channelEmail: 'E-mail',
  channelSms: 'Sms',
  smsRisk: 'Een sms is makkelijker te onderscheppen dan een e-mail. Kies als het kan E-mail.',
  sendCode: 'Code versturen',
  sending: 'Versturen…',

  whyFirstSignIn: 'Dit lijkt je eerste keer in deze browser, of een privévenster. We sturen je een code om te controleren dat jij het bent.',
  whyNoSavedSignIn:
    'Deze browser heeft hier geen opgeslagen login. Misschien log je er voor het eerst mee in, of is de opgeslagen login gewist. Je hebt dus een code nodig.',
  whyPrivateWindow:
    'Het lijkt erop dat dit een privévenster is. Privévensters gebruiken je opgeslagen logins niet en vergeten nieuwe zodra ze sluiten. Je hebt dus een code nodig.',
  whySignedOut: 'Je bent uitgelogd in deze browser. Om weer in te loggen heb je dus een nieuwe code nodig.',
  whySessionOnly: 'Toen je hier de vorige keer inlogde, koos je ervoor dat deze browser je niet onthoudt. Je hebt dus een nieuwe code nodig.',
  whyRevoked: 'Het team van de site heeft deze browser uitgelogd. Om weer in te loggen heb je dus een nieuwe code nodig.',
  whyExpired: 'Je opgeslagen login in deze browser is verlopen. Je hebt dus een nieuwe code nodig.',
  whyDeactivated: 'Je account op deze site is uitgeschakeld. Inloggen is daardoor niet mogelijk.',
  whyUnknownDevice: 'De opgeslagen login van deze browser wordt niet meer herkend. Je hebt dus een nieuwe code nodig.',
  whyCookiesBlocked: 'Deze browser blokkeert cookies voor deze login en kan je daardoor niet onthouden.',
  whyCookiesLikelyBlocked: 'Deze browser lijkt hier cookies te blokkeren en kan je daardoor waarschijnlijk niet onthouden.',
  whyCookiesBlockedEmbedded:
    'Deze login is ingesloten vanaf een andere site, en je browser blokkeert hier waarschijnlijk de cookies ervan. Daardoor kan hij je niet onthouden.',
  whyCookiesCleared: (who) =>
    `Je bent hier eerder ingelogd${who ? ` als ${who}` : ''}, maar de cookies van deze browser zijn waarschijnlijk gewist. Je hebt dus een nieuwe code nodig.`,
  whyUnknown: 'Log in met een code die we je sturen.',

  tipAskTeam: 'Had je dit niet verwacht? Laat het team van de site het weten.',
  tipReactivate: 'Vraag het team van de site om je account weer in te schakelen, of log in met een ander e-mailadres of nummer.',
  tipSignOutOnSharedOnly: 'Als je de pagina sluit, blijf je ingelogd. Uitloggen hoeft alleen op een gedeelde computer.',
  tipVisitToKeep: 'Elk bezoek verlengt een opgeslagen login, dus die verloopt pas als je lang wegblijft.',
  tipLeaveUnticked: 'Laat op je eigen apparaat ‘Deze browser niet onthouden’ uitgevinkt om ingelogd te blijven.',
  tipAllowCookies: (host) => `Sta cookies toe voor ${host} om ingelogd te blijven. Tot die tijd kun je elke keer inloggen met een code.`,
  tipCodeEachTime: 'Je kunt wel elke keer inloggen met een code.',
  tipCookiesDeletedOnClose: (host) =>
    `Je browser wist misschien cookies wanneer je hem sluit. Sta cookies toe voor ${host} om ingelogd te blijven.`,
  tipNormalWindow: 'Gebruik een normaal venster om onthouden te worden.',
  tipCanRemember: 'Daarna kan deze browser je onthouden.',

  codeSentOnFile: ({ channel, time }) =>
    channel === 'sms'
      ? `Als er bij dit e-mailadres een mobiel nummer bekend is, hebben we om ${time} een code per sms naar dat nummer gestuurd. Na een minuut nog niets? Kies ‘Ander e-mailadres gebruiken’ en dan E-mail.`
      : `Als er bij dit nummer een e-mailadres bekend is, hebben we om ${time} een code naar dat adres gemaild. Na een minuut nog niets? Kies ‘Ander nummer gebruiken’ en dan Sms.`,
  codeSent: ({ destination, time }) => `We hebben om ${time} een code gestuurd naar ${destination}.`,
  checkSpam: 'Kun je hem niet vinden? Kijk in je map met spam of ongewenste e-mail.',
  smsPaused: (until, emailOffered) => {
    const instead = emailOffered ? 'gebruik dan je e-mailadres' : until ? `probeer het na ${until} opnieuw` : 'probeer het later opnieuw';
    return `Sms’jes naar nummers die nieuw voor ons zijn, staan hier ${until ? `tot ${until}` : 'voorlopig'} stil. Heb je al eerder met dit nummer ingelogd, dan is je code onderweg; zo niet, ${instead}.`;
  },
  codeLabel: 'Code van 6 cijfers',
  verify: 'Inloggen',
  verifying: 'Controleren…',
  resend: 'Nieuwe code versturen',
  resendIn: (seconds) => `Over ${clock(seconds)} nieuwe code versturen`,
  resendNote: 'Zodra er een nieuwe code is verstuurd, werkt de vorige niet meer.',
  changeIdentifier: (kind) => (kind === 'email' ? 'Ander e-mailadres gebruiken' : 'Ander nummer gebruiken'),
  dontRemember: 'Deze browser niet onthouden (gedeelde computer)',

  signedInAs: (who) => `Ingelogd als ${who}`,
  signedIn: 'Je bent ingelogd.',
  rememberedUntil: (date) => `Deze browser blijft ingelogd tot ${date}.`,
  rememberedForSession: 'Deze browser blijft ingelogd tot je hem sluit, maximaal een dag.',
  notKept: 'Je browser heeft deze login niet bewaard. Bij je volgende bezoek heb je dus een code nodig.',
  signOut: 'Uitloggen',
  signingOut: 'Uitloggen…',

  errorMissingIdentifier: (channels) =>
    `Vul ${channels.length === 2 ? 'je e-mailadres of mobiele nummer' : channels[0] === 'email' ? 'je e-mailadres' : 'je mobiele nummer'} in om een code te krijgen.`,
  errorInvalidEmail: 'Dat e-mailadres lijkt niet te kloppen. Controleer het en probeer het opnieuw.',
  errorInvalidPhone: 'Dat nummer lijkt niet te kloppen. Zet de landcode ervoor, bijvoorbeeld +31 6 12345678.',
  errorPhoneDigits: 'Dat nummer lijkt niet te kloppen. Controleer de cijfers na de landcode.',
  errorPhoneRefused: ({ reason, country, email }) => {
    const instead = email ? ' Gebruik in plaats daarvan je e-mailadres.' : '';
    if (reason === 'country') return `We kunnen geen sms’jes sturen naar ${country ? `nummers in dit land (${country})` : 'dit nummer'}.${instead}`;
    const mobile = `Vul een mobiel nummer in${email ? ' of gebruik je e-mailadres' : ''}.`;
    if (reason === 'landline') return `Dit lijkt een vast nummer, dat geen sms’jes kan ontvangen. ${mobile}`;
    const what = {
      premium_rate: 'betaalnummers',
      shared_cost: 'nummers met gedeelde kosten',
      toll_free: 'gratis nummers',
      switchboard: 'bedrijfscentrales',
      pager: 'piepers',
      voicemail: 'voicemailnummers',
      personal_number: 'persoonlijke doorschakelnummers',
    }[reason];
    return `We sturen geen sms’jes naar ${what}. ${mobile}`;
  },
  errorInvalidRequest: 'Er ging iets mis met dat verzoek. Laad de pagina opnieuw en probeer het nog eens.',
  errorPayloadTooLarge: 'Dat is te lang om te versturen. Controleer wat je hebt getypt en probeer het opnieuw.',
  errorRateLimited: (retryAfter, action) => {
    const when = retryAfter === undefined ? 'over een paar minuten' : within(retryAfter);
    return action === 'send'
      ? `Je kunt ${when} weer een code aanvragen.`
      : `Te veel pogingen. Probeer het ${when} opnieuw.`;
  },
  errorNetworkLimited: (retryAfter, action) =>
    `Vanaf je netwerk zijn het afgelopen uur te veel codes ${action === 'send' ? 'aangevraagd' : 'ingevuld'} (een kantoor of een mobiel netwerk kan één adres delen). ` +
    `Probeer het ${retryAfter === undefined ? 'later' : within(retryAfter)} opnieuw, of gebruik een andere verbinding, zoals mobiele data.`,
  errorSmsPrefixLimited: (retryAfter, emailOffered) =>
    `Het afgelopen uur zijn te veel codes per sms gestuurd naar nummers zoals dit. Probeer het ${retryAfter === undefined ? 'later' : within(retryAfter)} opnieuw` +
    (emailOffered ? ', of vraag de code per e-mail aan.' : '.'),
  errorCodeStillValid: ({ time, onFile }) =>
    'Het is nog te vroeg voor een nieuwe code. ' +
    (onFile === 'sms'
      ? `Als er bij dit e-mailadres een mobiel nummer bekend is, vul dan de code in die we om ${time} per sms naar dat nummer hebben gestuurd.`
      : onFile === 'email'
        ? `Als er bij dit nummer een e-mailadres bekend is, vul dan de code in die we om ${time} naar dat adres hebben gemaild.`
        : `Vul de code in die we om ${time} hebben gestuurd.`),
  errorLocked: (typed, other) => {
    const what = typed === 'email' ? 'dit e-mailadres' : typed === 'phone' ? 'dit nummer' : 'dit e-mailadres of nummer';
    const instead =
      other === 'phone'
        ? 'Log dan in met je mobiele nummer, of vraag'
        : other === 'email'
          ? 'Log dan in met je e-mailadres, of vraag'
          : 'Vraag';
    return `Er zijn te veel verkeerde codes ingevoerd voor ${what}. Om je account te beschermen accepteren we er geen codes meer voor. ${instead} het team van de site om een inloglink.`;
  },
  errorDeliveryUnavailable: (channel, other) => {
    const what = channel === 'sms' ? 'sms’jes' : channel === 'email' ? 'e-mails' : 'codes';
    const instead =
      other === 'sms' ? 'Kies sms of probeer het' : other === 'email' ? 'Kies e-mail of probeer het' : 'Probeer het';
    return `We kunnen nu even geen ${what} versturen. ${instead} over een paar minuten opnieuw.`;
  },
  errorInvalidCodeFormat: 'Codes hebben 6 cijfers. Controleer de code en probeer het opnieuw.',
  errorWrongCode: (attemptsLeft) =>
    attemptsLeft === undefined
      ? 'Die code klopt niet. Controleer hem en probeer het opnieuw.'
      : attemptsLeft <= 0
        ? 'Die code klopt niet en werkt na te veel pogingen niet meer. Vraag een nieuwe code aan.'
        : `Die code klopt niet. Controleer hem en probeer het opnieuw (nog ${attemptsLeft} ${attemptsLeft === 1 ? 'poging' : 'pogingen'} over).`,
  errorSupersededCode: ({ codeNumber, time }) => {
    const which = codeNumber === undefined ? '' : ` (code ${codeNumber})`;
    const when = time === undefined ? '' : ` om ${time}`;
    return `Er is${when} een nieuwere code${which} verstuurd. Gebruik de code uit het nieuwste bericht; een oudere code invullen kostte een van zijn pogingen.`;
  },
  errorExpiredCode: 'Die code is verlopen. Vraag een nieuwe aan en vul hem snel na ontvangst in.',
  errorTooManyAttempts: 'Te veel verkeerde pogingen, dus die code werkt niet meer. Kies ‘Nieuwe code versturen’.',
  errorNoActiveCode: 'Er staat geen code klaar voor dit e-mailadres of nummer. Vraag een nieuwe code aan.',
  errorNetwork: 'We konden de inlogdienst niet bereiken. Controleer je verbinding en probeer het opnieuw.',
  errorUnavailable: 'Inloggen is even niet beschikbaar. Probeer het over een paar seconden opnieuw.',
  errorSessionCheck: (unreachable) =>
    unreachable
      ? 'We kunnen de inlogdienst niet bereiken om te controleren of je bent ingelogd. We blijven het proberen; controleer je verbinding als dit aanhoudt.'
      : 'We kunnen nu niet controleren of je bent ingelogd. Over een paar seconden proberen we het vanzelf opnieuw.',
  errorForbiddenOrigin: 'Deze pagina is nog niet ingesteld voor deze login. Laat het team van de site het even weten.',
  errorNotSent: ({ channel, reason, replyTo, other }) => {
    const instead = other === 'email' ? ', of gebruik je e-mailadres' : other === 'sms' ? ', of gebruik je mobiele nummer' : '';
    if (channel === 'sms') {
      return reason === 'stop_reply'
        ? `We kunnen dit nummer geen sms sturen, omdat het STOP heeft geantwoord. Stuur START naar ${replyTo ?? 'ons nummer'} om onze sms’jes weer te ontvangen${instead}.`
        : `We kunnen dit nummer nu geen sms sturen. Controleer het nummer${instead}.`;
    }
    const why =
      reason === 'bounce'
        ? 'onze e-mails naar dit adres zijn teruggekomen'
        : reason === 'spam_complaint'
          ? 'onze e-mail als spam is gemarkeerd'
          : 'het onze e-mails niet meer aanneemt';
    return `We kunnen dit adres niet mailen, omdat ${why}. Controleer het adres${instead}.`;
  },
  errorUnexpected: 'Er ging bij ons iets mis. Probeer het zo meteen opnieuw.',
});

export default translate;
