/**
 * German sentences of `<otp-login>`, for `lang="de"` and its regions (strings.ts says what each
 * is), addressed as „Sie“.
 */
import type { Translation } from './languages.ts';

const translate: Translation = ({ clock, within }) => ({
  checking: 'Wir prüfen, ob Sie angemeldet sind…',

  labelEmailOrPhone: 'E-Mail-Adresse oder Handynummer',
  labelEmail: 'E-Mail-Adresse',
  labelPhone: 'Handynummer',
  channelLegend: 'Code senden per',
  channelEmail: 'E-Mail',
  channelSms: 'SMS',
  smsRisk: 'SMS lassen sich leichter abfangen als E-Mails. Wählen Sie wenn möglich E-Mail.',
  sendCode: 'Code senden',
  sending: 'Wird gesendet…',

  whyFirstSignIn: 'Offenbar Ihre erste Anmeldung in diesem Browser oder ein privates Fenster. Wir senden Ihnen einen Code, um zu prüfen, dass Sie es sind.',
  whyNoSavedSignIn:
    'Dieser Browser hat hier keine gespeicherte Anmeldung. Vielleicht melden Sie sich zum ersten Mal damit an, oder die gespeicherte Anmeldung wurde gelöscht. Sie brauchen daher einen Code.',
  whyPrivateWindow:
    'Offenbar ist dies ein privates Fenster. Private Fenster nutzen Ihre gespeicherten Anmeldungen nicht und vergessen neue beim Schließen. Sie brauchen daher einen Code.',
  whySignedOut: 'Sie haben sich in diesem Browser abgemeldet. Für eine neue Anmeldung brauchen Sie daher einen neuen Code.',
  whySessionOnly:
    'Bei Ihrer letzten Anmeldung hier haben Sie festgelegt, dass sich dieser Browser nicht an Sie erinnert. Sie brauchen daher einen neuen Code.',
  whyRevoked: 'Das Team der Website hat diesen Browser abgemeldet. Für eine neue Anmeldung brauchen Sie daher einen neuen Code.',
  whyExpired: 'Ihre gespeicherte Anmeldung in diesem Browser ist abgelaufen. Sie brauchen daher einen neuen Code.',
  whyDeactivated: 'Ihr Konto auf dieser Website wurde deaktiviert. Eine Anmeldung ist daher nicht möglich.',
  whyUnknownDevice: 'Die gespeicherte Anmeldung dieses Browsers wird nicht mehr erkannt. Sie brauchen daher einen neuen Code.',
  whyCookiesBlocked: 'Dieser Browser blockiert die Cookies dieser Anmeldung und kann sich daher nicht an Sie erinnern.',
  whyCookiesLikelyBlocked: 'Dieser Browser scheint hier Cookies zu blockieren und kann sich daher wahrscheinlich nicht an Sie erinnern.',
  whyCookiesBlockedEmbedded:
    'Diese Anmeldung ist von einer anderen Website eingebunden, und Ihr Browser blockiert hier wahrscheinlich ihre Cookies. Er kann sich daher nicht an Sie erinnern.',
  whyCookiesCleared: (who) =>
    `Sie haben sich hier schon einmal${who ? ` als ${who}` : ''} angemeldet, aber die Cookies dieses Browsers wurden wahrscheinlich gelöscht. Sie brauchen daher einen neuen Code.`,
  whyUnknown: 'Melden Sie sich mit einem Code an, den wir Ihnen senden.',

  tipAskTeam: 'Falls Sie das nicht erwartet haben, geben Sie bitte dem Team der Website Bescheid.',
  tipReactivate: 'Bitten Sie das Team der Website, es wieder zu aktivieren, oder melden Sie sich mit einer anderen E-Mail-Adresse oder Nummer an.',
  tipSignOutOnSharedOnly: 'Wenn Sie die Seite schließen, bleiben Sie angemeldet. Abmelden müssen Sie sich nur an einem gemeinsam genutzten Computer.',
  tipVisitToKeep: 'Jeder Besuch verlängert eine gespeicherte Anmeldung. Sie läuft also erst ab, wenn Sie lange nicht hier waren.',
  tipLeaveUnticked: 'Lassen Sie auf Ihrem eigenen Gerät „Diesen Browser nicht merken“ ohne Häkchen, damit Sie angemeldet bleiben.',
  tipAllowCookies: (host) => `Erlauben Sie Cookies für ${host}, um angemeldet zu bleiben. Bis dahin können Sie sich jedes Mal mit einem Code anmelden.`,
  tipCodeEachTime: 'Sie können sich trotzdem jedes Mal mit einem Code anmelden.',
  tipCookiesDeletedOnClose: (host) =>
    `Ihr Browser löscht Cookies möglicherweise beim Schließen. Erlauben Sie Cookies für ${host}, um angemeldet zu bleiben.`,
  tipNormalWindow: 'Damit sich der Browser an Sie erinnert, nutzen Sie ein normales Fenster.',
  tipCanRemember: 'Danach kann sich dieser Browser an Sie erinnern.',

  codeSentOnFile: ({ channel, time }) =>
    channel === 'sms'
      ? `Falls zu dieser E-Mail-Adresse eine Handynummer hinterlegt ist, haben wir einen Code um ${time} per SMS dorthin geschickt. Nach einer Minute noch nichts da? Wählen Sie „Andere E-Mail-Adresse verwenden“ und dann E-Mail.`
      : `Falls zu dieser Nummer eine E-Mail-Adresse hinterlegt ist, haben wir einen Code um ${time} per E-Mail dorthin geschickt. Nach einer Minute noch nichts da? Wählen Sie „Andere Nummer verwenden“ und dann SMS.`,
  codeSent: ({ destination, time }) => `Wir haben einen Code um ${time} an ${destination} gesendet.`,
  checkSpam: 'Nicht gefunden? Sehen Sie im Spam- oder Junk-Ordner nach.',
  smsPaused: (until, emailOffered) => {
    const instead = emailOffered ? 'nutzen Sie stattdessen Ihre E-Mail-Adresse' : until ? `versuchen Sie es nach ${until} noch einmal` : 'versuchen Sie es später noch einmal';
    return `SMS an Nummern, die bei uns neu sind, sind hier ${until ? `bis ${until}` : 'vorerst'} pausiert. Haben Sie sich mit dieser Nummer schon angemeldet, ist Ihr Code unterwegs; sonst ${instead}.`;
  },
  codeLabel: '6-stelliger Code',
  verify: 'Anmelden',
  verifying: 'Wird geprüft…',
  resend: 'Neuen Code senden',
  resendIn: (seconds) => `Neuen Code in ${clock(seconds)} senden`,
  resendNote: 'Sobald ein neuer Code gesendet wurde, gilt der vorherige nicht mehr.',
  changeIdentifier: (kind) => (kind === 'email' ? 'Andere E-Mail-Adresse verwenden' : 'Andere Nummer verwenden'),
  dontRemember: 'Diesen Browser nicht merken (gemeinsam genutzter Computer)',

  signedInAs: (who) => `Angemeldet als ${who}`,
  signedIn: 'Sie sind angemeldet.',
  rememberedUntil: (date) => `Dieser Browser bleibt bis zum ${date} angemeldet.`,
  rememberedForSession: 'Dieser Browser bleibt angemeldet, bis Sie ihn schließen – höchstens einen Tag lang.',
  notKept: 'Ihr Browser hat diese Anmeldung nicht gespeichert. Beim nächsten Besuch brauchen Sie daher einen Code.',
  signOut: 'Abmelden',
  signingOut: 'Wird abgemeldet…',

  errorMissingIdentifier: (channels) =>
    `Geben Sie ${channels.length === 2 ? 'Ihre E-Mail-Adresse oder Handynummer' : channels[0] === 'email' ? 'Ihre E-Mail-Adresse' : 'Ihre Handynummer'} ein, um einen Code zu erhalten.`,
  errorInvalidEmail: 'Diese E-Mail-Adresse scheint nicht zu stimmen. Bitte prüfen Sie sie und versuchen Sie es noch einmal.',
  errorInvalidPhone: 'Diese Nummer scheint nicht zu stimmen. Geben Sie die Ländervorwahl mit an, etwa +49 151 23456789.',
  errorPhoneDigits: 'Diese Nummer scheint nicht zu stimmen. Prüfen Sie die Ziffern nach der Ländervorwahl.',
  errorPhoneRefused: ({ reason, country, email }) => {
    const instead = email ? ' Nutzen Sie stattdessen Ihre E-Mail-Adresse.' : '';
    if (reason === 'country') return `An ${country ? `Nummern in diesem Land (${country})` : 'diese Nummer'} können wir keine SMS senden.${instead}`;
    const mobile = `Geben Sie eine Handynummer ein${email ? ' oder nutzen Sie Ihre E-Mail-Adresse' : ''}.`;
    if (reason === 'landline') return `Das scheint eine Festnetznummer zu sein, die keine SMS empfangen kann. ${mobile}`;
    const what = {
      premium_rate: 'Mehrwertdienstnummern',
      shared_cost: 'Shared-Cost-Nummern',
      toll_free: 'gebührenfreie Nummern',
      switchboard: 'Firmenzentralen',
      pager: 'Pager',
      voicemail: 'Mailbox-Nummern',
      personal_number: 'persönliche Weiterleitungsnummern',
    }[reason];
    return `An ${what} senden wir keine SMS. ${mobile}`;
  },
  errorInvalidRequest: 'Bei dieser Anfrage ist etwas schiefgelaufen. Laden Sie die Seite neu und versuchen Sie es noch einmal.',
  errorPayloadTooLarge: 'Das ist zu lang zum Senden. Prüfen Sie Ihre Eingabe und versuchen Sie es noch einmal.',
  errorRateLimited: (retryAfter, action) => {
    const when = retryAfter === undefined ? 'in ein paar Minuten' : within(retryAfter);
    return action === 'send'
      ? `Sie können ${when} wieder einen Code anfordern.`
      : `Zu viele Versuche. Bitte versuchen Sie es ${when} noch einmal.`;
  },
  errorNetworkLimited: (retryAfter, action) =>
    `Aus Ihrem Netzwerk wurden in der letzten Stunde zu viele Codes ${action === 'send' ? 'angefordert' : 'eingegeben'} (ein Büro oder ein Mobilfunknetz kann sich eine Adresse teilen). ` +
    `Versuchen Sie es ${retryAfter === undefined ? 'später' : within(retryAfter)} noch einmal, oder nutzen Sie eine andere Verbindung, etwa mobile Daten.`,
  errorSmsPrefixLimited: (retryAfter, emailOffered) =>
    `In der letzten Stunde wurden zu viele Codes per SMS an Nummern wie diese geschickt. Versuchen Sie es ${retryAfter === undefined ? 'später' : within(retryAfter)} noch einmal` +
    (emailOffered ? ', oder fordern Sie den Code stattdessen per E-Mail an.' : '.'),
  errorCodeStillValid: ({ time, onFile }) =>
    'Für einen neuen Code ist es noch zu früh. ' +
    (onFile === 'sms'
      ? `Falls zu dieser E-Mail-Adresse eine Handynummer hinterlegt ist, geben Sie den Code ein, den wir um ${time} per SMS dorthin geschickt haben.`
      : onFile === 'email'
        ? `Falls zu dieser Nummer eine E-Mail-Adresse hinterlegt ist, geben Sie den Code ein, den wir um ${time} per E-Mail dorthin geschickt haben.`
        : `Geben Sie den Code ein, den wir um ${time} gesendet haben.`),
  errorLocked: (typed, other) => {
    const what = typed === 'email' ? 'diese E-Mail-Adresse' : typed === 'phone' ? 'diese Nummer' : 'diese E-Mail-Adresse oder Nummer';
    const instead =
      other === 'phone'
        ? 'Melden Sie sich stattdessen mit Ihrer Handynummer an, oder bitten Sie'
        : other === 'email'
          ? 'Melden Sie sich stattdessen mit Ihrer E-Mail-Adresse an, oder bitten Sie'
          : 'Bitten Sie';
    return `Für ${what} wurden zu viele falsche Codes eingegeben. Zum Schutz Ihres Kontos nehmen wir dafür keine Codes mehr an. ${instead} das Team der Website um einen Anmeldelink.`;
  },
  errorDeliveryUnavailable: (channel, other) => {
    const what = channel === 'sms' ? 'SMS' : channel === 'email' ? 'E-Mails' : 'Codes';
    const instead =
      other === 'sms'
        ? 'Wählen Sie stattdessen SMS, oder versuchen Sie es'
        : other === 'email'
          ? 'Wählen Sie stattdessen E-Mail, oder versuchen Sie es'
          : 'Versuchen Sie es';
    return `Wir können gerade keine ${what} senden. ${instead} in ein paar Minuten noch einmal.`;
  },
  errorInvalidCodeFormat: 'Codes haben 6 Ziffern. Prüfen Sie den Code und versuchen Sie es noch einmal.',
  errorWrongCode: (attemptsLeft) =>
    attemptsLeft === undefined
      ? 'Dieser Code stimmt nicht. Bitte prüfen Sie ihn und versuchen Sie es noch einmal.'
      : attemptsLeft <= 0
        ? 'Dieser Code stimmt nicht und gilt nach zu vielen Versuchen nicht mehr. Fordern Sie einen neuen Code an.'
        : `Dieser Code stimmt nicht. Bitte prüfen Sie ihn und versuchen Sie es erneut (noch ${attemptsLeft} ${attemptsLeft === 1 ? 'Versuch' : 'Versuche'}).`,
  errorSupersededCode: ({ codeNumber, time }) => {
    const which = codeNumber === undefined ? 'Ein neuerer Code' : `Ein neuerer Code (Code ${codeNumber})`;
    const when = time === undefined ? '' : ` um ${time}`;
    return `${which} wurde${when} gesendet. Verwenden Sie den Code aus der neuesten Nachricht; die Eingabe eines älteren Codes hat einen seiner Versuche verbraucht.`;
  },
  errorExpiredCode: 'Dieser Code ist abgelaufen. Fordern Sie einen neuen an und geben Sie ihn bald nach dem Eintreffen ein.',
  errorTooManyAttempts: 'Zu viele falsche Versuche, daher gilt dieser Code nicht mehr. Wählen Sie „Neuen Code senden“.',
  errorNoActiveCode: 'Für diese E-Mail-Adresse oder Nummer liegt kein Code vor. Fordern Sie einen neuen Code an.',
  errorNetwork: 'Der Anmeldedienst ist nicht erreichbar. Prüfen Sie Ihre Internetverbindung und versuchen Sie es noch einmal.',
  errorUnavailable: 'Die Anmeldung ist kurz nicht verfügbar. Bitte versuchen Sie es in ein paar Sekunden noch einmal.',
  errorSessionCheck: (unreachable) =>
    unreachable
      ? 'Der Anmeldedienst ist nicht erreichbar, um Ihre Anmeldung zu prüfen. Wir versuchen es weiter; prüfen Sie Ihre Internetverbindung, falls es andauert.'
      : 'Ihre Anmeldung lässt sich gerade nicht prüfen. Wir versuchen es in ein paar Sekunden von selbst noch einmal.',
  errorForbiddenOrigin: 'Diese Seite ist noch nicht für diese Anmeldung eingerichtet. Bitte geben Sie dem Team der Website Bescheid.',
  errorNotSent: ({ channel, reason, replyTo, other }) => {
    const instead =
      other === 'email' ? ', oder verwenden Sie stattdessen Ihre E-Mail-Adresse' : other === 'sms' ? ', oder verwenden Sie stattdessen Ihre Handynummer' : '';
    if (channel === 'sms') {
      return reason === 'stop_reply'
        ? `Wir können dieser Nummer keine SMS senden, weil sie mit STOP geantwortet hat. Senden Sie START an ${replyTo ?? 'unsere Nummer'}, um unsere SMS wieder zu erhalten${instead}.`
        : `Wir können dieser Nummer gerade keine SMS senden. Prüfen Sie die Nummer${instead}.`;
    }
    const why =
      reason === 'bounce'
        ? 'unsere E-Mails an sie unzustellbar waren'
        : reason === 'spam_complaint'
          ? 'unsere E-Mail als Spam markiert wurde'
          : 'sie unsere E-Mails nicht mehr annimmt';
    return `Wir können an diese Adresse keine E-Mails senden, weil ${why}. Prüfen Sie die Adresse${instead}.`;
  },
  errorUnexpected: 'Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es gleich noch einmal.',
});

export default translate;
