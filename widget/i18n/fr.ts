/**
 * French sentences of `<otp-login>`, for `lang="fr"` and its regions (strings.ts says what each is).
 * French typography: a narrow no-break space (U+202F) before ? ! ; and inside « », a no-break
 * space (U+00A0) before a colon, so no line ever starts with a lone sign.
 */
import type { Translation } from './languages.ts';

const translate: Translation = ({ clock, within }) => ({
  checking: 'Vérification de votre connexion…',

  labelEmailOrPhone: 'Adresse e-mail ou numéro de mobile',
  labelEmail: 'Adresse e-mail',
  labelPhone: 'Numéro de mobile',
  channelLegend: 'Recevoir le code par',
  channelEmail: 'E-mail',
  channelSms: 'SMS',
  smsRisk: 'Un SMS s’intercepte plus facilement qu’un e-mail. Si vous le pouvez, choisissez E-mail.',
  sendCode: 'Recevoir un code',
  sending: 'Envoi…',

  whyFirstSignIn: 'Il semble que ce soit votre première connexion ici, ou une navigation privée. Nous vous envoyons un code pour vérifier que c’est bien vous.',
  whyNoSavedSignIn:
    'Ce navigateur n’a pas de connexion enregistrée ici. C’est peut-être votre première connexion sur ce navigateur, ou elle a été effacée : il vous faut donc un code.',
  whyPrivateWindow:
    'Il semble que vous soyez en navigation privée. Une fenêtre privée n’utilise pas vos connexions enregistrées et oublie les nouvelles à sa fermeture : il vous faut donc un code.',
  whySignedOut: 'Vous avez fermé votre session sur ce navigateur : il vous faut donc un nouveau code pour vous reconnecter.',
  whySessionOnly:
    'Lors de votre dernière connexion ici, vous avez demandé à ce navigateur de ne pas se souvenir de vous : il vous faut donc un nouveau code.',
  whyRevoked: 'L’équipe du site a déconnecté ce navigateur : il vous faut donc un nouveau code pour vous reconnecter.',
  whyExpired: 'Votre connexion enregistrée sur ce navigateur a expiré : il vous faut donc un nouveau code.',
  whyDeactivated: 'Votre compte sur ce site a été désactivé : il ne permet donc plus de vous connecter.',
  whyUnknownDevice: 'La connexion enregistrée de ce navigateur n’est plus reconnue : il vous faut donc un nouveau code.',
  whyCookiesBlocked: 'Ce navigateur bloque les cookies de ce service de connexion : il ne peut donc pas se souvenir de vous.',
  whyCookiesLikelyBlocked: 'Ce navigateur semble bloquer les cookies ici : il ne pourra probablement pas se souvenir de vous.',
  whyCookiesBlockedEmbedded:
    'Ce service de connexion est intégré depuis un autre site, et votre navigateur bloque probablement ses cookies ici : il ne peut donc pas se souvenir de vous.',
  whyCookiesCleared: (who) =>
    `Vous avez déjà ouvert une session ici${who ? ` en tant que ${who}` : ''}, mais les cookies de ce navigateur ont probablement été effacés : il vous faut donc un nouveau code.`,
  whyUnknown: 'Connectez-vous avec un code que nous vous envoyons.',

  tipAskTeam: 'Si vous ne vous y attendiez pas, prévenez l’équipe du site.',
  tipReactivate: 'Contactez l’équipe du site pour le réactiver, ou connectez-vous avec une autre adresse e-mail ou un autre numéro.',
  tipSignOutOnSharedOnly: 'Fermer la page ne vous déconnecte pas ; il suffit de vous déconnecter sur un ordinateur partagé.',
  tipVisitToKeep: 'Chaque visite prolonge la connexion enregistrée : elle n’expire qu’après une longue absence.',
  tipLeaveUnticked: 'Sur votre propre appareil, laissez « Ne pas mémoriser ce navigateur » décoché pour garder votre session ouverte.',
  tipAllowCookies: (host) =>
    `Autorisez les cookies de ${host} pour garder votre session ouverte. En attendant, vous pouvez vous connecter avec un code à chaque fois.`,
  tipCodeEachTime: 'Vous pouvez toujours vous connecter avec un code à chaque fois.',
  tipCookiesDeletedOnClose: (host) =>
    `Votre navigateur efface peut-être les cookies à sa fermeture ; autorisez les cookies de ${host} pour garder votre session ouverte.`,
  tipNormalWindow: 'Pour que ce navigateur se souvienne de vous, utilisez une fenêtre normale.',
  tipCanRemember: 'Ensuite, ce navigateur pourra se souvenir de vous.',

  codeSentOnFile: ({ channel, time }) =>
    channel === 'sms'
      ? `Si un numéro de mobile est associé à cette adresse e-mail, un code y a été envoyé par SMS à ${time}. Rien reçu au bout d’une minute ? Choisissez « Utiliser une autre adresse e-mail », puis E-mail.`
      : `Si une adresse e-mail est associée à ce numéro, un code y a été envoyé par e-mail à ${time}. Rien reçu au bout d’une minute ? Choisissez « Utiliser un autre numéro », puis SMS.`,
  codeSent: ({ destination, time }) => `À ${time}, nous avons envoyé un code à ${destination}.`,
  checkSpam: 'Vous ne le trouvez pas ? Regardez dans vos spams ou courriers indésirables.',
  smsPaused: (until, emailOffered) => {
    const instead = emailOffered ? 'utilisez plutôt votre adresse e-mail' : until ? `réessayez après ${until}` : 'réessayez plus tard';
    return `Les SMS vers les numéros nouveaux pour nous sont suspendus ici ${until ? `jusqu’à ${until}` : 'pour le moment'}. Si vous vous êtes déjà connecté avec ce numéro, votre code est en route ; sinon, ${instead}.`;
  },
  codeLabel: 'Code à 6 chiffres',
  verify: 'Se connecter',
  verifying: 'Vérification…',
  resend: 'Envoyer un nouveau code',
  resendIn: (seconds) => `Nouveau code dans ${clock(seconds)}`,
  resendNote: 'Dès qu’un nouveau code est envoyé, le précédent ne fonctionne plus.',
  changeIdentifier: (kind) => (kind === 'email' ? 'Utiliser une autre adresse e-mail' : 'Utiliser un autre numéro'),
  dontRemember: 'Ne pas mémoriser ce navigateur (ordinateur partagé)',

  signedInAs: (who) => `Session ouverte en tant que ${who}`,
  signedIn: 'Votre session est ouverte.',
  rememberedUntil: (date) => `Ce navigateur garde votre session ouverte jusqu’au ${date}.`,
  rememberedForSession: 'Ce navigateur garde votre session ouverte jusqu’à sa fermeture, pendant une journée au plus.',
  notKept: 'Votre navigateur n’a pas conservé cette connexion : lors de votre prochaine visite, il vous faudra un code.',
  signOut: 'Se déconnecter',
  signingOut: 'Déconnexion…',

  errorMissingIdentifier: (channels) =>
    `Saisissez ${channels.length === 2 ? 'votre adresse e-mail ou votre numéro de mobile' : channels[0] === 'email' ? 'votre adresse e-mail' : 'votre numéro de mobile'} pour recevoir un code.`,
  errorInvalidEmail: 'Cette adresse e-mail semble incorrecte. Vérifiez-la et réessayez.',
  errorInvalidPhone: 'Ce numéro semble incorrect. Ajoutez l’indicatif du pays, par exemple +33 6 12 34 56 78.',
  errorPhoneDigits: 'Ce numéro semble incorrect. Vérifiez les chiffres après l’indicatif du pays.',
  errorPhoneRefused: ({ reason, country, email }) => {
    const instead = email ? ' Utilisez plutôt votre adresse e-mail.' : '';
    if (reason === 'country') return `Nous ne pouvons pas envoyer de SMS ${country ? `aux numéros de ce pays (${country})` : 'à ce numéro'}.${instead}`;
    const mobile = `Saisissez un numéro de mobile${email ? ', ou utilisez votre adresse e-mail' : ''}.`;
    if (reason === 'landline') return `Ce numéro semble être une ligne fixe, qui ne peut pas recevoir de SMS. ${mobile}`;
    const what = {
      premium_rate: 'aux numéros surtaxés',
      shared_cost: 'aux numéros à coût partagé',
      toll_free: 'aux numéros gratuits',
      switchboard: 'aux standards d’entreprise',
      pager: 'aux bipeurs',
      voicemail: 'aux numéros de messagerie vocale',
      personal_number: 'aux numéros de renvoi personnels',
    }[reason];
    return `Nous n’envoyons pas de SMS ${what}. ${mobile}`;
  },
  errorInvalidRequest: 'Un problème est survenu avec cette demande. Rechargez la page et réessayez.',
  errorPayloadTooLarge: 'C’est trop long pour être envoyé. Vérifiez votre saisie et réessayez.',
  errorRateLimited: (retryAfter, action) => {
    const when = retryAfter === undefined ? 'dans quelques minutes' : within(retryAfter);
    return action === 'send'
      ? `Vous pourrez redemander un code ${when}.`
      : `Trop de tentatives. Réessayez ${when}.`;
  },
  errorNetworkLimited: (retryAfter, action) =>
    `Trop de codes ont été ${action === 'send' ? 'demandés' : 'saisis'} depuis votre réseau au cours de la dernière heure (un bureau ou un réseau mobile peuvent partager une même adresse). ` +
    `Réessayez ${retryAfter === undefined ? 'plus tard' : within(retryAfter)}, ou utilisez une autre connexion, comme les données mobiles.`,
  errorSmsPrefixLimited: (retryAfter, emailOffered) =>
    `Trop de codes ont été envoyés par SMS à des numéros comme celui-ci au cours de la dernière heure. Réessayez ${retryAfter === undefined ? 'plus tard' : within(retryAfter)}` +
    (emailOffered ? ', ou demandez plutôt le code par e-mail.' : '.'),
  errorCodeStillValid: ({ time, onFile }) =>
    'Il est trop tôt pour un nouveau code. ' +
    (onFile === 'sms'
      ? `Si un numéro de mobile est associé à cette adresse e-mail, saisissez le code que nous y avons envoyé par SMS à ${time}.`
      : onFile === 'email'
        ? `Si une adresse e-mail est associée à ce numéro, saisissez le code que nous y avons envoyé par e-mail à ${time}.`
        : `Saisissez le code que nous avons envoyé à ${time}.`),
  errorLocked: (typed, other) => {
    const what = typed === 'email' ? 'cette adresse e-mail' : typed === 'phone' ? 'ce numéro' : 'cette adresse e-mail ou ce numéro';
    const instead =
      other === 'phone'
        ? 'Connectez-vous plutôt avec votre numéro de mobile, ou demandez'
        : other === 'email'
          ? 'Connectez-vous plutôt avec votre adresse e-mail, ou demandez'
          : 'Demandez';
    return `Trop de codes erronés ont été saisis pour ${what} : pour protéger votre compte, nous avons bloqué la connexion par code. ${instead} un lien de connexion à l’équipe du site.`;
  },
  errorDeliveryUnavailable: (channel, other) => {
    const what = channel === 'sms' ? 'de SMS' : channel === 'email' ? 'd’e-mail' : 'de code';
    const instead = other === 'sms' ? 'Choisissez plutôt le SMS, ou réessayez' : other === 'email' ? 'Choisissez plutôt l’e-mail, ou réessayez' : 'Réessayez';
    return `Nous ne pouvons pas envoyer ${what} pour le moment. ${instead} dans quelques minutes.`;
  },
  errorInvalidCodeFormat: 'Les codes comportent 6 chiffres. Vérifiez le code et réessayez.',
  errorWrongCode: (attemptsLeft) =>
    attemptsLeft === undefined
      ? 'Ce code est incorrect. Vérifiez-le et réessayez.'
      : attemptsLeft <= 0
        ? 'Ce code est incorrect et ne fonctionne plus après trop de tentatives. Demandez un nouveau code.'
        : `Ce code est incorrect. Vérifiez-le et réessayez (il vous reste ${attemptsLeft} ${attemptsLeft === 1 ? 'essai' : 'essais'}).`,
  errorSupersededCode: ({ codeNumber, time }) => {
    const which = codeNumber === undefined ? 'Un code plus récent' : `Un code plus récent (le code ${codeNumber})`;
    const when = time === undefined ? '' : ` à ${time}`;
    return `${which} a été envoyé${when}. Utilisez le code du message le plus récent ; saisir un ancien code a utilisé une de ses tentatives.`;
  },
  errorExpiredCode: 'Ce code a expiré. Demandez-en un nouveau et saisissez-le dès qu’il arrive.',
  errorTooManyAttempts: 'Trop de tentatives erronées : ce code ne fonctionne plus. Choisissez « Envoyer un nouveau code ».',
  errorNoActiveCode: 'Aucun code n’est en attente pour cette adresse e-mail ou ce numéro. Demandez un nouveau code.',
  errorNetwork: 'Impossible de joindre le service de connexion. Vérifiez votre connexion Internet et réessayez.',
  errorUnavailable: 'La connexion est indisponible pour un instant. Réessayez dans quelques secondes.',
  errorSessionCheck: (unreachable) =>
    unreachable
      ? 'Impossible de joindre le service de connexion pour vérifier que vous êtes connecté. Nous réessayons ; vérifiez votre connexion Internet si cela dure.'
      : 'Impossible de vérifier votre connexion pour le moment. Nous réessayons tout seuls dans quelques secondes.',
  errorForbiddenOrigin: 'Cette page n’est pas encore configurée pour ce service de connexion. Merci de prévenir l’équipe du site.',
  errorNotSent: ({ channel, reason, replyTo, other }) => {
    const instead = other === 'email' ? ', ou utilisez plutôt votre adresse e-mail' : other === 'sms' ? ', ou utilisez plutôt votre numéro de mobile' : '';
    if (channel === 'sms') {
      return reason === 'stop_reply'
        ? `Nous ne pouvons pas envoyer de SMS à ce numéro, car il a répondu STOP. Envoyez START ${replyTo ? `au ${replyTo}` : 'à notre numéro'} pour recevoir de nouveau nos SMS${instead}.`
        : `Nous ne pouvons pas envoyer de SMS à ce numéro pour le moment. Vérifiez le numéro${instead}.`;
    }
    const why =
      reason === 'bounce'
        ? 'nos e-mails vers cette adresse ont été rejetés'
        : reason === 'spam_complaint'
          ? 'notre e-mail a été signalé comme spam'
          : 'elle n’accepte plus nos e-mails';
    return `Nous ne pouvons pas envoyer d’e-mail à cette adresse, car ${why}. Vérifiez l’adresse${instead}.`;
  },
  errorUnexpected: 'Un problème est survenu de notre côté. Réessayez dans un instant.',
});

export default translate;
