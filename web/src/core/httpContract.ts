// The client's hand-written view of the server's messages, held against the types generated from the server's OpenAPI
// document (http.generated.ts): every field the client reads must exist under that name in the server's schema, so a
// renamed or removed field fails `tsc` here instead of showing as blank on a page. Type-only: nothing of it ships.
import type {
  DeadLetter,
  FieldCrew,
  MapConfig,
  NearestShelter,
  ReportHistoryEntry,
  ShelterHistoryEntry,
  SignedInUser,
  StationOverview,
  StationSeries,
} from './api';
import type { components } from './http.generated';
import type {
  AlertState,
  DistrictEvacuation,
  FieldReport,
  FieldReportPhoto,
  HazardSource,
  HazardStatus,
  LocalLandslideEstimate,
  RainTotals,
  ShelterState,
  ShelterSuitability,
  StationState,
  SuitabilityReason,
} from './live/situationMessages';

type Schemas = components['schemas'];

/** `true` when every key of Mine is a key of Schema; otherwise names the keys the server does not have. */
type Conforms<Mine, Schema> = [Exclude<keyof Mine, keyof Schema>] extends [never]
  ? true
  : { fieldsTheServerDoesNotHave: Exclude<keyof Mine, keyof Schema> };

type Holds<T extends true> = T;

export type HttpContract = [
  Holds<Conforms<MapConfig, Schemas['ClientConfig']>>,
  Holds<Conforms<MapConfig['basemap'], Schemas['Basemap']>>,
  Holds<Conforms<SignedInUser, Schemas['Profile']>>,
  Holds<Conforms<StationOverview, Schemas['StationOverview']>>,
  Holds<Conforms<StationSeries, Schemas['StationSeries']>>,
  Holds<Conforms<StationSeries['points'][number], Schemas['SeriesPoint']>>,
  Holds<Conforms<DeadLetter, Schemas['DeadLetter']>>,
  Holds<Conforms<ShelterState, Schemas['ShelterState']>>,
  Holds<Conforms<DistrictEvacuation, Schemas['DistrictEvacuation']>>,
  Holds<Conforms<FieldReport, Schemas['FieldReport']>>,
  Holds<Conforms<FieldReportPhoto, Schemas['FieldReportPhoto']>>,
  Holds<Conforms<ReportHistoryEntry, Schemas['FieldReportHistoryEntry']>>,
  Holds<Conforms<FieldCrew, Schemas['FieldCrew']>>,
  Holds<Conforms<AlertState, Schemas['AlertState']>>,
  Holds<Conforms<StationState, Schemas['StationState']>>,
  Holds<Conforms<RainTotals, Schemas['RainTotals']>>,
  Holds<Conforms<LocalLandslideEstimate, Schemas['LocalLandslideEstimate']>>,
  Holds<Conforms<ShelterSuitability, Schemas['ShelterSuitability']>>,
  Holds<Conforms<SuitabilityReason, Schemas['SuitabilityReason']>>,
  Holds<Conforms<ShelterHistoryEntry, Schemas['ShelterHistoryEntry']>>,
  Holds<Conforms<HazardStatus, Schemas['HazardStatus']>>,
  Holds<Conforms<HazardSource, Schemas['HazardSource']>>,
  Holds<Conforms<NearestShelter, Schemas['NearbyShelter']>>,
];
