/**
 * Portuguese sentences of `<otp-login>` (Brazilian, addressed as “você”), for `lang="pt"` and its
 * regions, `pt-PT` included (strings.ts says what each is).
 */
import type { Translation } from './languages.ts';

/** One o'clock takes the singular article: "à 1:05" but "às 14:05". */
const oneOClock = (time: string) => /^1\D/.test(time);
/** "à 1:05", "às 14:05". */
const at = (time: string) => `${oneOClock(time) ? 'à' : 'às'} ${time}`;
/** "depois da 1:05", "depois das 14:05". */
const after = (time: string) => `depois ${oneOClock(time) ? 'da' : 'das'} ${time}`;

const translate: Translation = ({ clock, within }) => ({
  checking: 'Verificando seu login…',

  labelEmailOrPhone: 'E-mail ou número de celular',
  labelEmail: 'E-mail',
  labelPhone: 'Número de celular',
  channelLegend: 'Receber o código por',
  channelEmail: 'E-mail',
  channelSms: 'SMS',
  smsRisk: 'SMS é mais fácil de interceptar do que e-mail. Se puder, escolha E-mail.',
  sendCode: 'Enviar código',
  sending: 'Enviando…',

  whyFirstSignIn: 'Parece sua primeira vez neste navegador, ou uma janela anônima. Vamos enviar um código para confirmar que é você.',
  whyNoSavedSignIn:
    'Este navegador não tem um login salvo aqui. Talvez seja a primeira vez que você entra por ele, ou o login salvo foi apagado, então você vai precisar de um código.',
  whyPrivateWindow:
    'Parece que esta é uma janela anônima. Janelas anônimas não usam seus logins salvos e esquecem os novos ao fechar, então você vai precisar de um código.',
  whySignedOut: 'Você saiu da sua conta neste navegador, então vai precisar de um novo código para entrar de novo.',
  whySessionOnly: 'Da última vez que você entrou aqui, pediu para este navegador não lembrar de você, então vai precisar de um novo código.',
  whyRevoked: 'A equipe do site desconectou este navegador, então você vai precisar de um novo código para entrar de novo.',
  whyExpired: 'Seu login salvo neste navegador expirou, então você vai precisar de um novo código.',
  whyDeactivated: 'Sua conta neste site foi desativada, então não é possível entrar com ela.',
  whyUnknownDevice: 'O login salvo deste navegador não é mais reconhecido, então você vai precisar de um novo código.',
  whyCookiesBlocked: 'Este navegador está bloqueando os cookies deste login, então não consegue lembrar de você.',
  whyCookiesLikelyBlocked: 'Este navegador parece bloquear cookies aqui, então provavelmente não vai conseguir lembrar de você.',
  whyCookiesBlockedEmbedded:
    'Este login vem de outro site, e seu navegador provavelmente bloqueia os cookies dele aqui, então não consegue lembrar de você.',
  whyCookiesCleared: (who) =>
    `Você já entrou aqui antes${who ? ` como ${who}` : ''}, mas os cookies deste navegador provavelmente foram apagados, então você vai precisar de um novo código.`,
  whyUnknown: 'Entre com um código que vamos enviar para você.',

  tipAskTeam: 'Se você não esperava por isso, avise a equipe do site.',
  tipReactivate: 'Fale com a equipe do site para reativá-la, ou entre com outro e-mail ou número.',
  tipSignOutOnSharedOnly: 'Fechar a página não encerra sua sessão; você só precisa sair em um computador compartilhado.',
  tipVisitToKeep: 'Cada visita mantém o login salvo ativo, então ele só expira depois de muito tempo sem você voltar.',
  tipLeaveUnticked: 'No seu próprio dispositivo, deixe “Não lembrar deste navegador” desmarcado para manter o login.',
  tipAllowCookies: (host) => `Permita cookies de ${host} para manter o login. Até lá, você pode entrar com um código a cada vez.`,
  tipCodeEachTime: 'Você ainda pode entrar com um código a cada vez.',
  tipCookiesDeletedOnClose: (host) => `Seu navegador pode apagar os cookies ao fechar; permita cookies de ${host} para manter o login.`,
  tipNormalWindow: 'Para que o navegador lembre de você, use uma janela normal.',
  tipCanRemember: 'Depois, este navegador pode lembrar de você.',

  codeSentOnFile: ({ channel, time }) =>
    channel === 'sms'
      ? `Se houver um número de celular cadastrado para este e-mail, enviamos um código por SMS para ele ${at(time)}. Não chegou nada em um minuto? Toque em “Usar outro e-mail” e escolha E-mail.`
      : `Se houver um e-mail cadastrado para este número, enviamos um código para ele ${at(time)}. Não chegou nada em um minuto? Toque em “Usar outro número” e escolha SMS.`,
  codeSent: ({ destination, time }) => `Enviamos um código para ${destination} ${at(time)}.`,
  checkSpam: 'Não encontrou? Confira sua pasta de spam ou lixo eletrônico.',
  smsPaused: (until, emailOffered) => {
    const instead = emailOffered ? 'use seu e-mail' : until ? `tente de novo ${after(until)}` : 'tente de novo mais tarde';
    return `Os SMS para números novos para nós estão pausados aqui ${until ? `até ${until}` : 'por enquanto'}. Se você já entrou com este número, seu código está a caminho; se não, ${instead}.`;
  },
  codeLabel: 'Código de 6 dígitos',
  verify: 'Entrar',
  verifying: 'Verificando…',
  resend: 'Enviar novo código',
  resendIn: (seconds) => `Enviar novo código em ${clock(seconds)}`,
  resendNote: 'Quando um novo código for enviado, o anterior deixa de funcionar.',
  changeIdentifier: (kind) => (kind === 'email' ? 'Usar outro e-mail' : 'Usar outro número'),
  dontRemember: 'Não lembrar deste navegador (computador compartilhado)',

  signedInAs: (who) => `Você entrou como ${who}`,
  signedIn: 'Você entrou na sua conta.',
  rememberedUntil: (date) => `Este navegador fica conectado até ${date}.`,
  rememberedForSession: 'Este navegador fica conectado até você fechá-lo, por no máximo um dia.',
  notKept: 'Seu navegador não guardou este login, então na próxima visita você vai precisar de um código.',
  signOut: 'Sair',
  signingOut: 'Saindo…',

  errorMissingIdentifier: (channels) =>
    `Digite ${channels.length === 2 ? 'seu e-mail ou número de celular' : channels[0] === 'email' ? 'seu e-mail' : 'seu número de celular'} para receber um código.`,
  errorInvalidEmail: 'Esse e-mail não parece correto. Confira e tente de novo.',
  errorInvalidPhone: 'Esse número não parece correto. Inclua o código do país, como +55 11 91234-5678.',
  errorPhoneDigits: 'Esse número não parece correto. Confira os dígitos depois do código do país.',
  errorPhoneRefused: ({ reason, country, email }) => {
    const instead = email ? ' Use seu e-mail em vez disso.' : '';
    if (reason === 'country') return `Não conseguimos enviar SMS para ${country ? `números deste país (${country})` : 'este número'}.${instead}`;
    const mobile = `Digite um número de celular${email ? ' ou use seu e-mail' : ''}.`;
    if (reason === 'landline') return `Parece um número fixo, que não recebe SMS. ${mobile}`;
    const what = {
      premium_rate: 'números de tarifa especial',
      shared_cost: 'números de custo compartilhado',
      toll_free: 'números gratuitos',
      switchboard: 'centrais telefônicas de empresas',
      pager: 'pagers',
      voicemail: 'números de correio de voz',
      personal_number: 'números de encaminhamento pessoal',
    }[reason];
    return `Não enviamos SMS para ${what}. ${mobile}`;
  },
  errorInvalidRequest: 'Algo deu errado com essa solicitação. Recarregue a página e tente de novo.',
  errorPayloadTooLarge: 'Isso é longo demais para enviar. Confira o que você digitou e tente de novo.',
  errorRateLimited: (retryAfter, action) => {
    const when = retryAfter === undefined ? 'em alguns minutos' : within(retryAfter);
    return action === 'send'
      ? `Você poderá pedir um código de novo ${when}.`
      : `Muitas tentativas. Tente de novo ${when}.`;
  },
  errorNetworkLimited: (retryAfter, action) =>
    `Foram ${action === 'send' ? 'pedidos' : 'digitados'} códigos demais a partir da sua rede na última hora (um escritório ou uma rede móvel podem compartilhar um mesmo endereço). ` +
    `Tente de novo ${retryAfter === undefined ? 'mais tarde' : within(retryAfter)} ou use outra conexão, como os dados móveis.`,
  errorSmsPrefixLimited: (retryAfter, emailOffered) =>
    `Foram enviados códigos demais por SMS para números parecidos com este na última hora. Tente de novo ${retryAfter === undefined ? 'mais tarde' : within(retryAfter)}` +
    (emailOffered ? ' ou peça o código por e-mail.' : '.'),
  errorCodeStillValid: ({ time, onFile }) =>
    'Ainda é cedo para um novo código. ' +
    (onFile === 'sms'
      ? `Se houver um número de celular cadastrado para este e-mail, digite o código que enviamos por SMS para ele ${at(time)}.`
      : onFile === 'email'
        ? `Se houver um e-mail cadastrado para este número, digite o código que enviamos para ele ${at(time)}.`
        : `Digite o código que enviamos ${at(time)}.`),
  errorLocked: (typed, other) => {
    const what = typed === 'email' ? 'este e-mail' : typed === 'phone' ? 'este número' : 'este e-mail ou número';
    const instead =
      other === 'phone'
        ? 'Em vez disso, entre com seu número de celular ou peça'
        : other === 'email'
          ? 'Em vez disso, entre com seu e-mail ou peça'
          : 'Peça';
    return `Muitos códigos errados foram digitados para ${what}, então, para proteger sua conta, paramos de aceitar códigos para ele. ${instead} um link de acesso à equipe do site.`;
  },
  errorDeliveryUnavailable: (channel, other) => {
    const what = channel === 'sms' ? 'SMS' : channel === 'email' ? 'e-mails' : 'códigos';
    const instead = other === 'sms' ? 'Escolha SMS ou tente de novo' : other === 'email' ? 'Escolha e-mail ou tente de novo' : 'Tente de novo';
    return `Não conseguimos enviar ${what} agora. ${instead} em alguns minutos.`;
  },
  errorInvalidCodeFormat: 'Os códigos têm 6 dígitos. Confira o código e tente de novo.',
  errorWrongCode: (attemptsLeft) =>
    attemptsLeft === undefined
      ? 'Esse código não está certo. Confira e tente de novo.'
      : attemptsLeft <= 0
        ? 'Esse código não está certo e deixou de funcionar depois de muitas tentativas. Peça um novo código.'
        : `Esse código não está certo. Confira e tente de novo (${attemptsLeft === 1 ? 'resta 1 tentativa' : `restam ${attemptsLeft} tentativas`}).`,
  errorSupersededCode: ({ codeNumber, time }) => {
    const which = codeNumber === undefined ? 'Um código mais recente' : `Um código mais recente (o código ${codeNumber})`;
    const when = time === undefined ? '' : ` ${at(time)}`;
    return `${which} foi enviado${when}. Use o código da mensagem mais recente; digitar um código anterior gastou uma das tentativas dele.`;
  },
  errorExpiredCode: 'Esse código expirou. Peça um novo e digite-o logo depois que ele chegar.',
  errorTooManyAttempts: 'Muitas tentativas erradas, então esse código não funciona mais. Toque em “Enviar novo código”.',
  errorNoActiveCode: 'Não há nenhum código pendente para este e-mail ou número. Peça um novo código.',
  errorNetwork: 'Não conseguimos acessar o serviço de login. Confira sua conexão e tente de novo.',
  errorUnavailable: 'O login está indisponível por um momento. Tente de novo em alguns segundos.',
  errorSessionCheck: (unreachable) =>
    unreachable
      ? 'Não conseguimos acessar o serviço para confirmar que você está conectado. Vamos continuar tentando; confira sua conexão se isso persistir.'
      : 'Não conseguimos confirmar agora que você está conectado. Vamos tentar de novo sozinhos em alguns segundos.',
  errorForbiddenOrigin: 'Esta página ainda não está configurada para usar este login. Por favor, avise a equipe do site.',
  errorNotSent: ({ channel, reason, replyTo, other }) => {
    const instead = other === 'email' ? ' ou use seu e-mail' : other === 'sms' ? ' ou use seu número de celular' : '';
    if (channel === 'sms') {
      return reason === 'stop_reply'
        ? `Não podemos enviar SMS para este número porque ele respondeu STOP. Envie START para ${replyTo ?? 'o nosso número'} para voltar a receber nossas mensagens${instead}.`
        : `Não conseguimos enviar SMS para este número agora. Confira o número${instead}.`;
    }
    const why =
      reason === 'bounce'
        ? 'nossos e-mails para ele voltaram'
        : reason === 'spam_complaint'
          ? 'nosso e-mail foi marcado como spam'
          : 'ele não aceita mais nossos e-mails';
    return `Não podemos enviar e-mails para este endereço porque ${why}. Confira o endereço${instead}.`;
  },
  errorUnexpected: 'Algo deu errado do nosso lado. Tente de novo daqui a pouco.',
});

export default translate;
