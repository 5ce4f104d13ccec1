// Properties carried by the shipped geodata files (geodata/*.geojson), as the client reads them.

export type Hazard = 'flood' | 'landslide' | 'earthquake';
export const hazards: readonly Hazard[] = ['flood', 'landslide', 'earthquake'];

export interface CommonProps {
  id: string;
  name_ja: string;
  name_en: string;
  illustrative?: boolean;
  note?: string;
  source?: string;
}

export interface ShelterProps extends CommonProps {
  address?: string;
  capacity?: number | null;
  capacity_assumed?: boolean;
  hazards?: Hazard[];
  is_evacuation_shelter?: boolean;
  is_emergency_site?: boolean;
  attribution?: string;
}

export type Thresholds =
  | { standby?: number; caution?: number; evacuation?: number; danger?: number }
  | { observation_start?: number; danger?: number };

export interface StationProps extends CommonProps {
  kind?: 'water_level' | 'rain';
  gauge_type?: 'standard' | 'crisis' | 'amedas';
  river_ja?: string;
  thresholds?: Thresholds | null;
  thresholds_assumed?: boolean;
  location_approximate?: boolean;
}

/** A site not designated for a hazard must never be offered for it. */
export function isDesignatedFor(shelter: ShelterProps, hazard: Hazard): boolean {
  return Array.isArray(shelter.hazards) && shelter.hazards.includes(hazard);
}

/** Illustrative (made-up) geometry is drawn differently from real data. */
export function isIllustrative(props: { illustrative?: unknown }): boolean {
  return props.illustrative === true;
}
