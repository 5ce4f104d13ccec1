// The HQ forms in the details panel (a report's triage, photos and history; a shelter's status). The panel rebuilds its body on every
// live change, so the form of the shown feature is kept here, one at a time, and the same element is handed back
// each time: what is typed survives. Moving an element in the DOM drops its focus, so the focused control and its
// selection are put back once the panel has placed the element again (before the browser paints).
import '../styles/detailActions.css';
import type { ShelterHistoryEntry } from '../core/api';
import type { ShelterProps } from '../core/geodata';
import type { FieldReport, ShelterState } from '../core/live/situationMessages';
import { mountReportActions, type ReportActions, type ReportReads, type ReportWrites } from './reportActions';
import { mountShelterActions, type UpdateShelter } from './shelterActions';
import { mountShelterChart } from './shelterChart';
import { mountShelterRegistry, type UpdateRegistry } from './shelterRegistry';

/** A shelter's status form, registry form and head count chart, kept together as one view. */
interface ShelterView {
  readonly element: HTMLElement;
  show(state: ShelterState | undefined, name: string, props: ShelterProps): void;
  setRole(role: string | null): void;
  dispose(): void;
}

type Shown = { key: string; view: ReportActions } | { key: string; view: ShelterView };

let shown: Shown | null = null;
let role: string | null = null;
let userName: string | null = null;
let writes: ShelterWrites & { report?: ReportWrites; reads?: ReportReads } = {};
let directory: ReportDirectory = { report: () => undefined, districtName: (id) => id };

/** The signed-in role and account (from /api/me): only `hq` gets the forms; until it is known, nobody does. */
export function setDetailActionsRole(next: string | null, account: string | null = null): void {
  role = next;
  userName = account;
  if (shown?.key.startsWith('report:')) (shown.view as ReportActions).setRole(role, userName);
  else shown?.view.setRole(role);
}

/** Replaces the writes and reads (tests). */
export function useDetailWrites(next: ShelterWrites & { report?: ReportWrites; reads?: ReportReads }): void {
  writes = next;
}

/** A shelter's writes and the history read (tests replace them). */
export interface ShelterWrites {
  update?: UpdateShelter;
  registry?: UpdateRegistry;
  history?: (shelterId: string) => Promise<ShelterHistoryEntry[]>;
}

/** What a report's details look up: another report (the one a duplicate goes into), a district's name. */
export interface ReportDirectory {
  report(reportId: number): FieldReport | undefined;
  districtName(districtId: string): string;
}

export function setReportDirectory(next: ReportDirectory): void {
  directory = next;
}

/** Drops the kept form (the panel shows something else). */
export function disposeDetailActions(): void {
  shown?.view.dispose();
  shown = null;
}

function keepFocus(element: HTMLElement): void {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !element.contains(active)) return;
  const field = active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ? active : null;
  let range: [number | null, number | null, string | null] | null = null;
  try {
    range = field ? [field.selectionStart, field.selectionEnd, field.selectionDirection] : null;
  } catch {
    range = null; // checkboxes and radios have no selection
  }
  queueMicrotask(() => {
    if (!active.isConnected || document.activeElement === active) return;
    active.focus({ preventScroll: true });
    if (field && range && range[0] !== null && range[1] !== null) {
      field.setSelectionRange(range[0], range[1], (range[2] ?? undefined) as 'forward' | 'backward' | 'none' | undefined);
    }
  });
}

/** The triage form of this report, the same element each time it is asked for. */
export function reportActionsFor(report: FieldReport): HTMLElement {
  const key = `report:${report.reportId}`;
  if (shown?.key !== key) {
    disposeDetailActions();
    const view = mountReportActions(report, { writes: writes.report, reads: writes.reads, reportById: (id) => directory.report(id),
      districtName: (id) => directory.districtName(id),
    });
    shown = { key, view };
    view.setRole(role, userName);
  } else {
    (shown.view as ReportActions).show(report);
  }
  keepFocus(shown.view.element);
  return shown.view.element;
}

/** The forms and chart of this shelter, the same element each time it is asked for. */
export function shelterActionsFor(shelterId: string, name: string, state: ShelterState | undefined, props: ShelterProps): HTMLElement {
  const key = `shelter:${shelterId}`;
  if (shown?.key !== key) {
    disposeDetailActions();
    const view = mountShelterView(shelterId, name, state, props);
    shown = { key, view };
    view.setRole(role);
  } else {
    (shown.view as ShelterView).show(state, name, props);
  }
  keepFocus(shown.view.element);
  return shown.view.element;
}

/** What of a shelter's state the chart draws: a change of it loads the history again. */
function chartedFacts(state: ShelterState | undefined): string {
  return state ? [state.open, state.occupancy, state.capacity, state.declaredFull, state.updatedAt].join('|') : '';
}

function mountShelterView(shelterId: string, name: string, initial: ShelterState | undefined, props: ShelterProps): ShelterView {
  const actions = mountShelterActions(shelterId, name, initial, { update: writes.update });
  const registry = mountShelterRegistry(shelterId, props, initial, { update: writes.registry });
  const chart = mountShelterChart(shelterId, { load: writes.history });
  const element = document.createElement('div');
  element.className = 'shelter-detail-views';
  element.append(chart.element, actions.element, registry.element);
  let charted = chartedFacts(initial);
  return {
    element,
    show(state, nextName, nextProps) {
      actions.show(state, nextName);
      registry.show(state, nextProps);
      const facts = chartedFacts(state);
      if (facts !== charted) {
        charted = facts;
        chart.refresh();
      }
    },
    setRole(next) {
      actions.setRole(next);
      registry.setRole(next);
    },
    dispose() {
      actions.dispose();
      registry.dispose();
      chart.dispose();
    },
  };
}
