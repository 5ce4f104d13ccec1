// What a form shows of a refused write: each field's messages beside its input (tied to it by aria-describedby and
// aria-invalid), and one form-level message (role=alert) for what no field on the form explains.
import { html, nothing, type TemplateResult } from 'lit-html';
import { pageTranslator } from './i18n';
import type { SendFailure } from './send';

// The write path's own strings: only pages with forms load this module, so only they ship them.
const ja = {
  'send.invalid': '入力内容を確認してください。',
  'send.signedOut': 'ログインの有効期限が切れました。入力内容はこのままです。別のタブでログインし直してから、もう一度送信してください。',
  'send.signInAgain': 'ログイン画面を開く（新しいタブ）',
  'send.forbidden': 'この操作を行う権限がありません。',
  'send.notFound': '対象が見つかりません。削除された可能性があります。',
  'send.conflict': '他の人が先に変更しました。最新の状態を確認してから、もう一度操作してください。',
  'send.rateLimited': '操作が多すぎます。少し待ってから、もう一度送信してください。',
  'send.rateLimitedFor': '操作が多すぎます。{n}秒ほど待ってから、もう一度送信してください。',
  'send.network': 'サーバーに接続できませんでした。入力内容はこのままです。通信を確認して、もう一度送信してください。',
  'send.server': 'サーバーでエラーが発生しました（{status}）。変更されたかどうか、表示を確認してください。',
  'send.sending': '送信中…',
} as const;

const en: Record<keyof typeof ja, string> = {
  'send.invalid': 'Please check what you entered.',
  'send.signedOut': 'Your sign-in has expired. What you entered is kept: sign in again in another tab, then send again.',
  'send.signInAgain': 'Open the sign-in page (new tab)',
  'send.forbidden': 'Your account may not do this.',
  'send.notFound': 'Not found: it may have been removed.',
  'send.conflict': 'Someone else changed this first. Check the latest state, then try again.',
  'send.rateLimited': 'Too many requests. Wait a moment, then send again.',
  'send.rateLimitedFor': 'Too many requests. Wait about {n} s, then send again.',
  'send.network': 'The server could not be reached. What you entered is kept: check the connection and send again.',
  'send.server': 'The server had an error ({status}). Check whether the change was made.',
  'send.sending': 'Sending…',
};

const { t } = pageTranslator({ ja, en });
/** The write path's strings, for a form's own controls ("送信中…"). */
export const formText = t;

/** Messages by field name: the server's (a 400's `errors`) or the form's own checks, in the same shape. */
export type FieldErrors = Record<string, string[]>;

/** The id of the element that holds a field's messages. */
export function errorId(formId: string, field: string): string {
  return `${formId}-${field}-error`;
}

/** The attributes an input needs to point at its messages: spread with lit-html's attribute bindings. */
export function describedBy(formId: string, field: string, errors: FieldErrors, hintId?: string): string | typeof nothing {
  const ids = [hintId, errors[field]?.length ? errorId(formId, field) : undefined].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : nothing;
}

export function isInvalid(field: string, errors: FieldErrors): 'true' | typeof nothing {
  return errors[field]?.length ? 'true' : nothing;
}

/** The messages under one field, or nothing. */
export function fieldError(formId: string, field: string, errors: FieldErrors): TemplateResult | typeof nothing {
  const messages = errors[field];
  if (!messages?.length) return nothing;
  return html`<p class="field-error" id=${errorId(formId, field)}>${messages.join(' ')}</p>`;
}

/** What the form as a whole says about a failure, in the page's language. */
export function failureText(failure: SendFailure, shownFields: readonly string[]): string {
  switch (failure.kind) {
    case 'invalid': {
      // Messages for fields this form has no input for still need saying.
      const others = Object.entries(failure.fields)
        .filter(([field]) => !shownFields.includes(field))
        .flatMap(([, messages]) => messages);
      return [t('send.invalid'), ...others, Object.keys(failure.fields).length === 0 ? failure.detail : undefined]
        .filter(Boolean)
        .join(' ');
    }
    case 'signed_out':
      return t('send.signedOut');
    case 'forbidden':
      return t('send.forbidden');
    case 'not_found':
      return t('send.notFound');
    case 'conflict':
      return t('send.conflict');
    case 'rate_limited':
      return failure.retryAfterSeconds !== undefined
        ? t('send.rateLimitedFor', { n: failure.retryAfterSeconds })
        : t('send.rateLimited');
    case 'network':
      return t('send.network');
    case 'server':
      return t('send.server', { status: failure.status });
  }
}

/** The form-level message: announced at once (role=alert), with a way to sign in again after a 401. */
export function formMessage(failure: SendFailure | null, shownFields: readonly string[]): TemplateResult | typeof nothing {
  if (!failure) return nothing;
  return html`<div class="form-message" role="alert">
    ${failureText(failure, shownFields)}
    ${failure.kind === 'signed_out'
      ? html` <a href="/login?returnUrl=/" target="_blank" rel="noopener">${t('send.signInAgain')}</a>`
      : nothing}
  </div>`;
}
