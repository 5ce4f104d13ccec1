// The official warnings in force for the town (気象警報・注意報, 土砂災害警戒情報, 指定河川洪水予報), as JMA and the
// prefecture issued them: each marked 公式 / Official and kept in a section of their own, apart from the town's local
// estimates from its own gauges. Live from the public hub. Browser tests read [data-warning-id][data-kind].
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { lang, onLangChange } from '../core/i18n';
import { hhmm, isoTime } from '../core/japanTime';
import { concerns, type Situation } from '../core/live/situation';
import type { OfficialWarning } from '../core/live/situationMessages';
import { subscriptions, type Mounted } from '../core/mounted';
import { t } from './messages';

/** Highest 警戒レベル相当 first; then the most recently issued. */
export function warningOrder(a: OfficialWarning, b: OfficialWarning): number {
  return (b.levelEquivalent ?? 0) - (a.levelEquivalent ?? 0) || Date.parse(b.issuedAt) - Date.parse(a.issuedAt);
}

/** The warning's name in the page's language (JMA's Japanese name when there is no English one). */
export function warningName(warning: OfficialWarning): string {
  return lang() === 'en' && warning.nameEn ? warning.nameEn : warning.name;
}

/** Who issues this kind, and what it is: 「土砂災害警戒情報（山形県・気象庁）」. */
function kindText(warning: OfficialWarning): string {
  return t(`official.kind.${warning.kind}`);
}

function card(warning: OfficialWarning): TemplateResult {
  const level = warning.levelEquivalent;
  const drill = warning.drillId != null;
  return html`<li
    class="official-warning${level ? ` official-level-${level}` : ''}${drill ? ' official-drill' : ''}"
    data-warning-id=${String(warning.warningId)}
    data-kind=${warning.kind}
    data-level=${level ? String(level) : nothing}
    data-drill=${drill ? 'true' : nothing}
  >
    <h3 class="official-name">
      <span class="official-badge">${t('official.badge')}</span>
      ${drill ? html`<span class="drill-mark">${t('drillMark')}</span>` : nothing}
      <span>${warningName(warning)}</span>
    </h3>
    <p class="official-kind">${kindText(warning)}</p>
    ${level ? html`<p class="official-level"><span class="official-level-tag">${t('official.level', { level })}</span></p>` : nothing}
    ${warning.headline ? html`<p class="official-headline" lang="ja">${warning.headline}</p>` : nothing}
    <dl class="official-facts">
      <dt>${t('official.issuedAt')}</dt>
      <dd><time datetime=${isoTime(warning.issuedAt)}>${hhmm(warning.issuedAt)}</time></dd>
      ${warning.validUntil
        ? html`<dt>${t('official.validUntil')}</dt>
            <dd><time datetime=${isoTime(warning.validUntil)}>${hhmm(warning.validUntil)}</time></dd>`
        : nothing}
      ${warning.areas.length > 0
        ? html`<dt>${t('official.areas')}</dt>
            <dd lang="ja">${warning.areas.join(t('listSeparator'))}</dd>`
        : nothing}
      ${warning.rivers.length > 0
        ? html`<dt>${t('official.rivers')}</dt>
            <dd lang="ja">${warning.rivers.join(t('listSeparator'))}</dd>`
        : nothing}
      <dt>${t('official.source')}</dt>
      <dd class="official-source" data-source=${warning.source}>
        ${warning.enteredByHand ? t('official.byHand') : t('official.fromTelegram')}
      </dd>
    </dl>
  </li>`;
}

export function mountOfficialWarnings(container: HTMLElement, situation: Situation): Mounted {
  const subs = subscriptions();

  const paint = () => {
    const warnings = [...situation.officialWarnings.values()].sort(warningOrder);
    container.dataset.count = String(warnings.length);
    const status = !situation.known ? t('official.waiting') : warnings.length === 0 ? t('official.none') : '';
    render(
      html`<h2 id="official-title">
          <span class="official-badge">${t('official.badge')}</span>
          <span>${t('official.title')}</span>
        </h2>
        <p class="official-note">${t('official.note')}</p>
        ${warnings.length > 0 ? html`<ul class="official-list">${warnings.map(card)}</ul>` : nothing}
        ${status ? html`<p class="official-status" role="status">${status}</p>` : nothing}`,
      container,
    );
  };

  subs.add(
    situation.onChange((change) => {
      if (concerns(change, ['official_warning_changed'])) paint();
    }),
  );
  subs.add(onLangChange(paint));
  paint();

  return {
    dispose() {
      subs.dispose();
      render(nothing, container);
    },
  };
}
