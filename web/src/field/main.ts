// The crews' phone page (/field): report what is happening where, with photos, on any network or none. Reports go to
// an on-device outbox first and are sent when the network allows; "My reports" shows what HQ made of them, live.
import 'ol/ol.css';
import '../styles/common.css';
import '../styles/field.css';
import { fetchConfig, fetchMe, townBbox, UnauthorizedError, type MapConfig, type SignedInUser } from '../core/api';
import { showDemoBanner } from '../core/demoBanner';
import { mountDrillBanner } from '../core/drillBanner';
import { byId } from '../core/dom';
import { applyStaticText, mountLanguageSwitch, onLangChange } from '../core/i18n';
import { t } from './messages';
import { mountMyReports, type MyReports } from './myReports';
import { Outbox } from './outbox';
import { mountOutboxView } from './outboxView';
import { mountReportForm } from './reportForm';
import { startSending } from './sending';
import { dataCacheName } from './swCaches';

type View = 'new' | 'outbox' | 'mine';
const views: View[] = ['new', 'outbox', 'mine'];

// Used when /api/config cannot be had (never loaded while online): the form still works, the map shows the town area.
const fallbackConfig: MapConfig = { basemap: { url: '', attribution: '' }, center: [140.19, 38.0], zoom: 12, simulated: false };

applyStaticText(document);
mountLanguageSwitch(byId('language-switch'));
const registration = registerServiceWorker();
mountNetworkStatus(byId('net-status'));
mountTabs();
void start();

async function start(): Promise<void> {
  const outbox = await Outbox.open();
  await outbox.tidy(Date.now());
  const sending = startSending(outbox, registration);
  let mine: MyReports | null = null;

  const form = mountReportForm(byId('report-form-host'), {
    outbox,
    queuedReport: () => {
      show('outbox');
      void sending.now(false);
    },
  });
  mountOutboxView(byId('outbox-host'), {
    outbox,
    sending,
    edit: (item) => {
      show('new');
      form.edit(item);
    },
    counted: (unsent) => {
      const badge = byId('outbox-count');
      badge.textContent = String(unsent);
      badge.hidden = unsent === 0;
    },
  });
  // A report the server confirmed shows up under "My reports" at once, even before its live event.
  let sentCount = -1;
  outbox.onChange(() =>
    void outbox.list().then((items) => {
      const sent = items.filter((i) => i.state === 'sent').length;
      if (sent > sentCount && sentCount >= 0) mine?.refresh();
      sentCount = sent;
    }),
  );

  const config = await fetchConfig().catch((error: unknown) => {
    console.warn('map configuration unavailable, using defaults', error);
    return fallbackConfig;
  });
  showDemoBanner(byId('demo-banner'), config.simulated);
  form.location.attachMap(byId('location-map'), config, townBbox(config.center));

  const me = await fetchMe().catch((error: unknown) => {
    if (error instanceof UnauthorizedError) location.assign('/login?returnUrl=/field');
    console.warn('who is signed in is unknown', error);
    return null;
  });
  showAccount(me);
  mine = mountMyReports(byId('my-reports-host'), byId('live-status'), me?.userName ?? null);
  mountDrillBanner(mine.situation);
}

function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return Promise.resolve(null);
  const controlled = () => (document.body.dataset.offlineReady = String(navigator.serviceWorker.controller !== null));
  navigator.serviceWorker.addEventListener('controllerchange', controlled);
  controlled();
  return navigator.serviceWorker.register('/field-sw.js', { scope: '/field' }).catch((error: unknown) => {
    console.warn('the page will not load offline: service worker refused', error);
    return null;
  });
}

function mountNetworkStatus(element: HTMLElement): void {
  const paint = () => {
    element.dataset.online = String(navigator.onLine);
    element.textContent = navigator.onLine ? t('net.online') : t('net.offline');
  };
  window.addEventListener('online', paint);
  window.addEventListener('offline', paint);
  onLangChange(paint);
  paint();
}

function show(view: View): void {
  for (const v of views) {
    byId(`view-${v}`).hidden = v !== view;
    const tab = byId(`tab-${v}`);
    if (v === view) tab.setAttribute('aria-current', 'true');
    else tab.removeAttribute('aria-current');
  }
  document.body.dataset.view = view;
  window.scrollTo({ top: 0 });
}

function mountTabs(): void {
  for (const v of views) byId(`tab-${v}`).addEventListener('click', () => show(v));
  show('new');
}

function showAccount(me: SignedInUser | null): void {
  const account = byId('account');
  account.hidden = me === null;
  const paint = () => (byId('user-name').textContent = me ? t('signedInAs', { name: me.displayName }) : '');
  onLangChange(paint);
  paint();
  // What this phone kept of the account (its profile, its reports) goes with the sign-out; the outbox stays, as it
  // holds reports not yet delivered.
  account.querySelector('form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    void caches.delete(dataCacheName).finally(() => form.submit());
  });
}
