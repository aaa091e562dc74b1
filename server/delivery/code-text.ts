/**
 * The words of a code message in each language the widget speaks (widget/i18n), chosen by the
 * language the widget sends with the code request. Written for each language, not word for word;
 * each keeps the code's number, the minutes, and "only the newest code works".
 */
export const MESSAGE_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'nl'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

interface CodeText {
  subject: (code: string, site: string, n: number) => string;
  /** The line above the big code in the HTML email. */
  intro: (site: string) => string;
  first: (site: string, code: string) => string;
  /** `until` is the time in UTC, in the language's style (api/time-style.ts): "2:10 PM", "14:10". */
  second: (n: number, minutes: number, until: string) => string;
  ignore: string;
  sms: (code: string, site: string, n: number, minutes: number) => string;
}

export const codeText: Record<MessageLanguage, CodeText> = {
  en: {
    subject: (code, site, n) => `Your code ${code} for ${site} — code ${n}`,
    intro: (site) => `Your sign-in code for ${site} is`,
    first: (site, code) => `Your sign-in code for ${site} is ${code}.`,
    second: (n, m, until) => `This is code ${n}. It works for ${m} minutes (until ${until} UTC), and only the newest code works, so if you asked more than once, use the newest message.`,
    ignore: "If you didn't ask to sign in, you can ignore this email: nobody can sign in without the code.",
    sms: (code, site, n, m) => `${code} is your ${site} sign-in code (code ${n}). It expires in ${m} minutes. Don't share it.`,
  },
  es: {
    subject: (code, site, n) => `Tu código ${code} para ${site} — código ${n}`,
    intro: (site) => `Tu código para iniciar sesión en ${site} es`,
    first: (site, code) => `Tu código para iniciar sesión en ${site} es ${code}.`,
    second: (n, m, until) => `Es el código ${n}. Sirve durante ${m} minutos (hasta las ${until} UTC) y solo funciona el más reciente: si lo pediste más de una vez, usa el último mensaje.`,
    ignore: 'Si no intentaste iniciar sesión, puedes ignorar este correo: nadie puede entrar sin el código.',
    sms: (code, site, n, m) => `${code} es tu código para iniciar sesión en ${site} (código ${n}). Caduca en ${m} minutos. No lo compartas.`,
  },
  fr: {
    subject: (code, site, n) => `Votre code ${code} pour ${site} — code ${n}`,
    intro: (site) => `Votre code de connexion à ${site} est`,
    first: (site, code) => `Votre code de connexion à ${site} est ${code}.`,
    second: (n, m, until) => `C’est le code ${n}. Il est valable ${m} minutes (jusqu’à ${until} UTC) et seul le plus récent fonctionne\u202f: si vous en avez demandé plusieurs, utilisez le dernier message.`,
    ignore: 'Si vous n’avez pas demandé à vous connecter, ignorez cet e-mail\u202f: personne ne peut se connecter sans le code.',
    sms: (code, site, n, m) => `${code} est votre code de connexion à ${site} (code ${n}). Il expire dans ${m} minutes. Ne le partagez pas.`,
  },
  de: {
    subject: (code, site, n) => `Ihr Code ${code} für ${site} – Code ${n}`,
    intro: (site) => `Ihr Anmeldecode für ${site} lautet`,
    first: (site, code) => `Ihr Anmeldecode für ${site} lautet ${code}.`,
    second: (n, m, until) => `Das ist Code ${n}. Er gilt ${m} Minuten (bis ${until} Uhr UTC), und nur der neueste Code funktioniert. Wenn Sie mehrmals angefragt haben, verwenden Sie die neueste Nachricht.`,
    ignore: 'Wenn Sie sich nicht anmelden wollten, können Sie diese E-Mail ignorieren: Ohne den Code kann sich niemand anmelden.',
    sms: (code, site, n, m) => `${code} ist Ihr Anmeldecode für ${site} (Code ${n}). Er läuft in ${m} Minuten ab. Geben Sie ihn nicht weiter.`,
  },
  pt: {
    subject: (code, site, n) => `Seu código ${code} para ${site} — código ${n}`,
    intro: (site) => `Seu código de acesso a ${site} é`,
    first: (site, code) => `Seu código de acesso a ${site} é ${code}.`,
    second: (n, m, until) => `Este é o código ${n}. Ele vale por ${m} minutos (até ${until} UTC) e só o mais recente funciona: se você pediu mais de uma vez, use a mensagem mais recente.`,
    ignore: 'Se você não pediu para entrar, pode ignorar este e-mail: ninguém consegue entrar sem o código.',
    sms: (code, site, n, m) => `${code} é seu código de acesso a ${site} (código ${n}). Ele expira em ${m} minutos. Não compartilhe.`,
  },
  nl: {
    subject: (code, site, n) => `Je code ${code} voor ${site} — code ${n}`,
    intro: (site) => `Je inlogcode voor ${site} is`,
    first: (site, code) => `Je inlogcode voor ${site} is ${code}.`,
    second: (n, m, until) => `Dit is code ${n}. Hij werkt ${m} minuten (tot ${until} UTC) en alleen de nieuwste code werkt: heb je meer dan eens gevraagd, gebruik dan het nieuwste bericht.`,
    ignore: 'Wilde je niet inloggen? Dan kun je deze e-mail negeren: zonder de code kan niemand inloggen.',
    sms: (code, site, n, m) => `${code} is je inlogcode voor ${site} (code ${n}). Hij verloopt over ${m} minuten. Deel hem met niemand.`,
  },
};

/** The message language for a language tag: its base language when we write it, else English. */
export function messageLanguage(tag: string | undefined): MessageLanguage {
  const base = tag?.toLowerCase().split(/[-_]/)[0];
  return (MESSAGE_LANGUAGES as readonly string[]).includes(base ?? '') ? (base as MessageLanguage) : 'en';
}
