// The shelter staff's phone page (/shelter): count people in and out at the entrance with big buttons, on any network
// or none. Taps go to an on-device queue first and are sent in order when the network allows; the shelter's state
// from the staff hub keeps the head count current when another door counts too.
import '../styles/common.css';
import '../styles/shelter.css';
import { fetchConfig, fetchLayer, fetchMe, townBbox, UnauthorizedError, type MapConfig, type SignedInUser } from '../core/api';
import { showDemoBanner } from '../core/demoBanner';
import { mountDrillBanner } from '../core/drillBanner';
import { byId } from '../core/dom';
import type { ShelterProps } from '../core/geodata';
import { applyStaticText, localName, mountLanguageSwitch, onLangChange } from '../core/i18n';
import { mountLiveIndicator } from '../core/live/liveIndicator';
import { concerns, Situation } from '../core/live/situation';
import { followSituation } from '../core/live/situationStream';
import type { Mounted } from '../core/mounted';
import { mountCountPanel } from './countPanel';
import { t } from './messages';
import { mountPicker } from './picker';
import { CountQueue } from './queue';
import { postCount } from './sender';
import { startSending } from './sending';
import { dataCacheName } from './swCaches';

interface Profile extends SignedInUser {
  shelters?: string[];
}

// Used when /api/config cannot be had (never loaded while online): only its centre is needed, for the layer's bbox.
const fallbackConfig: MapConfig = { basemap: { url: '', attribution: '' }, center: [140.19, 38.0], zoom: 12, simulated: false };

applyStaticText(document);
mountLanguageSwitch(byId('language-switch'));
registerServiceWorker();
mountNetworkStatus(byId('net-status'));
void start();

async function start(): Promise<void> {
  const queue = await CountQueue.open();
  await queue.tidy();
  startSending(queue, postCount);

  // Every shelter state the staff hub sends is the server's confirmed figure: kept for this phone's offline reloads.
  let chosenId: string | null = null;
  const situation = new Situation();
  mountDrillBanner(situation);
  const keepChosen = async () => {
    const state = chosenId === null ? undefined : situation.shelters.get(chosenId);
    if (!state) return;
    // While a batch is on its way, its own event would count it twice beside the pending batch: its answer says it all.
    const batches = await queue.list();
    if (!batches.some((b) => b.shelterId === state.shelterId && b.state === 'sending')) await queue.confirm(state);
  };
  situation.onChange((change) => {
    if (concerns(change, ['shelter_status_changed'])) void keepChosen();
  });
  const indicator = mountLiveIndicator(byId('live-status'), { staleHint: 'short' });
  followSituation('/hubs/situation', {
    snapshot: (snapshot) => situation.load(snapshot),
    events: (events) => situation.apply(events),
    status: indicator.show,
    signedIn: async () => (await fetch('/api/me', { credentials: 'same-origin' })).status !== 401,
  });

  const config = await fetchConfig().catch((error: unknown) => {
    console.warn('configuration unavailable, using defaults', error);
    return fallbackConfig;
  });
  showDemoBanner(byId('demo-banner'), config.simulated);

  const me = (await fetchMe().catch((error: unknown) => {
    if (error instanceof UnauthorizedError) location.assign('/login?returnUrl=/shelter');
    console.warn('who is signed in is unknown', error);
    return null;
  })) as Profile | null;
  showAccount(me);

  const pickerHost = byId('picker-host');
  pickerHost.textContent = t('picker.loading');
  const all = await fetchLayer('shelters', townBbox(config.center))
    .then((layer) => layer.features.map((f) => (f as { properties: ShelterProps }).properties))
    .catch((error: unknown) => {
      console.warn('shelters unavailable', error);
      return [] as ShelterProps[];
    });
  // HQ acts for any shelter; shelter staff for their own (the server refuses the rest with 403 whatever the page offers).
  const mine = me?.role === 'hq' ? all : all.filter((s) => me?.shelters?.includes(s.id));
  const byShelterId = new Map(all.map((s) => [s.id, s]));

  let panel: Mounted | null = null;
  pickerHost.textContent = '';
  mountPicker(pickerHost, {
    shelters: mine,
    requested: new URLSearchParams(location.search).get('shelter'),
    nameOf: (shelterId) => {
      const shelter = byShelterId.get(shelterId);
      return shelter ? localName(shelter) : shelterId;
    },
    chosen: (shelterId) => {
      panel?.dispose();
      panel = null;
      chosenId = shelterId;
      if (shelterId === null) return;
      void keepChosen();
      const shelter = byShelterId.get(shelterId) ?? { id: shelterId, name_ja: shelterId, name_en: shelterId };
      panel = mountCountPanel(byId('panel-host'), { shelter, queue });
    },
  });
}

function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const controlled = () => (document.body.dataset.offlineReady = String(navigator.serviceWorker.controller !== null));
  navigator.serviceWorker.addEventListener('controllerchange', controlled);
  controlled();
  navigator.serviceWorker.register('/shelter-sw.js', { scope: '/shelter' }).catch((error: unknown) => {
    console.warn('the page will not load offline: service worker refused', error);
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

function showAccount(me: SignedInUser | null): void {
  const account = byId('account');
  account.hidden = me === null;
  const paint = () => (byId('user-name').textContent = me ? t('signedInAs', { name: me.displayName }) : '');
  onLangChange(paint);
  paint();
  // What this phone kept of the account goes with the sign-out; the count queue stays, as it holds people not yet sent.
  account.querySelector('form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    void caches.delete(dataCacheName).finally(() => form.submit());
  });
}
