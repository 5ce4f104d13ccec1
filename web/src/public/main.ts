// Public view for residents: no sign-in, large text, works on a small phone and a weak network. The server renders
// the whole page (complete without JavaScript, in the language of its address); this script takes each part over once
// it has that part's data, follows the public hub live (or, where the hub cannot be reached, asks for the public
// snapshot every 30 s) and loads the map only when it is wanted. Nothing here imports OpenLayers: the map is the
// chunk publicMap.ts, imported on demand, and the hub's client is imported after the first paint.
import '../styles/common.css';
import '../styles/public.css';
import { fetchConfig, fetchLayer, townBbox, type FeatureCollectionJson, type MapConfig } from '../core/api';
import { byId, h } from '../core/dom';
import { hazards, isDesignatedFor, type CommonProps, type Hazard, type ShelterProps } from '../core/geodata';
import { adoptPageLang, applyStaticText, localName } from '../core/i18n';
import { showDemoBanner } from '../core/demoBanner';
import { mountDrillBanner } from '../core/drillBanner';
import { concerns, shelterKinds, Situation } from '../core/live/situation';
import type { SituationEvent, SituationSnapshot } from '../core/live/situationMessages';
import type { LiveStatus } from '../core/live/situationStream';
import { t } from './messages';
import { mountEvacuationBanner } from './evacuationBanner';
import { mountGaugePanel, type GaugePanel } from './gaugePanel';
import { hazardIcon } from './hazardIcons';
import { mountLanguageLinks, textVersionHref } from './languageLinks';
import { mountLevelBoard } from './levelBoard';
import { snapshotPoller } from './liveFallback';
import { isStale, mountPublicLiveStatus } from './liveStatus';
import { mountNearestShelters, type NearestShelters } from './nearestShelters';
import { mountNotificationEntry } from './notifications/entry';
import { mountOfficialWarnings } from './officialWarnings';
import type { PublicMap } from './publicMap';
import { mountPublicReports } from './reportCards';
import { shelterCard } from './shelterCard';
import { settled, takeOver } from './takeOver';

type Filter = Hazard | 'all';

// Used when /api/config cannot be reached, so the list still appears on a failing network.
const fallbackConfig: MapConfig = { basemap: { url: '', attribution: '' }, center: [140.19, 38.0], zoom: 12, simulated: false };
/** From this width the map sits beside the list and loads by itself once the page has loaded. */
const wideScreen = '(min-width: 960px)';
/** How long the hub may take to connect before the page also asks for the snapshot over plain HTTP. */
const hubPatienceMs = 10_000;

const pageLang = adoptPageLang();
applyStaticText(document);
mountLanguageLinks(byId('language-switch'), pageLang, location.search);
byId<HTMLAnchorElement>('text-version').href = textVersionHref(pageLang, location.search);

const situation = new Situation();
let filter: Filter = 'all';
let shelters: ShelterProps[] = [];
let listShown = false;
/** The shelter last picked on the map, outlined in the list. */
let pickedId: string | null = null;
let gauges: GaugePanel | null = null;
let nearest: NearestShelters | null = null;
const list = byId('shelter-list');

// ── Data: the snapshot (from the hub or the public JSON) and the layers, as plain JSON ──
let heldSeq = -1;
let firstSnapshot: () => void = () => undefined;
const snapshotLoaded = new Promise<void>((resolve) => (firstSnapshot = resolve));

const config = fetchConfig().catch((error: unknown) => {
  console.warn('map configuration unavailable, using defaults', error);
  return fallbackConfig;
});
const layer = (id: 'districts' | 'shelters' | 'stations'): Promise<FeatureCollectionJson> =>
  config.then((c) => fetchLayer(id, townBbox(c.center)));
const districtsJson = layer('districts');
const sheltersJson = layer('shelters');
const stationsJson = layer('stations');
const propsOf = <T>(json: FeatureCollectionJson): T[] => (json.features as Array<{ properties: T }>).map((f) => f.properties);
let knownDistricts: CommonProps[] = [];
// The parts that name districts use their ids when the layer cannot be had.
const districts = districtsJson.then((json) => (knownDistricts = propsOf<CommonProps>(json)));
districts.catch(() => undefined);
const sheltersLoaded = sheltersJson.then((json) => {
  shelters = propsOf<ShelterProps>(json);
  list.dataset.featureCount = String(shelters.length);
  return shelters;
});
sheltersLoaded.catch(() => undefined);

void config.then((c) => showDemoBanner(byId('demo-banner'), c.simulated));

// ── Live: the hub, and the public snapshot over HTTP while the hub cannot be reached ──
const liveStatus = mountPublicLiveStatus({ status: byId('live-status'), warning: byId('stale-warning'), note: document.getElementById('stale-note') });

function loadSnapshot(snapshot: SituationSnapshot): void {
  heldSeq = snapshot.seq;
  situation.load(snapshot);
  liveStatus.updated(snapshot.at);
  firstSnapshot();
}

function applyEvents(events: SituationEvent[]): void {
  // After a snapshot fetched over HTTP the hub may replay events that snapshot already holds.
  const fresh = events.filter((e) => e.seq > heldSeq);
  if (fresh.length === 0) return;
  heldSeq = fresh[fresh.length - 1].seq;
  situation.apply(fresh);
  liveStatus.updated(fresh.reduce((latest, e) => (e.at > latest ? e.at : latest), fresh[0].at));
}

const poller = snapshotPoller({
  snapshot: (snapshot) => {
    if (snapshot.seq > heldSeq) loadSnapshot(snapshot);
  },
});
let hubLive = false;
function showStatus(status: LiveStatus): void {
  hubLive = status.state === 'live';
  liveStatus.show(status);
  if (hubLive) poller.stop();
  else if (isStale(status)) poller.start();
  liveStatus.polling(poller.running);
}

function followHub(): void {
  import('../core/live/situationStream').then(
    ({ followSituation }) => followSituation('/hubs/public', { snapshot: loadSnapshot, events: applyEvents, status: showStatus }),
    (error: unknown) => {
      console.warn('the live client could not be loaded', error);
      showStatus({ state: 'offline', offlineSince: new Date() });
    },
  );
  // A hub that neither connects nor fails (a proxy holding the connection): the snapshot over HTTP meanwhile.
  setTimeout(() => {
    if (!hubLive) {
      poller.start();
      liveStatus.polling(true);
    }
  }, hubPatienceMs);
}
// The hub's client (SignalR, the largest script the page needs) once the page has loaded: the server's rendering is
// on screen and complete meanwhile, and the first view's bytes are the list's alone. A load that takes long (a
// stalled stylesheet) does not hold the live link back for more than a few seconds.
let following = false;
const startFollowing = () => {
  if (following) return;
  following = true;
  followHub();
};
if (document.readyState === 'complete') setTimeout(startFollowing, 0);
else addEventListener('load', () => setTimeout(startFollowing, 0), { once: true });
setTimeout(startFollowing, 3_000);

// ── Each part, taken over once it has its data ──
const named = settled(snapshotLoaded, districts);
void takeOver([byId('drill-banner')], snapshotLoaded, () => mountDrillBanner(situation));
void takeOver([byId('evacuation-banner')], named, () => {
  mountEvacuationBanner(byId('evacuation-banner'), situation).setDistricts(districtNames());
});
void takeOver([byId('level-board')], named, () => {
  mountLevelBoard(byId('level-board'), situation).setDistricts(districtNames());
});
void takeOver([byId('official-warnings')], snapshotLoaded, () => mountOfficialWarnings(byId('official-warnings'), situation));
void takeOver([byId('report-cards'), byId('reports-count')], named, () => {
  mountPublicReports(byId('report-cards'), byId('reports-count'), situation, (reportId) => void openMap().then((m) => m.showReport(reportId))).setDistricts(
    districtNames(),
  );
});
void takeOver([byId('station-list'), byId('gauges-summary')], settled(snapshotLoaded, stationsJson), () => {
  gauges = mountGaugePanel(situation);
  stationsJson.then(
    (json) => gauges?.setStations(propsOf<Record<string, unknown>>(json)),
    () => undefined, // the shelters matter more: the page goes on without gauges
  );
});
void takeOver([byId('nearest')], settled(districts, sheltersLoaded), () => {
  const panel = mountNearestShelters(byId('nearest'), situation);
  nearest = panel;
  panel.setDistricts(districtNames());
  const names = new Map(shelters.map((s) => [String(s.id), s]));
  panel.setNames((id) => {
    const shelter = names.get(id);
    return shelter ? localName(shelter) : undefined;
  });
  const district = new URLSearchParams(location.search).get('district');
  if (district) panel.fromDistrict(district);
});

function districtNames(): CommonProps[] {
  return knownDistricts;
}

mountHazardFilter(byId('hazard-filter'));
void takeOver([list, byId('shown-count')], Promise.all([snapshotLoaded, sheltersLoaded]), () => {
  listShown = true;
  byId('list-status').textContent = '';
  renderList();
}).catch((error: unknown) => {
  console.warn('shelters could not be loaded', error);
  // The server's list (when there is one) stays; without it, say so.
  if (!list.querySelector('[data-shelter-id]')) byId('list-status').textContent = t('loadFailed');
  list.dataset.loadError = 'true';
});
situation.onChange((change) => {
  if (listShown && concerns(change, shelterKinds)) renderList();
});

// ── Notifications (Web Push): the form is its own chunk, loaded when wanted ──
mountNotificationEntry({ section: byId('notify'), districts: districtsJson, shelters: sheltersJson });

// ── The map, on demand ──
const mapSection = byId('map-section');
const showMapButton = byId<HTMLButtonElement>('show-map');
const mapStatus = byId('map-status');
let mapLoad: Promise<PublicMap> | null = null;
mapSection.hidden = false;
showMapButton.addEventListener('click', () => {
  void openMap();
  byId('map').focus({ preventScroll: true });
});

function openMap(): Promise<PublicMap> {
  if (mapLoad) return mapLoad;
  const target = byId('map');
  showMapButton.hidden = true;
  target.hidden = false;
  byId('map-keys').hidden = false;
  mapStatus.textContent = t('mapLoading');
  const load = Promise.all([import('./publicMap'), config]).then(([{ mountPublicMap }, mapConfig]) => {
    mapStatus.textContent = '';
    return mountPublicMap({
      target,
      config: mapConfig,
      situation,
      shelters: sheltersJson,
      stations: stationsJson,
      shows: matches,
      pickShelter,
      pickReport,
      openStation: (stationId) => gauges?.open(stationId),
      searchFrom: (lon, lat) => {
        nearest?.setPoint(lon, lat);
        byId('nearest').scrollIntoView({ behavior: 'smooth', block: 'nearest' });
      },
    });
  });
  load.catch((error: unknown) => {
    console.warn('the map could not be loaded', error);
    mapStatus.textContent = t('mapFailed');
    target.hidden = true;
    byId('map-keys').hidden = true;
    showMapButton.hidden = false;
    mapLoad = null;
  });
  mapLoad = load;
  return load;
}

// On a wide screen the map sits beside the list: loaded by itself, after everything the list needed.
const openWhenWide = () => {
  if (matchMedia(wideScreen).matches) void openMap();
};
if (document.readyState === 'complete') setTimeout(openWhenWide, 0);
else addEventListener('load', openWhenWide, { once: true });

function pickShelter(shelterId: string | null): void {
  pickedId = shelterId;
  list.querySelectorAll('.picked').forEach((el) => el.classList.remove('picked'));
  if (!shelterId) return;
  const card = list.querySelector<HTMLElement>(`[data-shelter-id="${CSS.escape(shelterId)}"]`);
  card?.classList.add('picked');
  card?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
}

function pickReport(reportId: number): void {
  const cards = byId('report-cards');
  cards.querySelectorAll('.picked').forEach((el) => el.classList.remove('picked'));
  const card = cards.querySelector<HTMLElement>(`[data-report-id="${CSS.escape(String(reportId))}"]`);
  card?.classList.add('picked');
  card?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
}

// ── The shelter list ──
function matches(shelter: ShelterProps): boolean {
  return filter === 'all' || isDesignatedFor(shelter, filter);
}

/** Open shelters first (least crowded first), then the rest in their usual order. */
const bandOrder = ['available', 'somewhat_crowded', 'unknown', 'crowded', 'full'];
function rank(shelter: ShelterProps): number {
  const state = situation.shelters.get(String(shelter.id));
  return state?.open ? bandOrder.indexOf(state.crowding) : bandOrder.length;
}

function renderList(): void {
  // A resident may be on a card's button when an update arrives: keep their place.
  const focusedCard = document.activeElement?.closest<HTMLElement>('[data-shelter-id]')?.dataset.shelterId;
  const shown = shelters.filter(matches).sort((a, b) => rank(a) - rank(b));
  list.dataset.visibleCount = String(shown.length);
  list.replaceChildren(
    ...shown.map((s) =>
      shelterCard(s, situation.shelters.get(String(s.id)), () => void openMap().then((m) => m.showShelter(String(s.id)))),
    ),
  );
  if (shelters.length > 0 && shown.length === 0) list.append(h('li', { class: 'empty' }, t('noSitesForHazard')));
  const open = shown.filter((s) => situation.shelters.get(String(s.id))?.open).length;
  byId('shown-count').textContent =
    shelters.length > 0 ? t('sitesShown', { n: shown.length }) + (situation.known ? t('openCount', { n: open }) : '') : '';
  if (pickedId) list.querySelector(`[data-shelter-id="${CSS.escape(pickedId)}"]`)?.classList.add('picked');
  if (focusedCard) list.querySelector<HTMLElement>(`[data-shelter-id="${CSS.escape(focusedCard)}"] button`)?.focus();
}

/** The hazard filter needs the script (the server leaves it out): added here, shown from now on. */
function mountHazardFilter(fieldset: HTMLElement): void {
  fieldset.querySelectorAll('.filter-option').forEach((el) => el.remove());
  const options: Filter[] = ['all', ...hazards];
  for (const option of options) {
    const input = h('input', { type: 'radio', name: 'hazard', value: option, id: `filter-${option}` });
    input.checked = option === filter;
    input.addEventListener('change', () => {
      filter = option;
      if (listShown) renderList();
      void mapLoad?.then((m) => m.redraw());
    });
    const text = h('span', { 'data-i18n': option === 'all' ? 'filter.all' : `hazard.${option}` });
    const label = h('label', { for: input.id }, text);
    if (option !== 'all') label.insertAdjacentHTML('afterbegin', hazardIcon(option));
    fieldset.append(h('div', { class: 'filter-option' }, input, label));
  }
  applyStaticText(fieldset);
  fieldset.hidden = false;
}
