// The outbox as the crew sees it: each report's true state. "Sent" only with the server's number; a refusal with the
// server's own reason, and a way to correct and resend it or to discard it.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { hhmm } from '../core/japanTime';
import { onLangChange } from '../core/i18n';
import type { Mounted } from '../core/mounted';
import { t, tOr } from './messages';
import type { Outbox } from './outbox';
import type { OutboxItem, OutboxProblem } from './outboxRules';
import type { Sending } from './sending';

export interface OutboxViewOptions {
  outbox: Outbox;
  sending: Sending;
  edit(item: OutboxItem): void;
  /** Called with how many items are not yet sent, for the tab's badge. */
  counted(unsent: number): void;
}

/** A server field name in the crew's words: "photos[2]" is the third photo. */
export function fieldName(field: string): string {
  const name = field.replace(/^report\./, '');
  const photo = /^photos\[(\d+)\]$/.exec(name);
  if (photo) return t('field.photo', { n: Number(photo[1]) + 1 });
  return tOr(`field.${name}`, name);
}

function problemText(problem: OutboxProblem): TemplateResult {
  const fields = Object.entries(problem.fields);
  return html`<div class="problem" role="alert">
    <p class="problem-head">${t('serverReason')}（${problem.status}）</p>
    ${problem.title ? html`<p class="problem-title">${problem.title}</p>` : nothing}
    ${problem.detail ? html`<p class="problem-detail">${problem.detail}</p>` : nothing}
    ${fields.length > 0
      ? html`<ul class="problem-fields">
          ${fields.map(([field, messages]) => html`<li data-field=${field}><strong>${fieldName(field)}</strong>: ${messages.join(' ')}</li>`)}
        </ul>`
      : nothing}
  </div>`;
}

export function mountOutboxView(container: HTMLElement, options: OutboxViewOptions): Mounted {
  let items: OutboxItem[] = [];

  const stateLine = (item: OutboxItem) => {
    switch (item.state) {
      case 'sent':
        return html`<p class="state-line"><span class="state-badge">✓ ${t('state.sent')}</span>
          <strong class="server-number">${t('serverNumber', { id: item.reportId ?? '' })}</strong></p>`;
      case 'sending':
        return html`<p class="state-line"><span class="state-badge">↑ ${t('state.sending')}</span></p>`;
      case 'failed':
        return html`<p class="state-line"><span class="state-badge">✕ ${t('state.failed')}</span></p>`;
      case 'waiting': {
        const reason = item.waitingReason ?? 'queued';
        const text = t(`waiting.${reason}`, { time: hhmm(new Date(item.nextAttemptAt)) });
        return html`<p class="state-line"><span class="state-badge">… ${t('state.waiting')}</span></p>
          <p class="waiting-reason">${text}</p>
          ${reason === 'signed_out' ? html`<p><a class="sign-in" href="/login?returnUrl=/field">${t('signInAgain')}</a></p>` : nothing}`;
      }
    }
  };

  const actions = (item: OutboxItem) => {
    switch (item.state) {
      case 'waiting':
        return html`<div class="item-actions">
          <button type="button" class="secondary send-now" @click=${() => void options.sending.now(true)}>${t('sendNow')}</button>
        </div>`;
      case 'failed':
        return html`<div class="item-actions">
          <button type="button" class="primary edit" @click=${() => options.edit(item)}>${t('editAndResend')}</button>
          <button
            type="button"
            class="secondary discard"
            @click=${() => {
              if (confirm(t('discardConfirm'))) void options.outbox.remove(item.clientId);
            }}
          >
            ${t('discard')}
          </button>
        </div>`;
      case 'sent':
        return html`<div class="item-actions">
          <button type="button" class="secondary remove" @click=${() => void options.outbox.remove(item.clientId)}>${t('removeSent')}</button>
        </div>`;
      case 'sending':
        return nothing;
    }
  };

  const itemTemplate = (item: OutboxItem) => html`<li
    class="outbox-item"
    data-client-id=${item.clientId}
    data-state=${item.state}
    data-attempts=${item.attempts}
    data-report-id=${item.reportId ?? nothing}
  >
    <div class="item-head">
      <span class="category">${t(`reportCategory.${item.report.category}`)}</span>
      <span class="severity severity-${item.report.severity}">${t(`severity.${item.report.severity}`)}</span>
    </div>
    <p class="item-meta">
      ${t('observedAt', { time: hhmm(item.report.observedAt) })}
      ${item.photos.length > 0 ? html` · ${t('photoCount', { n: item.photos.length })}` : nothing}
    </p>
    ${item.report.description ? html`<p class="item-text">${item.report.description}</p>` : nothing}
    ${item.photos.length > 0
      ? html`<ul class="item-photos">${item.photos.map((p, i) => html`<li><img src=${p.preview} alt=${t('photos.alt', { n: i + 1 })} /></li>`)}</ul>`
      : nothing}
    ${stateLine(item)}
    ${item.state === 'failed' && item.problem ? problemText(item.problem) : nothing}
    ${item.state !== 'sent' && item.attempts > 0 ? html`<p class="attempts">${t('attempts', { n: item.attempts })}</p>` : nothing}
    ${actions(item)}
  </li>`;

  const paint = () =>
    render(
      html`<p class="outbox-intro">${t('outbox.intro')}</p>
        ${items.length === 0
          ? html`<p class="empty">${t('outbox.empty')}</p>`
          : html`<ul class="outbox-list" id="outbox-list">${items.map(itemTemplate)}</ul>`}`,
      container,
    );

  let reading = Promise.resolve();
  const reload = () => {
    // One read after another, so an older list never paints over a newer one.
    reading = reading.then(async () => {
      items = await options.outbox.list();
      options.counted(items.filter((i) => i.state !== 'sent').length);
      paint();
    });
  };
  const stop = options.outbox.onChange(reload);
  const stopLang = onLangChange(paint);
  // The waiting reasons say "around 14:05": keep them current.
  const clock = setInterval(paint, 30_000);
  reload();

  return {
    dispose() {
      stop();
      stopLang();
      clearInterval(clock);
      render(nothing, container);
    },
  };
}

