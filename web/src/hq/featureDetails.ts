// The readable form of a clicked feature, per layer.
import { h } from '../core/dom';
import { levelText } from '../core/evacuationLevels';
import type { ShelterProps, StationProps } from '../core/geodata';
import { localName } from '../core/i18n';
import { disposeDetailActions, reportActionsFor, shelterActionsFor } from './detailActions';
import { t, tOr, type MessageKey } from './messages';
import { hhmm } from '../core/japanTime';
import { reportTitle } from '../core/layers/reports';
import { isPublicReport } from '../core/reportFacts';
import type { MapLayerId } from '../core/layers/symbols';
import type { DistrictEvacuation, FieldReport, ShelterState } from '../core/live/situationMessages';
import { knownHazards } from './shelterRegistry';
import { isPlaceToFleeOnly, isUnsuitable, joinedReasons } from '../core/suitability';
import { capacityText, designatedHazards, hazardLabel, headCountText, openingText, undesignatedHazards } from '../core/shelterFacts';

type Row = [label: string, value: string | Node];

export interface FeatureDetails {
  title: string;
  /** What kind of feature it is: the layer's name. */
  kind: string;
  body: HTMLElement;
}

/** What the viewer may do from the details of a feature; absent: read-only. */
export interface FeatureActions {
  /** Opens the district's 警戒レベル form, when this account may issue levels. */
  changeDistrictLevel?(districtId: string): void;
  /** A district's name (a report names the district it lies in); its id until the districts are loaded. */
  districtName?(districtId: string): string;
}

export function describeFeature(layerId: MapLayerId, props: Record<string, unknown>, actions: FeatureActions = {}): FeatureDetails {
  if (layerId === 'reports') return describeReport(props.report as FieldReport, actions);
  const rows: Row[] = [];
  if (layerId === 'shelters') {
    rows.push(...liveShelterRows(props.liveStatus as ShelterState | undefined));
    rows.push(...shelterRows(registryProps(props as unknown as ShelterProps, props.liveStatus as ShelterState | undefined)));
    rows.push(...registryRows(props.liveStatus as ShelterState | undefined));
  }
  if (layerId === 'districts') rows.push(...districtRows(props.evacuation as DistrictEvacuation | undefined));
  if (layerId === 'stations') rows.push(...stationRows(props as unknown as StationProps));
  if (layerId === 'flood-zones') {
    pushIfPresent(rows, 'depthRank', props.depth_rank);
    pushIfPresent(rows, 'river', props.river);
  }
  if (layerId === 'landslide-zones') {
    pushIfPresent(rows, 'zoneType', props.zone_type);
    pushIfPresent(rows, 'phenomenon', props.phenomenon);
  }
  if (layerId === 'rivers') pushIfPresent(rows, 'riverClass', props.river_class);
  pushIfPresent(rows, 'note', props.note);
  // Shelter data must be credited as its licence words it (出典：国土地理院); other layers name their source.
  if (layerId !== 'shelters') pushIfPresent(rows, 'source', props.source);

  const body = h('div', {});
  if (props.illustrative === true) body.append(h('p', { class: 'illustrative-note' }, t('illustrativeNote')));
  if (props.location_approximate === true) body.append(h('p', { class: 'illustrative-note' }, t('locationApproximate')));
  body.append(h('dl', {}, ...rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)])));
  if (layerId === 'shelters' && typeof props.attribution === 'string') {
    body.append(h('p', { class: 'attribution' }, props.attribution));
  }
  const changeLevel = actions.changeDistrictLevel;
  if (layerId === 'districts' && changeLevel) {
    const button = h('button', { type: 'button', class: 'district-change-from-map' }, t('district.changeLevel'));
    button.addEventListener('click', () => changeLevel(String(props.id)));
    body.append(h('div', { class: 'details-actions' }, button));
  }
  // HQ acts for the shelter's staff from here; other roles see the facts only.
  if (layerId === 'shelters') {
    body.append(shelterActionsFor(String(props.id), localName(props), props.liveStatus as ShelterState | undefined, props as unknown as ShelterProps));
  }
  else disposeDetailActions();
  return { title: localName(props), kind: t(`layer.${layerId}`), body };
}

function pushIfPresent(rows: Row[], key: MessageKey, value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  rows.push([t(key), String(value)]);
}

function yesNo(value: unknown): string {
  return value === true ? t('yes') : t('no');
}

/** What the situation hub says about a shelter now; nothing until it has said anything. */
function liveShelterRows(state: ShelterState | undefined): Row[] {
  if (!state) return [];
  const rows: Row[] = [[t('openingStatus'), h('strong', {}, openingText(state))]];
  if (state.open) rows.push([t('headCount'), overCapacityText(state)]);
  if (state.suitability) rows.push([t('suitability'), suitabilityNode(state)]);
  if (state.updatedAt) rows.push([t('updatedAt'), hhmm(state.updatedAt)]);
  if (state.updatedBy) rows.push([t('updatedBy'), state.updatedBy]);
  if (state.note) rows.push([t('note'), state.note]);
  return rows;
}

/** "130人／100人（定員超過 130%）": over capacity is said, never clamped. */
function overCapacityText(state: ShelterState): string {
  const text = headCountText(state);
  if (typeof state.capacity !== 'number' || state.capacity <= 0 || state.occupancy <= state.capacity) return text;
  return `${text}${t('overCapacity', { percent: Math.round((state.occupancy / state.capacity) * 100) })}`;
}

/** A mark and words, never colour alone: "✕ 案内しない：洪水の指定なし" or "✓ 案内できる". */
function suitabilityNode(state: ShelterState): HTMLElement {
  const unsuitable = isUnsuitable(state);
  const flee = isPlaceToFleeOnly(state);
  return h(
    'span',
    { class: `suitability ${unsuitable ? 'unsuitable' : 'suitable'}`, 'data-suitable': String(!unsuitable) },
    h('span', { class: 'suitability-mark', 'aria-hidden': 'true' }, unsuitable ? '✕' : '✓'),
    ' ',
    h('strong', {}, t(unsuitable ? 'suitability.unsuitable' : 'suitability.suitable')),
    unsuitable ? h('span', { class: 'suitability-reasons' }, `：${joinedReasons(state)}`) : null,
    flee ? h('span', { class: 'place-to-flee' }, ` ${t('suitability.placeToFlee')}`) : null,
  );
}

/** The shipped geodata overlaid with the live registry (HQ's edits reach every page by the live channel). */
function registryProps(props: ShelterProps, state: ShelterState | undefined): ShelterProps {
  if (!state) return props;
  return {
    ...props,
    capacity: state.capacity ?? props.capacity,
    capacity_assumed: state.capacityAssumed ?? props.capacity_assumed,
    hazards: knownHazards(state, props),
  };
}

function registryRows(state: ShelterState | undefined): Row[] {
  if (!state) return [];
  const rows: Row[] = [];
  if (state.kind) rows.push([t('registry.kind'), t(`shelterKind.${state.kind}`)]);
  if (state.accessible !== undefined) rows.push([t('registry.accessible'), yesNo(state.accessible)]);
  if (state.contact) rows.push([t('registry.contact'), state.contact]);
  return rows;
}

function districtRows(evacuation: DistrictEvacuation | undefined): Row[] {
  if (!evacuation) return [];
  const rows: Row[] = [[t('evacuationLevel'), h('strong', {}, levelText(evacuation.level))]];
  if (evacuation.level > 0 && evacuation.issuedAt) rows.push([t('issuedAt'), hhmm(evacuation.issuedAt)]);
  if (evacuation.level > 0 && evacuation.decidedBy) rows.push([t('decidedBy'), evacuation.decidedBy]);
  if (evacuation.reason) rows.push([t('levelForm.reason'), evacuation.reason]);
  return rows;
}

function describeReport(report: FieldReport, actions: FeatureActions): FeatureDetails {
  const rows: Row[] = [
    [t('reportCategory'), t(`reportCategory.${report.category}`)],
    [t('reportSeverity'), h('strong', { class: 'severity-badge', 'data-severity': report.severity }, t(`reportSeverity.${report.severity}`))],
    [t('reportStatus'), h('strong', {}, t(`reportStatus.${report.status}`))],
    [t('reportPublic'), t(isPublicReport(report) ? 'reportPublic.yes' : 'reportPublic.no')],
    [t('observedAt'), hhmm(report.observedAt)],
  ];
  if (report.reportedAt) rows.push([t('reportedAt'), hhmm(report.reportedAt)]);
  rows.push([
    t('district'),
    report.districtId != null ? (actions.districtName?.(report.districtId) ?? report.districtId) : t('reportOutsideDistricts'),
  ]);
  if (typeof report.accuracyMetres === 'number') rows.push([t('reportAccuracy'), t('reportAccuracyValue', { m: Math.round(report.accuracyMetres) })]);
  if (report.reportedBy) rows.push([t('reportedBy'), report.reportedByName ? `${report.reportedByName}（${report.reportedBy}）` : report.reportedBy]);
  if (report.assignedTo) rows.push([t('reportAssignedTo'), report.assignedToName ? `${report.assignedToName}（${report.assignedTo}）` : report.assignedTo]);
  if (report.duplicateOf != null) rows.push([t('reportDuplicateOf'), `#${report.duplicateOf}`]);
  if (report.rejectionReason) rows.push([t('reportRejectionReason'), report.rejectionReason]);
  if (report.description) rows.push([t('reportDescription'), h('span', { class: 'free-text' }, report.description)]);
  if (report.internalNote) rows.push([t('internalNote'), h('span', { class: 'free-text' }, report.internalNote)]);
  if (report.publicSummary) rows.push([t('publicSummary'), h('span', { class: 'free-text' }, report.publicSummary)]);
  const body = h('div', {}, h('dl', {}, ...rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)])));
  body.append(reportActionsFor(report));
  return { title: reportTitle(report), kind: t('layer.reports'), body };
}

function shelterRows(shelter: ShelterProps): Row[] {
  const rows: Row[] = [];
  if (shelter.address) rows.push([t('address'), shelter.address]);
  const designated = designatedHazards(shelter).map(hazardLabel).join('・') || '—';
  rows.push([t('hazards'), designated]);
  const excluded = undesignatedHazards(shelter);
  if (excluded.length > 0) rows.push([t('notDesignatedFor'), excluded.map(hazardLabel).join('・')]);
  rows.push([t('evacuationShelter'), yesNo(shelter.is_evacuation_shelter)]);
  rows.push([t('emergencySite'), yesNo(shelter.is_emergency_site)]);
  rows.push([t('capacity'), capacityText(shelter)]);
  return rows;
}

const thresholdOrder = ['observation_start', 'standby', 'caution', 'evacuation', 'danger'] as const;

function stationRows(station: StationProps): Row[] {
  const rows: Row[] = [];
  if (station.kind) rows.push([t('stationKind'), tOr(`stationKind.${station.kind}`, station.kind)]);
  if (station.gauge_type) rows.push([t('gaugeType'), tOr(`gaugeType.${station.gauge_type}`, station.gauge_type)]);
  if (station.river_ja) rows.push([t('river'), station.river_ja]);
  const thresholds = (station.thresholds ?? {}) as Record<string, unknown>;
  const suffix = station.thresholds_assumed === false ? '' : t('assumedValues');
  for (const level of thresholdOrder) {
    const value = thresholds[level];
    if (typeof value === 'number') rows.push([t(`threshold.${level}`), `${value.toFixed(2)} ${t('metres')}${suffix}`]);
  }
  return rows;
}
