import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import type { SituationSnapshot } from '../src/core/live/situationMessages';
import { mountTriageQueue, type TriageQueueView } from '../src/hq/triageQueue';
import { report } from './reports';

let container: HTMLDivElement;
let badge: HTMLSpanElement;
let view: TriageQueueView;
let picked: number[];
let situation: Situation;

function snapshot(reports: SituationSnapshot['reports']): SituationSnapshot {
  return { seq: 10, at: '2026-07-08T05:00:00+00:00', shelters: [], districts: [], stations: [], reports, alerts: [], recent: [] };
}

const rows = () => [...container.querySelectorAll<HTMLLIElement>('#report-list li[data-report-id]')].map((li) => li.dataset.reportId);
const filter = (name: string, value: string) => {
  const select = container.querySelector<HTMLSelectElement>(`select[name="${name}"]`)!;
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
};

beforeEach(() => {
  setLang('ja');
  container = document.createElement('div');
  badge = document.createElement('span');
  document.body.append(container, badge);
  picked = [];
  situation = new Situation();
  view = mountTriageQueue(container, situation, (id) => picked.push(id), badge);
  view.setDistricts([
    { id: 'takahata-01', name_ja: '高畠', name_en: 'Takahata' },
    { id: 'takahata-02', name_ja: '二井宿', name_en: 'Nii-juku' },
  ]);
  situation.load(
    snapshot([
      report(1, { severity: 'minor', districtId: 'takahata-01', reportedAt: '2026-07-08T04:00:00+00:00' }),
      report(2, { severity: 'critical', category: 'rescue_needed', districtId: 'takahata-02', reportedAt: '2026-07-08T04:40:00+00:00' }),
      report(3, { severity: 'critical', category: 'landslide', districtId: 'takahata-02', reportedAt: '2026-07-08T04:20:00+00:00' }),
      report(4, { severity: 'serious', status: 'resolved', districtId: 'takahata-01' }),
      report(5, { severity: 'serious', status: 'in_progress', assignedTo: 'field', assignedToName: '現地班 A' }),
    ]),
  );
});

afterEach(() => {
  view.dispose();
  container.remove();
  badge.remove();
});

describe('the triage queue', () => {
  it('lists the open reports, most severe and longest waiting first, with counts, and opens one when picked', () => {
    expect(rows()).toEqual(['3', '2', '5', '1']);
    expect(container.querySelector('.triage-count')!.textContent).toContain('4件を表示（全5件・未完了4件・新規3件）');
    expect(badge.textContent).toBe('4');
    expect(badge.getAttribute('aria-label')).toBe('未完了 4件（うち緊急 2件）');
    const first = container.querySelector('[data-report-id="3"]')!;
    expect(first.querySelector('.severity-badge')!.textContent).toBe('緊急');
    expect(first.textContent).toContain('二井宿');
    expect(container.querySelector('[data-report-id="5"]')!.textContent).toContain('担当：現地班 A');
    expect(container.querySelector('[data-report-id="5"]')!.textContent).toContain('地区外');

    container.querySelector<HTMLButtonElement>('[data-report-id="2"] button')!.click();
    expect(picked).toEqual([2]);
  });

  it('filters by category, status and district', () => {
    filter('district', 'takahata-02');
    expect(rows()).toEqual(['3', '2']);
    filter('category', 'rescue_needed');
    expect(rows()).toEqual(['2']);
    filter('category', 'all');
    filter('district', 'takahata-01');
    filter('status', 'all');
    expect(rows()).toEqual(['1', '4']);
    filter('status', 'resolved');
    expect(rows()).toEqual(['4']);
    filter('district', 'none');
    expect(rows()).toEqual([]);
    expect(container.querySelector('.list-empty')!.textContent).toBe('条件に合う報告はありません。');
    expect(container.querySelector('.triage-count')!.textContent).toContain('0件を表示');
  });

  it('follows live updates, keeping its filter', () => {
    filter('district', 'takahata-01');
    situation.apply([
      { kind: 'field_report_submitted', seq: 11, at: '2026-07-08T05:01:00+00:00', report: report(6, { severity: 'critical', districtId: 'takahata-01' }) },
      {
        kind: 'field_report_updated',
        seq: 12,
        at: '2026-07-08T05:02:00+00:00',
        report: report(1, { status: 'rejected', rejectionReason: '誤報', districtId: 'takahata-01' }),
        action: 'status',
      },
    ]);
    expect(rows()).toEqual(['6']);
    expect(container.querySelector<HTMLSelectElement>('select[name="district"]')!.value).toBe('takahata-01');
  });

  it('names the districts in the page’s language', () => {
    setLang('en');
    expect(container.querySelector('[data-report-id="3"]')!.textContent).toContain('Nii-juku');
    expect([...container.querySelectorAll('select[name="status"] option')].map((o) => o.textContent)[0]).toBe('Open');
    setLang('ja');
  });

  it('empties what it drew when disposed', () => {
    view.dispose();
    expect(container.children).toHaveLength(0);
    situation.apply([{ kind: 'field_report_submitted', seq: 11, at: '2026-07-08T05:01:00+00:00', report: report(6) }]);
    expect(container.children).toHaveLength(0);
  });
});

describe('a report sent during a drill', () => {
  it('is marked 訓練 in the queue, and a real report is not', () => {
    situation.apply([
      { kind: 'field_report_submitted', seq: 11, at: '2026-07-08T05:01:00+00:00', report: report(6, { severity: 'serious', drillId: 2 }) },
    ]);

    expect(container.querySelector('[data-report-id="6"] .drill-mark')?.textContent).toBe('訓練');
    expect(container.querySelector('[data-report-id="1"] .drill-mark')).toBeNull();
  });
});
