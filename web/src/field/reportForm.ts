// The new-report form, made for one hand: big choices for what and how bad, the place, photos, when, and a few words.
// Submitting puts the report in the outbox at once (no network needed); the outbox view then shows its true state.
// Correcting a refused report reuses the form with what was sent.
import { html, nothing, render } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { onLangChange } from '../core/i18n';
import type { Mounted } from '../core/mounted';
import { LocationPicker } from './location';
import { t } from './messages';
import { fromJstInput, observedTimeProblem, toJstInput } from './observedTime';
import type { Outbox } from './outbox';
import { queued, resent, type OutboxItem } from './outboxRules';
import { PhotoPicker } from './photos';
import { categories, descriptionMaxLength, severities, type FieldReportCategory, type FieldReportSeverity, type NewReport } from './report';

export interface ReportFormOptions {
  outbox: Outbox;
  /** After the report is in the outbox (new or corrected). */
  queuedReport(item: OutboxItem): void;
  newClientId?: () => string;
}

export interface ReportForm extends Mounted {
  location: LocationPicker;
  /** Opens a refused item for correcting. */
  edit(item: OutboxItem): void;
}

type FormErrors = Partial<Record<'category' | 'severity' | 'location' | 'observedAt' | 'description' | 'photos', string>>;

const formId = 'report-form';

export function mountReportForm(container: HTMLElement, options: ReportFormOptions): ReportForm {
  const newClientId = options.newClientId ?? (() => crypto.randomUUID());
  let category: FieldReportCategory | null = null;
  let severity: FieldReportSeverity | null = null;
  let description = '';
  let observed = toJstInput(new Date());
  // Until the crew changes it, the time follows the clock: "now" is when they press send.
  let observedTouched = false;
  let errors: FormErrors = {};
  let message: 'invalid' | null = null;
  let editing: OutboxItem | null = null;
  let saving = false;

  const paint = () => render(template(), container);
  const location = new LocationPicker(paint);
  const photos = new PhotoPicker(paint);

  const clock = setInterval(() => {
    if (observedTouched) return;
    observed = toJstInput(new Date());
    paint();
  }, 20_000);

  const validate = (now: Date): { report: Omit<NewReport, 'clientId'> } | null => {
    const next: FormErrors = {};
    if (!category) next.category = t('error.category');
    if (!severity) next.severity = t('error.severity');
    if (!location.location) next.location = t('error.location');
    const observedAt = fromJstInput(observedTouched ? observed : toJstInput(now));
    const timeProblem = observedTimeProblem(observedAt, now);
    if (timeProblem) next.observedAt = t(`error.observedAt.${timeProblem}`);
    if (description.length > descriptionMaxLength) next.description = t('error.description');
    if (photos.processing > 0) next.photos = t('error.photosBusy');
    errors = next;
    if (Object.keys(next).length > 0 || !category || !severity || !location.location || !observedAt) return null;
    const place = location.location;
    const text = description.trim();
    return {
      report: {
        category,
        severity,
        ...(text ? { description: text } : {}),
        observedAt,
        longitude: round(place.longitude),
        latitude: round(place.latitude),
        ...(place.accuracyMetres !== undefined ? { accuracyMetres: Math.round(place.accuracyMetres * 10) / 10 } : {}),
      },
    };
  };

  const clear = () => {
    category = null;
    severity = null;
    description = '';
    observed = toJstInput(new Date());
    observedTouched = false;
    errors = {};
    editing = null;
    photos.set([]);
    location.reset();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    const now = new Date();
    const valid = validate(now);
    if (!valid) {
      message = 'invalid';
      paint();
      queueMicrotask(() => container.querySelector<HTMLElement>('[aria-invalid="true"], .field-error')?.closest('fieldset, .field')?.scrollIntoView({ block: 'center' }));
      return;
    }
    saving = true;
    try {
      let item: OutboxItem | undefined;
      if (editing) {
        item = await options.outbox.update(editing.clientId, (stored) =>
          stored.state === 'failed' ? resent(stored, valid.report, photos.photos, now.getTime(), newClientId) : undefined,
        );
      } else {
        item = queued({ clientId: newClientId(), ...valid.report }, photos.photos, now.getTime());
        await options.outbox.add(item);
      }
      clear();
      // The outbox view comes next and shows the report at the top, with its state.
      message = null;
      if (item) options.queuedReport(item);
    } finally {
      saving = false;
      paint();
    }
  };

  const choice = <V extends string>(name: string, value: V, current: V | null, label: string, pick: (v: V) => void, extraClass = '') =>
    html`<label class="choice ${extraClass}" data-value=${value}>
      <input
        type="radio"
        name=${name}
        .value=${value}
        .checked=${live(current === value)}
        @change=${() => {
          pick(value);
          message = null;
          paint();
        }}
      />
      <span>${label}</span>
    </label>`;

  const error = (field: keyof FormErrors) =>
    errors[field] ? html`<p class="field-error" id=${`${formId}-${field}-error`}>${errors[field]}</p>` : nothing;
  const invalid = (field: keyof FormErrors) => (errors[field] ? 'true' : nothing);
  const describedBy = (field: keyof FormErrors) => (errors[field] ? `${formId}-${field}-error` : nothing);

  const template = () => html`<form id=${formId} class="report-form" novalidate @submit=${submit} data-editing=${editing?.clientId ?? nothing}>
    ${editing
      ? html`<div class="editing-notice" role="note">
          <p>${t('editingNotice')}</p>
          <button type="button" class="secondary" @click=${() => { clear(); message = null; paint(); }}>${t('cancelEdit')}</button>
        </div>`
      : nothing}
    <fieldset class="choices categories" aria-invalid=${invalid('category')} aria-describedby=${describedBy('category')}>
      <legend>${t('categoryLabel')}</legend>
      <div class="choice-grid">
        ${categories.map((c) => choice('category', c, category, t(`reportCategory.${c}`), (v) => (category = v), `category-${c}`))}
      </div>
      ${error('category')}
    </fieldset>
    <fieldset class="choices severities" aria-invalid=${invalid('severity')} aria-describedby=${describedBy('severity')}>
      <legend>${t('severityLabel')}</legend>
      <div class="choice-row">
        ${severities.map((s) => choice('severity', s, severity, t(`severity.${s}`), (v) => (severity = v), `severity-${s}`))}
      </div>
      ${error('severity')}
    </fieldset>
    ${location.template(errors.location ?? null)}
    ${photos.template(errors.photos ?? null)}
    <div class="field">
      <label for="observed-at">${t('observedAtLabel')}</label>
      <input
        id="observed-at"
        name="observedAt"
        type="datetime-local"
        required
        max=${toJstInput(new Date())}
        .value=${live(observed)}
        aria-invalid=${invalid('observedAt')}
        aria-describedby=${describedBy('observedAt')}
        @input=${(event: Event) => {
          observed = (event.currentTarget as HTMLInputElement).value;
          observedTouched = true;
        }}
      />
      ${error('observedAt')}
    </div>
    <div class="field">
      <label for="description">${t('descriptionLabel')}</label>
      <textarea
        id="description"
        name="description"
        rows="3"
        maxlength=${descriptionMaxLength}
        .value=${live(description)}
        aria-invalid=${invalid('description')}
        aria-describedby=${errors.description ? `${formId}-description-error` : 'description-hint'}
        @input=${(event: Event) => (description = (event.currentTarget as HTMLTextAreaElement).value)}
      ></textarea>
      <p class="hint" id="description-hint">${t('descriptionHint')}</p>
      ${error('description')}
    </div>
    <p class="hint submit-hint">${t('submitHint')}</p>
    <div class="submit-bar">
      ${message === 'invalid' ? html`<p class="form-message" role="alert">${t('formInvalid')}</p>` : nothing}
      <button type="submit" class="primary submit" ?disabled=${saving}>${editing ? t('resubmit') : t('submit')}</button>
    </div>
  </form>`;

  paint();
  location.start();
  const stopLang = onLangChange(paint);

  return {
    location,
    edit(item) {
      editing = item;
      category = item.report.category;
      severity = item.report.severity;
      description = item.report.description ?? '';
      // Shown in Japan time, as entered; the crew may need to change exactly this.
      observed = toJstInput(new Date(item.report.observedAt));
      observedTouched = true;
      errors = {};
      message = null;
      photos.set(item.photos);
      location.reset({
        longitude: item.report.longitude,
        latitude: item.report.latitude,
        accuracyMetres: item.report.accuracyMetres,
        // Held where it was sent from, not moved by the GPS: the crew taps the map to change it.
        source: 'map',
      });
      paint();
      container.scrollIntoView({ block: 'start' });
    },
    dispose() {
      stopLang();
      clearInterval(clock);
      location.dispose();
      render(nothing, container);
    },
  };
}

/** Six decimals: about 10 cm, more than any phone knows. */
function round(degrees: number): number {
  return Math.round(degrees * 1e6) / 1e6;
}
