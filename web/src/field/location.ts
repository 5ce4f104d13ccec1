// Where the report is: the phone's GPS with its accuracy ("±35 m"), or a tap on the small map when there is no fix
// (or the crew knows better). The map shows the town's boundary from the shared layer code, so the crew sees where the
// service area ends even with no basemap (offline).
import { html, nothing, type TemplateResult } from 'lit-html';
import Feature from 'ol/Feature';
import type Map from 'ol/Map';
import { Point } from 'ol/geom';
import VectorLayer from 'ol/layer/Vector';
import { fromLonLat, toLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import { Circle, Fill, Stroke, Style } from 'ol/style';
import type { MapConfig } from '../core/api';
import { boundaryLayer } from '../core/layers/boundary';
import { createMap, fitTo } from '../core/map/createMap';
import { addToMap, createDataLayer, markReadyWhenRendered } from '../core/map/dataLayer';
import { t } from './messages';

export interface PickedLocation {
  longitude: number;
  latitude: number;
  /** Metres, from the GPS; absent for a place tapped on the map. */
  accuracyMetres?: number;
  source: 'gps' | 'map';
}

type GpsState = 'locating' | 'fix' | 'unavailable' | 'denied';

const markerStyle = new Style({
  image: new Circle({ radius: 9, fill: new Fill({ color: '#c62828' }), stroke: new Stroke({ color: '#ffffff', width: 3 }) }),
});

export class LocationPicker {
  location: PickedLocation | null = null;
  private gps: GpsState = 'locating';
  private lastFix: PickedLocation | null = null;
  private watch: number | null = null;
  private map: Map | null = null;
  private resizes: ResizeObserver | null = null;
  private readonly marker = new Feature<Point>();
  private readonly markerSource = new VectorSource<Feature>();

  constructor(private readonly changed: () => void) {
    this.marker.setStyle(markerStyle);
  }

  /** Follows the GPS for as long as the form is open. */
  start(): void {
    if (!navigator.geolocation) {
      this.gps = 'unavailable';
      return;
    }
    this.watch = navigator.geolocation.watchPosition(
      (position) => {
        const fix: PickedLocation = {
          longitude: position.coords.longitude,
          latitude: position.coords.latitude,
          accuracyMetres: Math.max(0, position.coords.accuracy),
          source: 'gps',
        };
        this.lastFix = fix;
        this.gps = 'fix';
        // A place the crew tapped stays until they ask for the GPS again.
        if (this.location === null || this.location.source === 'gps') this.setLocation(fix);
        this.changed();
      },
      (error) => {
        // A timeout after a fix keeps the fix; with none, the map is the way.
        if (error.code === error.PERMISSION_DENIED) this.gps = 'denied';
        else if (this.gps !== 'fix') this.gps = 'unavailable';
        this.changed();
      },
      { enableHighAccuracy: true, maximumAge: 30_000, timeout: 30_000 },
    );
  }

  /** Draws the small map into `target` (an element lit-html leaves alone). */
  attachMap(target: HTMLElement, config: MapConfig, bbox: [number, number, number, number]): void {
    const map = createMap({ target, config, onBasemapUnavailable: () => undefined });
    this.map = map;
    const boundary = createDataLayer(boundaryLayer, bbox);
    addToMap(map, boundary);
    this.markerSource.addFeature(this.marker);
    map.addLayer(new VectorLayer({ source: this.markerSource, zIndex: 50 }));
    // The whole town: where its service area ends is as useful as the streets, and the crew can zoom in to tap.
    // The form may be on a hidden tab when the map is made: size and fit it once it has a size.
    let town: Feature[] | null = null;
    let fitted = false;
    const fit = () => {
      const size = map.getSize();
      if (fitted || !town || !size || size[0] === 0 || size[1] === 0) return;
      fitted = true;
      fitTo(map, town, [4, 4, 4, 4]);
    };
    this.resizes = new ResizeObserver(() => {
      map.updateSize();
      fit();
    });
    this.resizes.observe(target);
    boundary.loaded.then(
      (features) => {
        town = features;
        fit();
      },
      () => undefined, // no boundary (never loaded while online): the configured view
    );
    markReadyWhenRendered(map, [boundary.loaded]);
    map.on('singleclick', (event) => {
      const [longitude, latitude] = toLonLat(event.coordinate);
      this.setLocation({ longitude, latitude, source: 'map' });
      this.changed();
    });
    this.showMarker();
  }

  useGps(): void {
    if (!this.lastFix) return;
    this.setLocation(this.lastFix);
    this.map?.getView().animate({ center: fromLonLat([this.lastFix.longitude, this.lastFix.latitude]), duration: 300 });
    this.changed();
  }

  /** Back to following the GPS (a new report), or a stored place (correcting one). */
  reset(location: PickedLocation | null = null): void {
    this.setLocation(location ?? this.lastFix);
    this.changed();
  }

  private setLocation(location: PickedLocation | null): void {
    this.location = location;
    this.showMarker();
  }

  private showMarker(): void {
    this.marker.setGeometry(this.location ? new Point(fromLonLat([this.location.longitude, this.location.latitude])) : undefined);
  }

  template(errorText: string | null): TemplateResult {
    const location = this.location;
    const state = location?.source ?? (this.gps === 'locating' ? 'locating' : 'none');
    let status: TemplateResult;
    if (location?.source === 'gps') {
      status = html`${t('location.gps')} <strong class="accuracy">${t('location.accuracy', { m: Math.round(location.accuracyMetres ?? 0) })}</strong>`;
    } else if (location?.source === 'map') {
      status = html`${t('location.tapped')}`;
    } else if (this.gps === 'locating') {
      status = html`${t('location.locating')}`;
    } else {
      status = html`${t(this.gps === 'denied' ? 'location.denied' : 'location.noFix')}`;
    }
    return html`<fieldset class="location" id="location-field" data-location=${state}>
      <legend>${t('locationLabel')}</legend>
      <p class="location-status" role="status">${status}</p>
      ${location
        ? html`<p class="location-coords">${location.latitude.toFixed(5)}, ${location.longitude.toFixed(5)}</p>`
        : nothing}
      <div class="location-map map" id="location-map" role="application" aria-label=${t('location.mapLabel')}></div>
      <div class="location-tools">
        <span class="hint">${location ? t('location.mapHint') : nothing}</span>
        ${location?.source === 'map' && this.lastFix
          ? html`<button type="button" class="secondary" @click=${() => this.useGps()}>${t('location.useGps')}</button>`
          : nothing}
      </div>
      ${errorText ? html`<p class="field-error">${errorText}</p>` : nothing}
    </fieldset>`;
  }

  dispose(): void {
    if (this.watch !== null) navigator.geolocation.clearWatch(this.watch);
    this.resizes?.disconnect();
    this.map?.setTarget(undefined);
  }
}
