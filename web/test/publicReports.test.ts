import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { Situation } from '../src/core/live/situation';
import { mountPublicReports, type PublicReports } from '../src/public/reportCards';
import { report } from './reports';

let list: HTMLUListElement;
let count: HTMLSpanElement;
let view: PublicReports;
let situation: Situation;
let shown: number[];

const markup = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';

beforeEach(() => {
  setLang('ja');
  list = document.createElement('ul');
  count = document.createElement('span');
  document.body.append(list, count);
  situation = new Situation();
  shown = [];
  view = mountPublicReports(list, count, situation, (id) => shown.push(id));
});

afterEach(() => {
  view.dispose();
  list.remove();
  count.remove();
});

/** A report as the public hub sends it: no reporter, description, notes or private photos. */
const publicReport = (reportId: number, fields: Parameters<typeof report>[1] = {}) => {
  const { reportedAt: _, ...rest } = report(reportId, { category: 'road_blocked', status: 'verified', ...fields });
  return rest;
};

describe('the public list of road closures and flooding', () => {
  it('shows category, status, district, Japan time, the public summary and public photos, the most severe first', () => {
    view.setDistricts([{ id: 'takahata-02', name_ja: '二井宿', name_en: 'Nii-juku' }]);
    situation.load({
      seq: 3,
      at: '2026-07-08T05:00:00+00:00',
      shelters: [],
      districts: [],
      stations: [],
      alerts: [],
      recent: [],
      reports: [
        publicReport(7, { severity: 'minor', category: 'flooding', status: 'in_progress' }),
        publicReport(8, {
          severity: 'critical',
          districtId: 'takahata-02',
          observedAt: '2026-07-08T04:05:00+00:00',
          updatedAt: '2026-07-08T04:30:00+00:00',
          publicSummary: '県道1号 二井宿付近は通行止め',
          photos: [{ position: 2, public: true, width: 1600, height: 1200 }],
        }),
      ],
    });

    const cards = [...list.querySelectorAll<HTMLLIElement>('[data-report-id]')];
    expect(cards.map((c) => c.dataset.reportId)).toEqual(['8', '7']);
    expect(count.textContent).toBe('2件');
    const first = cards[0];
    expect(first.querySelector('h3')!.textContent!.replace(/\s+/g, ' ').trim()).toBe('緊急 道路通行止め');
    expect(first.querySelector('.report-where')!.textContent!.trim()).toBe('二井宿・確認済み');
    expect(first.querySelector('.report-when')!.textContent!.replace(/\s+/g, '')).toContain('現地確認7/813:05（更新7/813:30）');
    expect(first.querySelector('.report-summary')!.textContent).toBe('県道1号 二井宿付近は通行止め');
    const photo = first.querySelector<HTMLAnchorElement>('.report-photos a')!;
    expect(photo.getAttribute('href')).toBe('/api/reports/8/photos/2');
    expect(photo.querySelector('img')!.getAttribute('src')).toBe('/api/reports/8/photos/2/thumbnail');
    expect(cards[1].querySelector('.report-where')!.textContent!.trim()).toBe('町境の付近・対応中');
    expect(cards[1].querySelector('.report-summary')).toBeNull();

    first.querySelector<HTMLButtonElement>('.show-on-map')!.click();
    expect(shown).toEqual([8]);
  });

  it('renders the public summary as text, never as markup', () => {
    situation.load({
      seq: 3,
      at: '2026-07-08T05:00:00+00:00',
      shelters: [],
      districts: [],
      stations: [],
      alerts: [],
      recent: [],
      reports: [publicReport(9, { publicSummary: markup })],
    });
    expect(list.querySelector('.report-summary')!.textContent).toBe(markup);
    expect(list.querySelector('script')).toBeNull();
    expect(list.querySelectorAll('img')).toHaveLength(0);
  });

  it('drops a report the hub withdraws and says when there is none', () => {
    situation.load({ seq: 3, at: '2026-07-08T05:00:00+00:00', shelters: [], districts: [], stations: [], alerts: [], recent: [], reports: [publicReport(9)] });
    situation.apply([{ kind: 'field_report_withdrawn', seq: 4, at: '2026-07-08T05:01:00+00:00', reportId: 9 }]);
    expect(list.querySelector('[data-report-id]')).toBeNull();
    expect(list.textContent).toContain('現在、町が確認した通行止め・冠水の情報はありません。');
    setLang('en');
    expect(list.textContent).toContain('No road closure or flooding verified by the town at the moment.');
    expect(count.textContent).toBe('0');
  });
});
