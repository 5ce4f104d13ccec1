// What has just happened, newest first: the snapshot's recent events, then each event as it arrives, each as a
// sentence in the current language. Browser tests read #activity-list li[data-seq][data-kind].
import { h } from '../core/dom';
import { isIssued, levelName } from '../core/evacuationLevels';
import { lang, onLangChange } from '../core/i18n';
import { t } from './messages';
import { hhmmss, isoTime } from '../core/japanTime';
import type { Situation, SituationChange } from '../core/live/situation';
import { subscriptions, type Mounted } from '../core/mounted';
import type { RefusalCount, SituationEvent, SituationSnapshot, StationState } from '../core/live/situationMessages';
import { crowdingLabel } from '../core/shelterFacts';
import { metresText, stageRank, stageThresholdKey, thresholdName } from '../core/stations/stationFacts';
import { deadLetterReason } from './deadLetters';

/** Enough to scroll back over a busy hour without the page growing without bound. */
const maxItems = 200;
const maxDetailLength = 120;

export interface PlaceNames {
  shelter(id: string): string;
  district(id: string): string;
  station(id: string): string;
  /** standard, crisis or amedas; undefined until the gauges are known. */
  gaugeType(id: string): string | undefined;
}

interface Item {
  event: SituationEvent;
  /** Whether the shelter was open before this event; undefined when the page cannot know (older events). */
  wasOpen?: boolean;
  /** The alert's message, for acknowledgements and clearances that carry only its id. */
  alertMessage?: string;
  /** The gauge's state before a station_state_changed. */
  stationBefore?: StationState;
  element: HTMLLIElement;
}

/**
 * Gauge states change every few minutes and have their own display; the list carries one only when it says something a
 * decision hangs on: the stage moved, or the local landslide estimate's concern did. A gauge first heard from is news
 * only when it is already above normal. `before` undefined: never heard from before.
 */
function isNotable(before: StationState | undefined, state: StationState): boolean {
  if (!before) return stageRank(state.stage) > stageRank('normal') || (state.landslide?.concern ?? 'none') !== 'none';
  const stageMoved = state.stage !== undefined && state.stage !== before.stage;
  const concernMoved = state.landslide !== undefined && state.landslide.concern !== (before.landslide?.concern ?? 'none');
  return stageMoved || concernMoved;
}

export interface ActivityList extends Mounted {
  /** Re-renders every sentence, e.g. once shelter and district names have loaded. */
  refresh(): void;
}

export function mountActivityList(list: HTMLElement, status: HTMLElement, situation: Situation, names: PlaceNames): ActivityList {
  let items: Item[] = []; // newest first
  const alertMessages = new Map<number, string>();
  status.textContent = t('activityWaiting');

  const rememberAlerts = (event: SituationEvent) => {
    if (event.kind === 'alert_raised') alertMessages.set(event.alert.alertId, event.alert.message);
  };

  const create = (event: SituationEvent, context: Omit<Item, 'event' | 'element'>): Item => {
    const element = h('li', { 'data-seq': String(event.seq), 'data-kind': event.kind });
    const item = { event, ...context, element };
    render(item);
    return item;
  };

  const render = (item: Item) => {
    const { sentence, detail, urgent } = describe(item, names);
    item.element.className = `activity-item activity-${group(item.event)}${urgent ? ' urgent' : ''}`;
    item.element.replaceChildren(
      h('time', { datetime: isoTime(item.event.at) }, hhmmss(item.event.at)),
      h('span', { class: 'activity-text' }, sentence),
    );
    if (detail) item.element.append(h('span', { class: 'activity-detail' }, detail));
  };

  const showStatus = () => {
    status.textContent = !situation.known ? t('activityWaiting') : items.length === 0 ? t('activityEmpty') : '';
  };

  const loadSnapshot = (snapshot: SituationSnapshot) => {
    // A snapshot behind what the list shows comes from another log (a restored database): start over.
    if (items.length > 0 && items[0].event.seq > snapshot.seq) items = [];
    snapshot.alerts.forEach((a) => alertMessages.set(a.alertId, a.message));
    const recent = [...snapshot.recent].sort((a, b) => a.seq - b.seq);
    const known = new Set(items.map((i) => i.event.seq));
    const openSeen = new Map<string, boolean>();
    // A gauge's first state in the recent events has no before: the page cannot tell what changed, so it is left out.
    const stationSeen = new Map<string, StationState>();
    const added: Item[] = [];
    for (const event of recent) {
      rememberAlerts(event);
      const stationBefore = event.kind === 'station_state_changed' ? stationSeen.get(event.state.stationId) : undefined;
      const listed = event.kind !== 'station_state_changed' || (stationBefore !== undefined && isNotable(stationBefore, event.state));
      if (listed && !known.has(event.seq)) {
        added.push(
          create(event, {
            wasOpen: event.kind === 'shelter_status_changed' ? openSeen.get(event.shelter.shelterId) : undefined,
            alertMessage: 'alertId' in event ? alertMessages.get(event.alertId) : undefined,
            stationBefore,
          }),
        );
      }
      if (event.kind === 'shelter_status_changed') openSeen.set(event.shelter.shelterId, event.shelter.open);
      if (event.kind === 'station_state_changed') stationSeen.set(event.state.stationId, event.state);
    }
    items = [...added, ...items].sort((a, b) => b.event.seq - a.event.seq).slice(0, maxItems);
    list.replaceChildren(...items.map((i) => i.element));
    showStatus();
  };

  const addEvents = (change: Extract<SituationChange, { kind: 'events' }>) => {
    const added: Item[] = [];
    for (const { event, shelterBefore, alertBefore, stationBefore } of change.applied) {
      if (event.kind === 'station_state_changed' && !isNotable(stationBefore, event.state)) continue;
      rememberAlerts(event);
      added.unshift(
        create(event, {
          wasOpen: shelterBefore?.open,
          alertMessage: alertBefore?.message ?? ('alertId' in event ? alertMessages.get(event.alertId) : undefined),
          stationBefore,
        }),
      );
    }
    if (added.length === 0) return;
    items = [...added, ...items];
    added.forEach((i) => i.element.classList.add('fresh'));
    list.prepend(...added.map((i) => i.element));
    items.splice(maxItems).forEach((i) => i.element.remove());
    showStatus();
  };

  const subs = subscriptions();
  subs.add(situation.onChange((change) => (change.kind === 'snapshot' ? loadSnapshot(change.snapshot) : addEvents(change))));
  const refresh = () => {
    items.forEach(render);
    showStatus();
  };
  subs.add(onLangChange(refresh));
  return {
    refresh,
    dispose: () => {
      subs.dispose();
      list.replaceChildren();
      status.textContent = '';
    },
  };
}

function group(event: SituationEvent): 'shelter' | 'level' | 'report' | 'alert' | 'station' | 'refused' {
  switch (event.kind) {
    case 'shelter_status_changed':
    case 'shelter_registry_changed':
      return 'shelter';
    case 'district_evacuation_level_changed':
    case 'hazards_changed':
      return 'level';
    case 'field_report_submitted':
    case 'field_report_updated':
    case 'field_report_withdrawn':
      return 'report';
    case 'alert_raised':
    case 'alert_acknowledged':
    case 'alert_cleared':
      return 'alert';
    case 'station_state_changed':
    case 'station_added':
    case 'station_thresholds_changed':
      return 'station';
    case 'sensor_messages_refused':
      return 'refused';
    case 'drill_started':
    case 'drill_ended':
      return 'level';
    case 'official_warning_changed':
      return 'alert';
  }
}

function shorten(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > maxDetailLength ? `${oneLine.slice(0, maxDetailLength - 1)}…` : oneLine;
}

function joinDetail(...parts: Array<string | undefined>): string | undefined {
  const present = parts.filter((p): p is string => !!p);
  return present.length > 0 ? present.join(lang() === 'ja' ? '／' : ' / ') : undefined;
}

function describe(item: Item, names: PlaceNames): { sentence: string; detail?: string; urgent?: boolean } {
  const event = item.event;
  switch (event.kind) {
    case 'shelter_status_changed': {
      const s = event.shelter;
      const values = { name: names.shelter(s.shelterId), count: s.occupancy.toLocaleString(), band: crowdingLabel(s.crowding) };
      const key = !s.open
        ? 'activity.shelterClosed'
        : item.wasOpen === false
          ? 'activity.shelterOpened'
          : item.wasOpen === true
            ? 'activity.shelterUpdated'
            : 'activity.shelterOpenNow';
      return { sentence: t(key, values), detail: joinDetail(s.updatedBy, shorten(s.note)), urgent: s.open && s.crowding === 'full' };
    }
    case 'shelter_registry_changed':
      return { sentence: t('activity.shelterRegistryChanged', { name: names.shelter(event.shelter.shelterId) }), detail: event.changedBy };
    case 'hazards_changed': {
      const active = event.hazards.filter((h) => h.active).map((h) => t(`hazard.${h.hazard}`));
      return {
        sentence: active.length > 0 ? t('activity.hazardsChanged', { list: active.join(t('listSeparator')) }) : t('activity.hazardsNone'),
        urgent: active.length > 0,
      };
    }
    case 'district_evacuation_level_changed': {
      const { district: d, previousLevel: previous } = event;
      const district = names.district(d.districtId);
      const who = d.decidedBy ? t('activity.decidedBy', { who: d.decidedBy, by: d.enteredBy ?? '—' }) : undefined;
      if (!isIssued(d.level)) {
        const previousName = isIssued(previous) ? levelName(previous) : '';
        return { sentence: t('activity.levelLifted', { district, previous, previousName }), detail: joinDetail(who, shorten(d.reason)) };
      }
      const values = { district, level: d.level, levelName: levelName(d.level), previous };
      const key =
        !isIssued(previous) || d.level === previous
          ? 'activity.levelIssued'
          : d.level > previous
            ? 'activity.levelRaised'
            : 'activity.levelLowered';
      return { sentence: t(key, values), detail: joinDetail(who, shorten(d.reason)), urgent: d.level >= 4 };
    }
    case 'field_report_submitted': {
      const r = event.report;
      return {
        sentence: t('activity.reportSubmitted', {
          id: r.reportId,
          category: t(`reportCategory.${r.category}`),
          severity: t(`reportSeverity.${r.severity}`),
        }),
        detail: joinDetail(shorten(r.description), r.reportedByName ?? r.reportedBy),
        urgent: r.severity === 'critical' || r.category === 'rescue_needed',
      };
    }
    case 'field_report_updated': {
      const r = event.report;
      const values = { id: r.reportId, category: t(`reportCategory.${r.category}`), status: t(`reportStatus.${r.status}`) };
      const sentence =
        event.action === 'assignment'
          ? r.assignedTo
            ? t('activity.reportAssigned', { ...values, who: r.assignedToName ?? r.assignedTo })
            : t('activity.reportUnassigned', values)
          : event.action === 'duplicate' && r.status === 'duplicate' && r.duplicateOf != null
            ? t('activity.reportDuplicate', { ...values, target: r.duplicateOf })
            : event.action === 'notes'
              ? t('activity.reportNotes', values)
              : event.action === 'photo'
                ? t('activity.reportPhoto', values)
                : t('activity.reportUpdated', values);
      return {
        sentence,
        detail: joinDetail(event.updatedBy, shorten(event.comment ?? (r.status === 'rejected' ? r.rejectionReason : undefined))),
      };
    }
    case 'field_report_withdrawn':
      return { sentence: t('activity.reportWithdrawn', { id: event.reportId }) };
    case 'alert_raised': {
      const a = event.alert;
      const sentence =
        a.level !== undefined
          ? t('activity.alertRaisedLevel', { level: a.level, message: shorten(a.message) ?? '' })
          : t('activity.alertRaised', { message: shorten(a.message) ?? '' });
      return {
        sentence,
        detail: joinDetail(a.districtId ? names.district(a.districtId) : undefined, a.raisedBy),
        urgent: true,
      };
    }
    case 'alert_acknowledged':
      return {
        sentence: t('activity.alertAcknowledged', { message: shorten(item.alertMessage) ?? t('alertFallback', { id: event.alertId }) }),
        detail: event.acknowledgedBy,
      };
    case 'alert_cleared':
      return {
        sentence: t('activity.alertCleared', { message: shorten(item.alertMessage) ?? t('alertFallback', { id: event.alertId }) }),
        detail: joinDetail(event.clearedBy, shorten(event.note)),
      };
    case 'station_state_changed':
      return describeStation(event.state, item.stationBefore, names);
    case 'sensor_messages_refused':
      return { sentence: refusalSentence(event.refusals, names) };
    case 'station_added': {
      // The event names the gauge: the page's list of gauges may not hold it yet.
      const s = event.station;
      return { sentence: t('activity.stationAdded', { name: lang() === 'ja' ? s.nameJa : s.nameEn || s.nameJa }), detail: event.addedBy };
    }
    case 'station_thresholds_changed':
      return { sentence: t('activity.stationThresholdsChanged', { name: names.station(event.stationId) }), detail: event.changedBy };
    case 'drill_started':
      return { sentence: t('activity.drillStarted', { name: event.drill.name }), detail: event.drill.startedBy, urgent: true };
    case 'drill_ended':
      return { sentence: t('activity.drillEnded', { name: event.drill.name }), detail: event.drill.endedBy };
    case 'official_warning_changed':
      return { sentence: lang() === 'ja' ? event.warning.name : event.warning.nameEn, detail: event.warning.status };
  }
}

/** 「中橋 氾濫注意水位に到達（2.34 m）」, or the landslide estimate's new concern under its label. */
function describeStation(state: StationState, before: StationState | undefined, names: PlaceNames): { sentence: string; detail?: string; urgent?: boolean } {
  const name = names.station(state.stationId);
  if (state.stage !== undefined && state.stage !== before?.stage) {
    const value = metresText(state.value);
    if (state.stage === 'normal') return { sentence: t('activity.stageNormal', { name, value }) };
    const threshold = thresholdName(stageThresholdKey(state.stage), names.gaugeType(state.stationId) === 'crisis');
    const rising = stageRank(state.stage) > stageRank(before?.stage);
    return {
      sentence: t(rising ? 'activity.stageReached' : 'activity.stageLowered', { name, threshold, value }),
      detail: state.alertLevelEquivalent ? t('alertLevelEquivalent', { level: state.alertLevelEquivalent }) : undefined,
      urgent: rising && stageRank(state.stage) >= stageRank('evacuation'),
    };
  }
  const concern = state.landslide?.concern ?? 'none';
  // The estimate never shows without its label: it is the town's own proxy, not the official 土砂災害警戒情報.
  return {
    sentence: t('activity.landslide', { name, short: t('landslideShort'), concern: t(`landslide.${concern}`) }),
    detail: lang() === 'ja' ? state.landslide?.label || t('landslideLabel') : t('landslideLabel'),
    urgent: concern === 'warning',
  };
}

/** 「観測データ 3件を除外：単位の誤り（中橋）」. */
function refusalSentence(refusals: RefusalCount[], names: PlaceNames): string {
  const total = refusals.reduce((sum, r) => sum + r.count, 0);
  const list = refusals
    .map((r) => {
      const values = {
        reason: deadLetterReason(r.reason),
        station: r.stationId ? names.station(r.stationId) : t('unknownStation'),
        n: r.count,
      };
      return t(refusals.length > 1 ? 'activity.refusedPartCount' : 'activity.refusedPart', values);
    })
    .join(t('listSeparator'));
  return t('activity.refused', { n: total, list });
}
