import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import { mountSituationReport, situationReportHref } from '../src/hq/situationReport';
import type { Mounted } from '../src/core/mounted';

let host: HTMLElement;
let view: Mounted;
let shown: string | null;
const link = () => host.querySelector<HTMLAnchorElement>('a.report-link')!;
const radio = (value: string) => host.querySelector<HTMLInputElement>(`input[value="${value}"]`)!;

beforeEach(() => {
  setLang('ja');
  host = document.createElement('div');
  document.body.append(host);
  shown = null;
  view = mountSituationReport(host, () => shown);
});

afterEach(() => {
  view.dispose();
  host.remove();
});

describe('situation report link', () => {
  it('asks for the PDF of now on A4 until told otherwise', () => {
    expect(link().textContent).toBe('状況報告 (PDF)');
    expect(link().getAttribute('href')).toBe('/api/situation/report.pdf?paper=a4');
    expect(radio('a4').checked).toBe(true);
  });

  it('takes the paper chosen and the moment shown when it is followed', () => {
    radio('a3').checked = true;
    radio('a3').dispatchEvent(new Event('change'));
    expect(link().getAttribute('href')).toBe('/api/situation/report.pdf?paper=a3');
    shown = '2025-07-14T05:20:00.000Z';
    link().addEventListener('click', (event) => event.preventDefault());
    link().click();
    expect(link().getAttribute('href')).toBe('/api/situation/report.pdf?moment=2025-07-14T05%3A20%3A00.000Z&paper=a3');
  });

  it('speaks English when the page does, and leaves nothing behind when disposed', () => {
    setLang('en');
    expect(link().textContent).toBe('Situation report (PDF)');
    expect(host.querySelector('legend')!.textContent).toBe('Paper (landscape)');
    view.dispose();
    expect(host.querySelector('a')).toBeNull();
  });

  it('writes the moment into the query only when one is shown', () => {
    expect(situationReportHref(null, 'a4')).toBe('/api/situation/report.pdf?paper=a4');
    expect(situationReportHref('2025-07-14T14:20:00+09:00', 'a3')).toBe('/api/situation/report.pdf?moment=2025-07-14T14%3A20%3A00%2B09%3A00&paper=a3');
  });
});
