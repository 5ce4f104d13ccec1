// "近くの開設中の避難所": the nearest open shelters that are suitable for the active hazards and not full, from the
// resident's location, a tapped point on the map, or a district. The server finds them (PostGIS nearest-neighbour
// search, straight-line distance); this view asks again, a moment after the shelters or hazards change, so the list
// follows shelters opening, filling up or becoming unsuitable. Everything is rendered as text by lit-html.
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { fetchNearestShelters, type NearestFrom, type NearestShelter } from '../core/api';
import type { CommonProps } from '../core/geodata';
import { localName, onLangChange } from '../core/i18n';
import { concerns, shelterKinds, type Situation } from '../core/live/situation';
import { subscriptions, type Mounted } from '../core/mounted';
import { headCountText, openingText } from '../core/shelterFacts';
import { isPlaceToFleeOnly, isUnsuitable } from '../core/suitability';
import { t } from './messages';

/** "直線で 850 m", "直線で 1.2 km": what the server measured, never a route. */
export function distanceText(metres: number): string {
  const value = metres < 1000 ? `${Math.max(10, Math.round(metres / 10) * 10).toLocaleString()} m` : `${(metres / 1000).toFixed(1)} km`;
  return t('nearest.distance', { value });
}

/** "130人／100人（定員超過）": over capacity said as such. */
export function countText(shelter: NearestShelter['shelter']): string {
  const text = headCountText(shelter);
  return typeof shelter.capacity === 'number' && shelter.occupancy > shelter.capacity ? `${text}${t('nearest.overCapacity')}` : text;
}

type Query = { from: NearestFrom; origin: 'location' | 'map' | 'district'; label?: string };

export interface NearestShelters extends Mounted {
  /** A point tapped on the map (lon/lat). */
  setPoint(lon: number, lat: number): void;
  setDistricts(districts: CommonProps[]): void;
  /** Shelter names by id (the page's shelter layer). */
  setNames(name: (shelterId: string) => string | undefined): void;
  /** Searches from a district (the one in the address, ?district=, as the server's page was ordered from). */
  fromDistrict(districtId: string): void;
}

export function mountNearestShelters(
  container: HTMLElement,
  situation: Situation,
  options: {
    load?: (from: NearestFrom) => Promise<NearestShelter[]>;
    geolocation?: Geolocation | null;
    /** How long live changes settle before asking again. */
    settleMs?: number;
  } = {},
): NearestShelters {
  const load = options.load ?? ((from: NearestFrom) => fetchNearestShelters(from, 3));
  const geolocation = options.geolocation === undefined ? (navigator.geolocation ?? null) : options.geolocation;
  const settleMs = options.settleMs ?? 1500;
  const subs = subscriptions();
  let query: Query | null = null;
  let results: NearestShelter[] | null = null;
  let status: 'idle' | 'locating' | 'loading' | 'failed' | 'denied' | 'ok' = 'idle';
  let districts: CommonProps[] = [];
  let name: (id: string) => string | undefined = () => undefined;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let asked = 0;
  let disposed = false;

  const ask = async (next: Query) => {
    query = next;
    status = 'loading';
    paint();
    const mine = ++asked;
    try {
      const found = await load(next.from);
      if (disposed || mine !== asked) return;
      // The server suggests only suitable shelters; an unsuitable one is never shown even if one slipped through.
      results = found.filter((r) => !isUnsuitable(r.shelter));
      status = 'ok';
    } catch (error) {
      if (disposed || mine !== asked) return;
      console.warn('nearest shelters could not be loaded', error);
      status = 'failed';
    }
    paint();
  };

  const locate = () => {
    if (!geolocation) {
      status = 'denied';
      paint();
      return;
    }
    status = 'locating';
    paint();
    geolocation.getCurrentPosition(
      (position) => void ask({ from: { lon: position.coords.longitude, lat: position.coords.latitude }, origin: 'location' }),
      () => {
        status = 'denied';
        paint();
      },
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const originText = (q: Query): string =>
    q.origin === 'location' ? t('nearest.fromLocation') : q.origin === 'map' ? t('nearest.fromMap') : t('nearest.fromDistrict', { district: q.label ?? '' });

  const card = (r: NearestShelter): TemplateResult => {
    const flee = isPlaceToFleeOnly(r.shelter);
    const id = r.shelter.shelterId;
    return html`<li
      class="nearest-card crowding-${r.shelter.crowding}"
      data-shelter-id=${id}
      data-crowding=${r.shelter.crowding}
      data-place-to-stay=${String(!flee)}
      data-distance=${String(Math.round(r.distanceMetres))}
    >
      <h3>${name(id) ?? id}</h3>
      <p class="nearest-distance">${distanceText(r.distanceMetres)}</p>
      <p class="opening"><span class="opening-mark" aria-hidden="true"></span>${openingText(r.shelter)}</p>
      <p class="nearest-count">${countText(r.shelter)}</p>
      ${flee ? html`<p class="place-to-flee"><span aria-hidden="true">⚠ </span>${t('nearest.placeToFlee')}</p>` : nothing}
    </li>`;
  };

  const statusText = (): string => {
    switch (status) {
      case 'idle':
        return t('nearest.idle');
      case 'locating':
        return t('nearest.locating');
      case 'loading':
        return t('loading');
      case 'denied':
        return t('nearest.denied');
      case 'failed':
        return t('nearest.failed');
      case 'ok':
        return query ? t(results && results.length > 0 ? 'nearest.found' : 'nearest.none', { origin: originText(query), n: results?.length ?? 0 }) : '';
    }
  };

  const paint = () => {
    if (disposed) return;
    const districtValue = query?.origin === 'district' && 'district' in query.from ? query.from.district : '';
    render(
      html`<h2 id="nearest-title">${t('nearest.title')}</h2>
        <p class="nearest-note">${t('nearest.note')}</p>
        <div class="nearest-controls">
          <button type="button" class="nearest-locate" ?disabled=${status === 'locating'} @click=${locate}>${t('nearest.useLocation')}</button>
          <label class="nearest-district">
            <span>${t('nearest.district')}</span>
            <select
              name="district"
              @change=${(e: Event) => {
                const select = e.target as HTMLSelectElement;
                if (!select.value) return;
                const picked = districts.find((d) => d.id === select.value);
                void ask({ from: { district: select.value }, origin: 'district', label: picked ? localName(picked) : select.value });
              }}
            >
              <option value="" ?selected=${districtValue === ''}>${t('nearest.chooseDistrict')}</option>
              ${districts.map((d) => html`<option value=${d.id} ?selected=${districtValue === d.id}>${localName(d)}</option>`)}
            </select>
          </label>
        </div>
        <p class="nearest-hint">${t('nearest.mapHint')}</p>
        <p class="nearest-status" role="status" data-state=${status}>${statusText()}</p>
        ${results && results.length > 0 && query ? html`<ul class="nearest-cards">${results.map(card)}</ul>` : nothing}`,
      container,
    );
  };

  subs.add(
    situation.onChange((change) => {
      // A snapshot or a shelter or hazard change may change the answer: ask again once things settle.
      if (!query || !concerns(change, shelterKinds) || timer) return;
      timer = setTimeout(() => {
        timer = null;
        if (query) void ask(query);
      }, settleMs);
    }),
  );
  subs.add(onLangChange(paint));
  subs.add(() => {
    if (timer) clearTimeout(timer);
  });
  paint();

  return {
    setPoint(lon, lat) {
      void ask({ from: { lon, lat }, origin: 'map' });
    },
    setDistricts(next) {
      districts = next;
      paint();
    },
    setNames(next) {
      name = next;
      paint();
    },
    fromDistrict(districtId) {
      const picked = districts.find((d) => d.id === districtId);
      void ask({ from: { district: districtId }, origin: 'district', label: picked ? localName(picked) : districtId });
    },
    dispose() {
      disposed = true;
      subs.dispose();
      render(nothing, container);
    },
  };
}
