// A report's history in its details, oldest first, from the audit log: who changed what and when, each changed field
// as it was and as it became, and the comment given. Read again whenever the report changes (the details call
// `reload` on a live update); an answer that arrives after a newer request was made is dropped.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import type { ReportHistoryEntry } from '../core/api';
import { onLangChange } from '../core/i18n';
import { hhmm } from '../core/japanTime';
import type { Mounted } from '../core/mounted';
import { t, tOr } from './messages';

export interface ReportHistory extends Mounted {
  readonly element: HTMLElement;
  reload(): void;
}

/** A field's value as a person reads it; `districtName` names a district by its id. */
export function historyValue(field: string, value: unknown, districtName: (id: string) => string = (id) => id): string {
  if (value === null || value === undefined || value === '') return t('history.none');
  if (field === 'districtId' && typeof value === 'string') return districtName(value);
  if (field === 'status' && typeof value === 'string') return tOr(`reportStatus.${value}`, value);
  if (field === 'severity' && typeof value === 'string') return tOr(`reportSeverity.${value}`, value);
  if (field === 'category' && typeof value === 'string') return tOr(`reportCategory.${value}`, value);
  if ((field === 'duplicateOf' || field === 'mergedFrom' || field === 'reportId') && typeof value === 'number') return `#${value}`;
  if (typeof value === 'boolean') return t(value ? 'history.yes' : 'history.no');
  if (Array.isArray(value)) return value.map((v) => historyValue(field, v, districtName)).join(t('listSeparator'));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The fields an entry changed, in the order the server gave them (after's keys, then any only in before). `had` is
 * false for a field the entry has no earlier value of (a report's first values, a merge's source): only its value
 * after is worth showing.
 */
export function changedFields(entry: ReportHistoryEntry): Array<{ field: string; had: boolean; before: unknown; after: unknown }> {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return (
    keys
      .map((field) => ({ field, had: field in before, before: before[field], after: after[field] }))
      // What stayed the same is context, not a change (a photo's number, a reason that was and stays empty).
      .filter((c) => JSON.stringify(c.before ?? null) !== JSON.stringify(c.after ?? null))
  );
}

export function mountReportHistory(
  reportId: number,
  read: (reportId: number) => Promise<ReportHistoryEntry[]>,
  districtName?: (districtId: string) => string,
): ReportHistory {
  const element = document.createElement('section');
  element.className = 'report-history';
  let entries: ReportHistoryEntry[] | null = null;
  let failed = false;
  let asked = 0;
  let disposed = false;

  const entry = (e: ReportHistoryEntry): TemplateResult => html`<li data-action=${e.action}>
    <p class="history-head">
      <time datetime=${e.at}>${hhmm(e.at)}</time>
      <span class="history-action">
        ${tOr(`history.action.${e.action}`, e.action)}${typeof e.after?.photo === 'number' ? t('history.photoNumber', { n: e.after.photo }) : nothing}
      </span>
      <span class="history-actor">${e.actor}</span>
    </p>
    ${changedFields(e).length > 0
      ? html`<ul class="history-changes">
          ${changedFields(e).map(
            (c) => html`<li>
              <span class="history-field">${tOr(`history.field.${c.field}`, c.field)}</span>${t('history.labelEnd')}${c.had
                ? html`${historyValue(c.field, c.before, districtName)}
                    <span aria-hidden="true">→</span><span class="visually-hidden">${t('history.to')}</span> `
                : nothing}${historyValue(c.field, c.after, districtName)}
            </li>`,
          )}
        </ul>`
      : nothing}
    ${e.comment ? html`<p class="history-comment">${t('history.comment')}${t('history.labelEnd')}${e.comment}</p>` : nothing}
  </li>`;

  const paint = () => {
    if (disposed) return;
    render(
      html`<h3 class="action-title">${t('history.title')}</h3>
        ${failed
          ? html`<p class="field-error" role="alert">${t('history.failed')}
              <button type="button" class="link-button" @click=${reload}>${t('history.retry')}</button></p>`
          : entries === null
            ? html`<p class="field-hint">${t('history.loading')}</p>`
            : entries.length === 0
              ? html`<p class="field-hint">${t('history.empty')}</p>`
              : html`<ol class="history-list">${entries.map(entry)}</ol>`}`,
      element,
    );
  };

  const reload = () => {
    const ask = ++asked;
    read(reportId).then(
      (list) => {
        if (ask !== asked) return;
        entries = list;
        failed = false;
        paint();
      },
      () => {
        if (ask !== asked) return;
        failed = true;
        paint();
      },
    );
  };

  const stopLang = onLangChange(paint);
  paint();
  reload();
  return {
    element,
    reload,
    dispose() {
      stopLang();
      render(nothing, element);
      disposed = true;
    },
  };
}
