// 「現在地の地区」 for notifications, worked out on the phone: the district whose polygon holds the position, from the
// districts layer the page already has. Only the district's id is sent; the position never leaves the device.

/** A GeoJSON position: longitude, latitude (RFC 7946). */
type Ring = ReadonlyArray<readonly number[]>;

interface DistrictFeature {
  properties?: { id?: unknown } | null;
  geometry?: { type?: unknown; coordinates?: unknown } | null;
}

/** Even-odd rule: a ray to the east crosses the ring's edges an odd number of times from inside. */
function inRing(lon: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the outer ring and in none of its holes. */
function inPolygon(lon: number, lat: number, rings: readonly Ring[]): boolean {
  return rings.length > 0 && inRing(lon, lat, rings[0]) && !rings.slice(1).some((hole) => inRing(lon, lat, hole));
}

function polygonsOf(geometry: DistrictFeature['geometry']): Ring[][] {
  if (!geometry || !Array.isArray(geometry.coordinates)) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates as Ring[]];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as Ring[][];
  return [];
}

/** The id of the first district (in the layer's order) whose area holds the position, or null outside them all. */
export function districtAt(lon: number, lat: number, features: readonly unknown[]): string | null {
  for (const feature of features as DistrictFeature[]) {
    const id = feature?.properties?.id;
    if (typeof id !== 'string') continue;
    if (polygonsOf(feature.geometry).some((rings) => inPolygon(lon, lat, rings))) return id;
  }
  return null;
}
