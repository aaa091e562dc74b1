/**
 * Spanish sentences of `<otp-login>`, for `lang="es"` and its regions (strings.ts says what each
 * is): neutral Spanish, addressed as «tú», understood in Spain and Latin America alike.
 */
import type { Translation } from './languages.ts';

/** "la 1:05", "las 14:05": one o'clock takes the singular, in "a la 1:05" as in "hasta la 1:05". */
const the = (time: string) => `${/^1\D/.test(time) ? 'la' : 'las'} ${time}`;
/** "a la 1:05", "a las 14:05". */
const at = (time: string) => `a ${the(time)}`;

const translate: Translation = ({ clock, within }) => ({
  checking: 'Comprobando si ya has iniciado sesión…',

  labelEmailOrPhone: 'Correo electrónico o número de móvil',
  labelEmail: 'Correo electrónico',
  labelPhone: 'Número de móvil',
  channelLegend: 'Enviar el código por',
  channelEmail: 'Correo electrónico',
  channelSms: 'SMS',
  smsRisk: 'Los SMS son más fáciles de interceptar que el correo. Si puedes, elige Correo electrónico.',
  sendCode: 'Enviar código',
  sending: 'Enviando…',

  whyFirstSignIn: 'Parece tu primera vez en este navegador, o una ventana privada. Te enviaremos un código para confirmar que eres tú.',
  whyNoSavedSignIn:
    'Este navegador no tiene una sesión guardada en este sitio. Puede que sea la primera vez que inicias sesión en él o que se haya borrado la sesión guardada, así que necesitarás un código.',
  whyPrivateWindow:
    'Parece que estás en una ventana privada. Las ventanas privadas no usan tus sesiones guardadas y olvidan las nuevas al cerrarse, así que necesitarás un código.',
  whySignedOut: 'Cerraste sesión en este navegador, así que necesitarás un código nuevo para volver a entrar.',
  whySessionOnly: 'La última vez que iniciaste sesión aquí, elegiste que este navegador no te recordara, así que necesitarás un código nuevo.',
  whyRevoked: 'El equipo del sitio cerró la sesión de este navegador, así que necesitarás un código nuevo para volver a entrar.',
  whyExpired: 'Tu sesión guardada en este navegador ha expirado, así que necesitarás un código nuevo.',
  whyDeactivated: 'Tu cuenta en este sitio está desactivada, así que no se puede iniciar sesión con ella.',
  whyUnknownDevice: 'Ya no reconocemos la sesión guardada de este navegador, así que necesitarás un código nuevo.',
  whyCookiesBlocked: 'Este navegador está bloqueando las cookies de este inicio de sesión, así que no puede recordarte.',
  whyCookiesLikelyBlocked: 'Parece que este navegador bloquea las cookies aquí, así que probablemente no pueda recordarte.',
  whyCookiesBlockedEmbedded:
    'Este inicio de sesión está integrado desde otro sitio y es probable que tu navegador bloquee sus cookies aquí, así que no puede recordarte.',
  whyCookiesCleared: (who) =>
    `Ya iniciaste sesión aquí antes${who ? ` como ${who}` : ''}, pero es probable que se hayan borrado las cookies de este navegador, así que necesitarás un código nuevo.`,
  whyUnknown: 'Inicia sesión con un código que te enviaremos.',

  tipAskTeam: 'Si no esperabas esto, avisa al equipo del sitio.',
  tipReactivate: 'Pide al equipo del sitio que la vuelva a activar, o inicia sesión con otro correo o número.',
  tipSignOutOnSharedOnly: 'Cerrar la página no cierra tu sesión; solo tienes que cerrarla en un dispositivo compartido.',
  tipVisitToKeep: 'Cada visita mantiene activa la sesión guardada, así que solo expira si pasas mucho tiempo sin volver.',
  tipLeaveUnticked: 'En tu propio dispositivo, deja sin marcar «No recordar este navegador» para mantener la sesión iniciada.',
  tipAllowCookies: (host) =>
    `Permite las cookies de ${host} para mantener la sesión iniciada. Mientras tanto, puedes entrar con un código cada vez.`,
  tipCodeEachTime: 'Aun así, puedes iniciar sesión con un código cada vez.',
  tipCookiesDeletedOnClose: (host) =>
    `Puede que tu navegador borre las cookies al cerrarse; permite las cookies de ${host} para mantener la sesión iniciada.`,
  tipNormalWindow: 'Para que este navegador te recuerde, usa una ventana normal.',
  tipCanRemember: 'Después, este navegador podrá recordarte.',

  codeSentOnFile: ({ channel, time }) =>
    channel === 'sms'
      ? `Si hay un número de móvil registrado para este correo, le enviamos un código por SMS ${at(time)}. ¿No llega nada en un minuto? Pulsa «Usar otro correo» y elige Correo electrónico.`
      : `Si hay un correo electrónico registrado para este número, le enviamos un código ${at(time)}. ¿No llega nada en un minuto? Pulsa «Usar otro número» y elige SMS.`,
  codeSent: ({ destination, time }) => `Enviamos un código a ${destination} ${at(time)}.`,
  checkSpam: '¿No lo encuentras? Revisa tu carpeta de spam o de correo no deseado.',
  smsPaused: (until, emailOffered) => {
    const instead = emailOffered ? 'usa tu correo electrónico' : until ? `vuelve a intentarlo después de ${the(until)}` : 'vuelve a intentarlo más tarde';
    return `Los SMS a números nuevos para nosotros están en pausa aquí ${until ? `hasta ${the(until)}` : 'por ahora'}. Si ya iniciaste sesión con este número, tu código está en camino; si no, ${instead}.`;
  },
  codeLabel: 'Código de 6 dígitos',
  verify: 'Iniciar sesión',
  verifying: 'Comprobando…',
  resend: 'Enviar un código nuevo',
  resendIn: (seconds) => `Enviar un código nuevo en ${clock(seconds)}`,
  resendNote: 'Cuando se envíe un código nuevo, el anterior dejará de funcionar.',
  changeIdentifier: (kind) => (kind === 'email' ? 'Usar otro correo' : 'Usar otro número'),
  dontRemember: 'No recordar este navegador (dispositivo compartido)',

  signedInAs: (who) => `Sesión iniciada como ${who}`,
  signedIn: 'Has iniciado sesión.',
  rememberedUntil: (date) => `Este navegador mantendrá la sesión iniciada hasta el ${date}.`,
  rememberedForSession: 'Este navegador mantendrá la sesión iniciada hasta que lo cierres, durante un día como máximo.',
  notKept: 'Tu navegador no guardó este inicio de sesión, así que en tu próxima visita necesitarás un código.',
  signOut: 'Cerrar sesión',
  signingOut: 'Cerrando sesión…',

  errorMissingIdentifier: (channels) =>
    `Escribe ${channels.length === 2 ? 'tu correo electrónico o número de móvil' : channels[0] === 'email' ? 'tu correo electrónico' : 'tu número de móvil'} para recibir un código.`,
  errorInvalidEmail: 'Ese correo electrónico no parece correcto. Revísalo e inténtalo de nuevo.',
  errorInvalidPhone: 'Ese número no parece correcto. Incluye el prefijo del país, por ejemplo +34 612 34 56 78.',
  errorPhoneDigits: 'Ese número no parece correcto. Revisa los dígitos después del prefijo del país.',
  errorPhoneRefused: ({ reason, country, email }) => {
    const instead = email ? ' Usa tu correo electrónico en su lugar.' : '';
    if (reason === 'country') return `No podemos enviar SMS a ${country ? `números de este país (${country})` : 'este número'}.${instead}`;
    const mobile = `Escribe un número de móvil${email ? ' o usa tu correo electrónico' : ''}.`;
    if (reason === 'landline') return `Parece un número fijo, que no puede recibir SMS. ${mobile}`;
    const what = {
      premium_rate: 'números de tarificación adicional',
      shared_cost: 'números de coste compartido',
      toll_free: 'números gratuitos',
      switchboard: 'centralitas de empresa',
      pager: 'buscapersonas',
      voicemail: 'números de buzón de voz',
      personal_number: 'números de desvío personal',
    }[reason];
    return `No enviamos SMS a ${what}. ${mobile}`;
  },
  errorInvalidRequest: 'Algo salió mal con esa solicitud. Recarga la página e inténtalo de nuevo.',
  errorPayloadTooLarge: 'Es demasiado largo para enviarlo. Revisa lo que escribiste e inténtalo de nuevo.',
  errorRateLimited: (retryAfter, action) => {
    const when = retryAfter === undefined ? 'dentro de unos minutos' : within(retryAfter);
    return action === 'send'
      ? `Podrás volver a pedir un código ${when}.`
      : `Demasiados intentos. Vuelve a intentarlo ${when}.`;
  },
  errorNetworkLimited: (retryAfter, action) =>
    `Se ${action === 'send' ? 'pidieron' : 'introdujeron'} demasiados códigos desde tu red en la última hora (una oficina o una red móvil pueden compartir una misma dirección). ` +
    `Vuelve a intentarlo ${retryAfter === undefined ? 'más tarde' : within(retryAfter)} o usa otra conexión, como los datos móviles.`,
  errorSmsPrefixLimited: (retryAfter, emailOffered) =>
    `Se enviaron demasiados códigos por SMS a números como este en la última hora. Vuelve a intentarlo ${retryAfter === undefined ? 'más tarde' : within(retryAfter)}` +
    (emailOffered ? ' o pide el código por correo electrónico.' : '.'),
  errorCodeStillValid: ({ time, onFile }) =>
    'Aún es pronto para un código nuevo. ' +
    (onFile === 'sms'
      ? `Si hay un número de móvil registrado para este correo, escribe el código que le enviamos por SMS ${at(time)}.`
      : onFile === 'email'
        ? `Si hay un correo electrónico registrado para este número, escribe el código que le enviamos ${at(time)}.`
        : `Escribe el código que te enviamos ${at(time)}.`),
  errorLocked: (typed, other) => {
    const what = typed === 'email' ? 'este correo electrónico' : typed === 'phone' ? 'este número' : 'este correo o número';
    const instead =
      other === 'phone'
        ? 'En su lugar, inicia sesión con tu número de móvil o pide'
        : other === 'email'
          ? 'En su lugar, inicia sesión con tu correo electrónico o pide'
          : 'Pide';
    return `Se introdujeron demasiados códigos incorrectos para ${what}, así que dejamos de aceptar sus códigos para proteger tu cuenta. ${instead} un enlace de acceso al equipo del sitio.`;
  },
  errorDeliveryUnavailable: (channel, other) => {
    const what = channel === 'sms' ? 'SMS' : channel === 'email' ? 'correos electrónicos' : 'códigos';
    const instead = other === 'sms' ? 'Elige SMS o vuelve a intentarlo' : other === 'email' ? 'Elige correo electrónico o vuelve a intentarlo' : 'Vuelve a intentarlo';
    return `Ahora mismo no podemos enviar ${what}. ${instead} dentro de unos minutos.`;
  },
  errorInvalidCodeFormat: 'Los códigos tienen 6 dígitos. Revisa el código e inténtalo de nuevo.',
  errorWrongCode: (attemptsLeft) =>
    attemptsLeft === undefined
      ? 'Ese código no es correcto. Revísalo e inténtalo de nuevo.'
      : attemptsLeft <= 0
        ? 'Ese código no es correcto y, tras demasiados intentos, ya no funciona. Pide un código nuevo.'
        : `Ese código no es correcto. Revísalo e inténtalo de nuevo (${attemptsLeft === 1 ? 'te queda 1 intento' : `te quedan ${attemptsLeft} intentos`}).`,
  errorSupersededCode: ({ codeNumber, time }) => {
    const which = codeNumber === undefined ? '' : ` (el código ${codeNumber})`;
    const when = time === undefined ? '' : ` ${at(time)}`;
    return `Se envió un código más reciente${which}${when}. Usa el código del mensaje más reciente; escribir un código anterior gastó uno de sus intentos.`;
  },
  errorExpiredCode: 'Ese código ha expirado. Pide uno nuevo y escríbelo poco después de recibirlo.',
  errorTooManyAttempts: 'Demasiados intentos fallidos, así que ese código ya no funciona. Pulsa «Enviar un código nuevo».',
  errorNoActiveCode: 'No hay ningún código pendiente para este correo o número. Pide un código nuevo.',
  errorNetwork: 'No pudimos conectar con el servicio de inicio de sesión. Revisa tu conexión e inténtalo de nuevo.',
  errorUnavailable: 'El inicio de sesión no está disponible por un momento. Inténtalo de nuevo en unos segundos.',
  errorSessionCheck: (unreachable) =>
    unreachable
      ? 'No podemos conectar con el servicio para comprobar que has iniciado sesión. Seguiremos intentándolo; revisa tu conexión si esto continúa.'
      : 'Ahora mismo no podemos comprobar que has iniciado sesión. Lo intentaremos de nuevo en unos segundos.',
  errorForbiddenOrigin: 'Esta página aún no está configurada para usar este inicio de sesión. Avisa al equipo del sitio, por favor.',
  errorNotSent: ({ channel, reason, replyTo, other }) => {
    const instead = other === 'email' ? ' o usa tu correo electrónico' : other === 'sms' ? ' o usa tu número de móvil' : '';
    if (channel === 'sms') {
      return reason === 'stop_reply'
        ? `No podemos enviar SMS a este número porque respondió STOP. Envía START ${replyTo ? `al ${replyTo}` : 'a nuestro número'} para volver a recibir nuestros SMS${instead}.`
        : `Ahora mismo no podemos enviar SMS a este número. Revisa el número${instead}.`;
    }
    const why =
      reason === 'bounce'
        ? 'nuestros correos a esta dirección rebotaron'
        : reason === 'spam_complaint'
          ? 'nuestro correo se marcó como spam'
          : 'ya no acepta nuestros correos';
    return `No podemos enviar correos a esta dirección porque ${why}. Revisa la dirección${instead}.`;
  },
  errorUnexpected: 'Algo falló por nuestra parte. Inténtalo de nuevo en un momento.',
});

export default translate;
