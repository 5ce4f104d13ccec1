// The field page's view of the server's messages held against the types generated from its OpenAPI document: a
// field the page reads that the server renamed or dropped fails `tsc` here. Type-only: nothing of it ships.
import type { components } from '../core/http.generated';
import type { OwnReport, ReportPhoto } from './report';

type Schemas = components['schemas'];

type Conforms<Mine, Schema> = [Exclude<keyof Mine, keyof Schema>] extends [never]
  ? true
  : { fieldsTheServerDoesNotHave: Exclude<keyof Mine, keyof Schema> };

type Holds<T extends true> = T;

export type FieldHttpContract = [
  Holds<Conforms<OwnReport, Schemas['FieldReport']>>,
  Holds<Conforms<ReportPhoto, Schemas['FieldReportPhoto']>>,
];
