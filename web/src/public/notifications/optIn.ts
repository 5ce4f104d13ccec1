// The residents' opt-in to notifications (issue 14), its own chunk: the page imports it when the resident presses
// 「通知を受け取る」, or after load when this browser already has a subscription (to show what it is told of). The
// resident picks districts (or 「現在地の地区」, resolved on the phone), shelters, the town's official warnings and
// drills; subscribing registers /public-sw.js, asks for the notification permission, subscribes with the server's
// VAPID key and sends the choice. No account and nothing personal: the server keeps the browser's push endpoint, its
// keys and the choice. Rendered with lit-html, so a re-render keeps what is typed and where the focus is.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import type { FeatureCollectionJson } from '../../core/api';
import { describedBy, fieldError, formMessage, type FieldErrors } from '../../core/form';
import { lang, localName, onLangChange } from '../../core/i18n';
import type { CommonProps } from '../../core/geodata';
import { subscriptions, type Mounted } from '../../core/mounted';
import { send, type SendFailure } from '../../core/send';
import {
  applicationServerKey,
  choiceFrom,
  choosesNothing,
  firstChoice,
  sameKey,
  subscriptionRequest,
  type BrowserSubscription,
  type Choice,
  type NotificationChoice,
} from './choice';
import { districtAt } from './districtAt';
import { t } from './messages';
import { pushSupport, thisBrowser, type PushSupport } from './platform';
import './optIn.css';

/** A browser's push subscription, as much of it as the form uses. */
export interface DeviceSubscription {
  readonly endpoint: string;
  toJSON(): BrowserSubscription;
  unsubscribe(): Promise<boolean>;
}

/** What the form asks of the browser; the page's is {@link browserDevice}, tests give their own. */
export interface PushDevice {
  support(): PushSupport;
  permission(): NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  /** Registers the service worker and subscribes with the server's key (reusing a subscription made with it). */
  subscribe(key: Uint8Array<ArrayBuffer>): Promise<DeviceSubscription>;
  /** The position, on the device; never sent. */
  locate(): Promise<{ lon: number; lat: number }>;
}

export interface OptInSources {
  districts: Promise<FeatureCollectionJson>;
  shelters: Promise<FeatureCollectionJson>;
}

export interface OptIn extends Mounted {
  /** The form, for a resident who pressed the button (focus moves into it). */
  start(): void;
  /** What an existing subscription is told of (from the server), without moving the focus. */
  show(subscription: DeviceSubscription): void;
}

type Stage = 'loading' | 'form' | 'subscribed' | 'stopped';
type Busy = 'subscribing' | 'saving' | 'stopping' | 'checking' | null;
type Located = { kind: 'locating' } | { kind: 'found'; districtId: string } | { kind: 'outside' } | { kind: 'unavailable' } | null;

const formId = 'notify-form';
const shownFields = ['districts', 'shelters'];

/** The service worker's scope: every page of the public view, nothing else. */
const scope = '/public';

/** The browser's own push, for the page. */
export function browserDevice(): PushDevice {
  const registration = async () => {
    await navigator.serviceWorker.register('/public-sw.js', { scope });
    return navigator.serviceWorker.ready;
  };
  return {
    support: () => pushSupport(thisBrowser()),
    permission: () => Notification.permission,
    requestPermission: () => Notification.requestPermission(),
    subscribe: async (key) => {
      const { pushManager } = await registration();
      const held = await pushManager.getSubscription();
      if (held && sameKey(held.options?.applicationServerKey, key)) return held;
      // Made with another key (the server's keys were replaced): the push service would refuse our messages.
      if (held) await held.unsubscribe();
      return pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    },
    locate: () =>
      new Promise((resolve, reject) => {
        if (!navigator.geolocation) return reject(new Error('no geolocation'));
        navigator.geolocation.getCurrentPosition(
          (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude }),
          reject,
          { enableHighAccuracy: false, timeout: 15_000, maximumAge: 60_000 },
        );
      }),
  };
}

async function serverKey(): Promise<Uint8Array<ArrayBuffer>> {
  const response = await fetch('/public/notifications/key', { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`/public/notifications/key: HTTP ${response.status}`);
  const { publicKey } = (await response.json()) as { publicKey: string };
  return applicationServerKey(publicKey);
}

const propsOf = (json: FeatureCollectionJson): CommonProps[] =>
  (json.features as Array<{ properties: CommonProps }>).map((f) => f.properties).filter((p) => typeof p?.id === 'string');

export function mountOptIn(container: HTMLElement, sources: OptInSources, device: PushDevice = browserDevice()): OptIn {
  const subs = subscriptions();
  let stage: Stage = 'loading';
  let busy: Busy = null;
  let choice: Choice = firstChoice;
  let stored: NotificationChoice | null = null;
  let subscription: DeviceSubscription | null = null;
  let failure: SendFailure | null = null;
  let errors: FieldErrors = {};
  /** A problem the form found itself (permission, the push service, a lookup that found nothing). */
  let problem: string | null = null;
  /** Just saved: say so. */
  let saved = false;
  let located: Located = null;
  let districtFeatures: unknown[] = [];
  let districts: CommonProps[] | null = null;
  let shelters: CommonProps[] | null = null;
  let districtsFailed = false;
  let sheltersFailed = false;
  let disposed = false;
  /** Where the focus goes after the next paint. */
  let focusNext: string | null = null;
  const support = device.support();

  const loaded = Promise.allSettled([
    sources.districts.then((json) => {
      districtFeatures = json.features;
      districts = propsOf(json);
    }, () => (districtsFailed = true)),
    sources.shelters.then((json) => (shelters = propsOf(json)), () => (sheltersFailed = true)),
  ]).then(() => paint());

  const order = () => ({ districts: (districts ?? []).map((d) => d.id), shelters: (shelters ?? []).map((s) => s.id) });
  const nameOf = (list: CommonProps[] | null, id: string) => {
    const found = list?.find((p) => p.id === id);
    return found ? localName(found) : id;
  };

  const clearMessages = () => {
    failure = null;
    errors = {};
    problem = null;
    saved = false;
  };

  const toggle = (set: ReadonlySet<string>, id: string, on: boolean): Set<string> => {
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  };

  const locate = async () => {
    located = { kind: 'locating' };
    paint();
    try {
      const { lon, lat } = await device.locate();
      const districtId = districtAt(lon, lat, districtFeatures);
      located = districtId ? { kind: 'found', districtId } : { kind: 'outside' };
      if (districtId) choice = { ...choice, districts: toggle(choice.districts, districtId, true) };
    } catch {
      located = { kind: 'unavailable' };
    }
    paint();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    clearMessages();
    if (choosesNothing(choice)) {
      errors = { districts: [t('notify.chooseSomething')] };
      focusNext = 'input[name="district"]';
      paint();
      return;
    }
    const changing = stored !== null;
    busy = changing ? 'saving' : 'subscribing';
    paint();
    try {
      if (!subscription) {
        const permission = await device.requestPermission();
        if (permission !== 'granted') {
          problem = permission === 'denied' ? t('notify.denied') : t('notify.dismissed');
          return;
        }
        subscription = await device.subscribe(await serverKey());
      }
      const body = subscriptionRequest(subscription.toJSON(), choice, lang(), order());
      if (!body) {
        problem = t('notify.pushFailed');
        return;
      }
      const result = await send('put', '/public/notifications/subscription', {}, body);
      if (!result.ok) {
        failure = result;
        errors = result.fields;
        return;
      }
      stored = result.value;
      saved = changing;
      stage = 'subscribed';
      focusNext = '.notify-done';
    } catch (error) {
      console.warn('the subscription could not be made', error);
      problem = t('notify.pushFailed');
    } finally {
      busy = null;
      if (!disposed) paint();
    }
  };

  const stop = async () => {
    if (busy || !subscription) return;
    clearMessages();
    busy = 'stopping';
    paint();
    try {
      const result = await send('delete', '/public/notifications/subscription', {}, { endpoint: subscription.endpoint });
      // Not found: the server no longer has it; the browser's half still goes.
      if (!result.ok && result.kind !== 'not_found') {
        failure = result;
        return;
      }
      await subscription.unsubscribe();
      subscription = null;
      stored = null;
      choice = firstChoice;
      stage = 'stopped';
      focusNext = '.notify-done';
    } catch (error) {
      console.warn('the subscription could not be ended', error);
      problem = t('notify.stopFailed');
    } finally {
      busy = null;
      if (!disposed) paint();
    }
  };

  const change = () => {
    clearMessages();
    if (stored) choice = choiceFrom(stored);
    stage = 'form';
    focusNext = '.notify-lead';
    paint();
  };

  const cancel = () => {
    clearMessages();
    stage = 'subscribed';
    focusNext = '.notify-done';
    paint();
  };

  const again = () => {
    clearMessages();
    stage = 'form';
    focusNext = '.notify-lead';
    paint();
  };

  // ── The views ──
  const cannot = (why: Exclude<PushSupport, 'supported'>) =>
    html`<p class="notify-cannot" tabindex="-1" role="status">${why === 'home-screen' ? t('notify.homeScreen') : t('notify.unsupported')}</p>`;

  const checkbox = (name: string, id: string, label: string, checked: boolean, onChange: (on: boolean) => void) => {
    const inputId = `notify-${name}-${id}`;
    return html`<div class="notify-option">
      <input type="checkbox" id=${inputId} name=${name} value=${id} .checked=${checked}
        @change=${(e: Event) => onChange((e.currentTarget as HTMLInputElement).checked)} />
      <label for=${inputId}>${label}</label>
    </div>`;
  };

  const locatedText = (): string | null => {
    switch (located?.kind) {
      case 'locating':
        return t('notify.locating');
      case 'found': {
        const name = nameOf(districts, located.districtId);
        return t('notify.located', { district: name });
      }
      case 'outside':
        return t('notify.outside');
      case 'unavailable':
        return t('notify.noLocation');
      default:
        return null;
    }
  };

  const districtsPart = (): TemplateResult => {
    const hint = `${formId}-districts-hint`;
    const where = locatedText();
    return html`<fieldset class="notify-fieldset" aria-describedby=${describedBy(formId, 'districts', errors, hint)}
        aria-invalid=${errors.districts?.length ? 'true' : nothing}>
      <legend>${t('notify.districts')}</legend>
      <p class="notify-hint" id=${hint}>${t('notify.districtsHint')}</p>
      <button type="button" class="notify-where" ?disabled=${districts === null || located?.kind === 'locating'}
        @click=${() => void locate()}>${t('notify.whereIAm')}</button>
      <p class="notify-located" role="status">${where ?? nothing}${located?.kind === 'found'
        ? html`<span class="notify-located-note">${t('notify.locatedNote')}</span>` : nothing}</p>
      ${districtsFailed ? html`<p class="notify-problem">${t('notify.districtsFailed')}</p>` : nothing}
      ${districts === null && !districtsFailed ? html`<p>${t('notify.loading')}</p>` : nothing}
      <div class="notify-options">
        ${(districts ?? []).map((d) =>
          checkbox('district', d.id, localName(d), choice.districts.has(d.id), (on) => {
            choice = { ...choice, districts: toggle(choice.districts, d.id, on) };
            paint();
          }),
        )}
      </div>
      ${fieldError(formId, 'districts', errors)}
    </fieldset>`;
  };

  const sheltersPart = (): TemplateResult => {
    const hint = `${formId}-shelters-hint`;
    return html`<fieldset class="notify-fieldset" aria-describedby=${describedBy(formId, 'shelters', errors, hint)}
        aria-invalid=${errors.shelters?.length ? 'true' : nothing}>
      <legend>${t('notify.shelters')}</legend>
      <p class="notify-hint" id=${hint}>${t('notify.sheltersHint')}</p>
      ${sheltersFailed ? html`<p class="notify-problem">${t('notify.sheltersFailed')}</p>` : nothing}
      <details class="notify-shelters">
        <summary>${t('notify.sheltersPick', { n: choice.shelters.size })}</summary>
        <div class="notify-options">
          ${(shelters ?? []).map((s) =>
            checkbox('shelter', s.id, localName(s), choice.shelters.has(s.id), (on) => {
              choice = { ...choice, shelters: toggle(choice.shelters, s.id, on) };
              paint();
            }),
          )}
        </div>
      </details>
      ${fieldError(formId, 'shelters', errors)}
    </fieldset>`;
  };

  const morePart = (): TemplateResult => html`<fieldset class="notify-fieldset">
    <legend>${t('notify.more')}</legend>
    ${checkbox('town', 'warnings', t('notify.townWarnings'), choice.townWarnings, (on) => {
      choice = { ...choice, townWarnings: on };
      paint();
    })}
    ${checkbox('drills', 'on', t('notify.drills'), choice.drills, (on) => {
      choice = { ...choice, drills: on };
      paint();
    })}
    <p class="notify-hint notify-drills-hint">${t('notify.drillsHint')}</p>
  </fieldset>`;

  const busyText = (): string | null =>
    busy === 'subscribing' ? t('notify.subscribing') : busy === 'saving' ? t('notify.saving') : busy === 'stopping' ? t('notify.stopping')
      : busy === 'checking' ? t('notify.checking') : null;

  const messages = (): TemplateResult => html`${problem ? html`<div class="form-message notify-problem" role="alert">${problem}</div>` : nothing}
    ${formMessage(failure, shownFields)}
    <p class="notify-busy" role="status">${busyText() ?? nothing}</p>`;

  const form = (): TemplateResult => {
    const changing = stored !== null;
    return html`<form id=${formId} class="notify-form" novalidate @submit=${submit}>
      <p class="notify-lead" tabindex="-1">${t('notify.lead')}</p>
      ${device.permission() === 'denied' && !problem ? html`<p class="notify-problem">${t('notify.denied')}</p>` : nothing}
      ${districtsPart()} ${sheltersPart()} ${morePart()} ${messages()}
      <div class="notify-actions">
        <button type="submit" class="notify-primary" ?disabled=${busy !== null}>${changing ? t('notify.save') : t('notify.subscribe')}</button>
        ${changing ? html`<button type="button" class="notify-secondary" @click=${cancel}>${t('notify.cancel')}</button>` : nothing}
      </div>
    </form>`;
  };

  const list = (ids: unknown[], names: CommonProps[] | null): string =>
    ids.length === 0 ? t('notify.none') : ids.map((id) => nameOf(names, String(id))).join(lang() === 'ja' ? '、' : ', ');

  const summary = (choiceHeld: NotificationChoice): TemplateResult => html`<p class="notify-done" tabindex="-1" role="status">
      ${saved ? t('notify.saved') : t('notify.subscribed')}
    </p>
    <dl class="notify-summary">
      <dt>${t('notify.summaryDistricts')}</dt>
      <dd>${list(choiceHeld.districts, districts)}</dd>
      <dt>${t('notify.summaryShelters')}</dt>
      <dd>${list(choiceHeld.shelters, shelters)}</dd>
      <dt>${t('notify.summaryTown')}</dt>
      <dd>${choiceHeld.townWarnings ? t('notify.yes') : t('notify.no')}</dd>
      <dt>${t('notify.summaryDrills')}</dt>
      <dd>${choiceHeld.drills ? t('notify.yes') : t('notify.no')}</dd>
      <dt>${t('notify.summaryLanguage')}</dt>
      <dd>${choiceHeld.language === 'en' ? t('notify.language.en') : t('notify.language.ja')}</dd>
    </dl>
    ${messages()}
    <div class="notify-actions">
      <button type="button" class="notify-primary" ?disabled=${busy !== null} @click=${change}>${t('notify.change')}</button>
      <button type="button" class="notify-secondary" ?disabled=${busy !== null} @click=${() => void stop()}>${t('notify.stop')}</button>
    </div>`;

  const stopped = (): TemplateResult => html`<p class="notify-done" tabindex="-1" role="status">${t('notify.stopped')}</p>
    <div class="notify-actions">
      <button type="button" class="notify-primary" @click=${again}>${t('notify.again')}</button>
    </div>`;

  function view(): TemplateResult {
    if (support !== 'supported') return cannot(support);
    switch (stage) {
      case 'loading':
        return html`<p class="notify-busy" role="status">${busyText() ?? t('notify.loading')}</p>`;
      case 'form':
        return form();
      case 'subscribed':
        return stored ? summary(stored) : form();
      case 'stopped':
        return stopped();
    }
  }

  function paint(): void {
    if (disposed) return;
    container.dataset.stage = support !== 'supported' ? support : stage;
    render(view(), container);
    if (focusNext) {
      container.querySelector<HTMLElement>(focusNext)?.focus();
      focusNext = null;
    }
  }

  subs.add(onLangChange(paint));
  paint();

  return {
    start() {
      if (support !== 'supported') {
        focusNext = '.notify-cannot';
        paint();
        return;
      }
      if (stage === 'loading') stage = 'form';
      focusNext = stage === 'form' ? '.notify-lead' : '.notify-done';
      paint();
    },
    show(existing) {
      subscription = existing;
      busy = 'checking';
      paint();
      void (async () => {
        const result = await send('post', '/public/notifications/subscription/lookup', {}, { endpoint: existing.endpoint });
        await loaded;
        busy = null;
        if (result.ok) {
          stored = result.value;
          stage = 'subscribed';
        } else {
          // The server does not know it (ended by the push service, say): choose again; the browser's subscription is reused.
          if (result.kind === 'not_found') problem = t('notify.notFound');
          else failure = result;
          stage = 'form';
        }
        paint();
      })();
    },
    dispose() {
      disposed = true;
      subs.dispose();
      render(nothing, container);
    },
  };
}
