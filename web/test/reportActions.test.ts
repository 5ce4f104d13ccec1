import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/core/i18n';
import type { FieldReport } from '../src/core/live/situationMessages';
import type { SendResult } from '../src/core/send';
import { disposeDetailActions, setDetailActionsRole, useDetailWrites } from '../src/hq/detailActions';
import { describeFeature } from '../src/hq/featureDetails';
import { Situation } from '../src/core/live/situation';
import { mountReportActions, type ReportActions, type ReportTriage } from '../src/hq/reportActions';
import { mountReportList } from '../src/hq/reportList';
import { snapshotMessage } from './fixtures';

let host: HTMLDivElement;
let view: ReportActions | null;
let sent: Array<{ reportId: number; triage: ReportTriage }>;
let answer: (result: SendResult<unknown>) => void;

const triage = (reportId: number, body: ReportTriage) => {
  sent.push({ reportId, triage: body });
  return new Promise<SendResult<unknown>>((resolve) => (answer = resolve));
};

/** Report 40 of the server's snapshot fixture: verified, in progress, no note. */
function fixtureReport(): FieldReport {
  return snapshotMessage().snapshot.reports.find((r) => r.reportId === 40)!;
}

function unverified(): FieldReport {
  return { ...fixtureReport(), verified: false, status: 'new', internalNote: undefined };
}

function mount(report: FieldReport, role = 'hq') {
  view = mountReportActions(report, { triage });
  view.setRole(role);
  host.append(view.element);
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const q = <T extends Element>(selector: string) => host.querySelector<T>(selector)!;

function type(field: HTMLInputElement | HTMLTextAreaElement, text: string) {
  field.focus();
  field.value = text;
  field.setSelectionRange(text.length, text.length);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('the report triage form', () => {
  beforeEach(() => {
    setLang('ja');
    sent = [];
    view = null;
    host = document.createElement('div');
    document.body.append(host);
  });
  afterEach(() => {
    view?.dispose();
    disposeDetailActions();
    host.remove();
  });

  it('verifies, sets in progress with a note, and says done only after the server answered', async () => {
    mount(unverified());
    q<HTMLInputElement>('[name="verified"]').click();
    q<HTMLInputElement>('[name="status"][value="in_progress"]').click();
    type(q<HTMLTextAreaElement>('[name="internalNote"]'), ' 消防団に連絡済み ');
    q<HTMLButtonElement>('button[type="submit"]').click();
    await settle();

    expect(sent).toEqual([{ reportId: 40, triage: { verified: true, status: 'in_progress', internalNote: '消防団に連絡済み' } }]);
    expect(host.querySelector('.form-done')).toBeNull();
    expect(q<HTMLButtonElement>('button[type="submit"]').disabled).toBe(true);

    answer({ ok: true, status: 200, value: { ...unverified(), verified: true, status: 'in_progress', internalNote: '消防団に連絡済み' } });
    await settle();

    expect(q('.form-done').textContent).toContain('現地報告 #40 を更新しました。');
    expect(q<HTMLInputElement>('[name="verified"]').checked).toBe(true);
    expect(q<HTMLInputElement>('[name="status"][value="in_progress"]').checked).toBe(true);
  });

  it('sends only what was changed, so another screen’s change to another field stays', async () => {
    mount(fixtureReport());
    q<HTMLInputElement>('[name="verified"]').click(); // un-verify
    // Meanwhile another HQ screen resolves the report.
    view!.show({ ...fixtureReport(), status: 'resolved' });
    q<HTMLButtonElement>('button[type="submit"]').click();
    await settle();

    expect(sent).toEqual([{ reportId: 40, triage: { verified: false } }]);
    expect(q<HTMLInputElement>('[name="status"][value="resolved"]').checked).toBe(true);
  });

  it('says so, and sends nothing, when nothing was changed', async () => {
    mount(fixtureReport());
    q<HTMLButtonElement>('button[type="submit"]').click();
    await settle();

    expect(sent).toEqual([]);
    expect(q('[role="status"]').textContent).toContain('変更された項目がありません。');
  });

  it('shows a 400’s field error beside the note and keeps what was typed', async () => {
    mount(unverified());
    type(q<HTMLTextAreaElement>('[name="internalNote"]'), '長いメモ');
    q<HTMLButtonElement>('button[type="submit"]').click();
    await settle();
    answer({ ok: false, kind: 'invalid', status: 400, fields: { internalNote: ['The note is longer than 1000 characters.'] } });
    await settle();

    const note = q<HTMLTextAreaElement>('[name="internalNote"]');
    expect(note.value).toBe('長いメモ');
    expect(note.getAttribute('aria-invalid')).toBe('true');
    const described = note.getAttribute('aria-describedby')!.split(' ').map((id) => host.querySelector(`#${id}`)?.textContent?.trim());
    expect(described).toContain('The note is longer than 1000 characters.');
    expect(q('[role="alert"]').textContent).toContain('入力内容を確認してください。');
    expect(document.activeElement).toBe(note);
    expect(host.querySelector('.form-done')).toBeNull();
  });

  it('says the report is gone on a 404, in English too', async () => {
    setLang('en');
    mount(unverified());
    q<HTMLInputElement>('[name="status"][value="resolved"]').click();
    q<HTMLButtonElement>('button[type="submit"]').click();
    await settle();
    answer({ ok: false, kind: 'not_found', status: 404, title: 'No such report', fields: {} });
    await settle();

    expect(q('[role="alert"]').textContent).toContain('Not found: it may have been removed.');
    expect(q<HTMLInputElement>('[name="status"][value="resolved"]').checked).toBe(true);
    expect(q('label[for="report-form-40-internalNote"]').textContent).toBe('Internal note');
  });

  it('is not there for a role other than hq', () => {
    mount(unverified(), 'field');
    expect(host.querySelector('form')).toBeNull();
  });

  it('keeps the typed note, its focus and selection when a live event rebuilds the details panel', async () => {
    setDetailActionsRole('hq');
    useDetailWrites({ triage });
    // What the details panel does on every live change: describe the feature again and replace its body.
    const show = (report: FieldReport) => host.replaceChildren(describeFeature('reports', { report }).body);
    show(unverified());
    const note = q<HTMLTextAreaElement>('[name="internalNote"]');
    type(note, '道路管理者へ連絡中');
    note.setSelectionRange(2, 4);

    show({ ...unverified(), verified: true }); // another HQ screen verified it meanwhile
    await settle();

    expect(q<HTMLTextAreaElement>('[name="internalNote"]')).toBe(note);
    expect(note.value).toBe('道路管理者へ連絡中');
    expect(document.activeElement).toBe(note);
    expect([note.selectionStart, note.selectionEnd]).toEqual([2, 4]);
    expect(q<HTMLInputElement>('[name="verified"]').checked).toBe(true);
    expect(host.querySelector('dl')?.textContent).toContain('確認済み');
  });
});

describe('the field-report list', () => {
  it('lists the reports newest first as buttons that open their details, and follows live updates', () => {
    setLang('ja');
    const situation = new Situation();
    const list = document.createElement('ul');
    const picked: number[] = [];
    const view = mountReportList(list, situation, (id) => picked.push(id));
    const snapshot = snapshotMessage().snapshot;
    const older = { ...fixtureReport(), reportId: 39, reportedAt: '2026-07-08T04:00:00+00:00', verified: false, status: 'new' as const };
    snapshot.reports = [older, fixtureReport()];
    situation.load(snapshot);

    expect([...list.querySelectorAll('li')].map((li) => li.dataset.reportId)).toEqual(['40', '39']);
    list.querySelector<HTMLButtonElement>('[data-report-id="39"] button')!.click();
    expect(picked).toEqual([39]);
    expect(list.querySelector('[data-report-id="39"]')!.textContent).toContain('未確認・未対応');

    situation.apply([
      {
        kind: 'field_report_updated',
        seq: snapshot.seq + 1,
        at: '2026-07-08T05:10:00+00:00',
        report: { ...older, verified: true, status: 'in_progress' },
        wasVerified: false,
        updatedBy: 'hq',
      },
    ]);
    expect(list.querySelector<HTMLElement>('[data-report-id="39"]')!.dataset.status).toBe('in_progress');
    expect(list.querySelector('[data-report-id="39"]')!.textContent).toContain('確認済み・対応中');

    view.dispose();
    expect(list.children).toHaveLength(0);
  });
});
