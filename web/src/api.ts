// The server's HTTP contract, in one place.

export interface MapConfig {
  basemap: { url: string; attribution: string };
  center: [number, number];
  zoom: number;
}

export interface SignedInUser {
  userName: string;
  displayName: string;
  role: string;
}

export const layerIds = [
  'boundary',
  'districts',
  'rivers',
  'flood-zones',
  'landslide-zones',
  'stations',
  'shelters',
] as const;

export type LayerId = (typeof layerIds)[number];

/** GeoJSON FeatureCollection (RFC 7946, lon/lat) as the layers endpoint returns it. */
export interface FeatureCollectionJson {
  type: 'FeatureCollection';
  features: unknown[];
}

export class UnauthorizedError extends Error {}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (response.status === 401) throw new UnauthorizedError(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export function fetchConfig(): Promise<MapConfig> {
  return getJson<MapConfig>('/api/config');
}

export function fetchMe(): Promise<SignedInUser> {
  return getJson<SignedInUser>('/api/me');
}

/**
 * The area requested for every layer: the town with a margin (one site lies just outside it).
 * A fixed bbox keeps each layer's URL stable, so the browser's cache can revalidate it by ETag.
 */
export function townBbox(center: [number, number]): [number, number, number, number] {
  const [lon, lat] = center;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return [round(lon - 0.3), round(lat - 0.2), round(lon + 0.3), round(lat + 0.2)];
}

export function fetchLayer(id: LayerId, bbox: [number, number, number, number]): Promise<FeatureCollectionJson> {
  return getJson<FeatureCollectionJson>(`/api/layers/${id}?bbox=${bbox.join(',')}`);
}
