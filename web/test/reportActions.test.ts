import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FieldCrew, ReportHistoryEntry } from '../src/core/api';
import { setLang } from '../src/core/i18n';
import type { FieldReport } from '../src/core/live/situationMessages';
import type { SendResult } from '../src/core/send';
import { disposeDetailActions, setDetailActionsRole, setReportDirectory, useDetailWrites } from '../src/hq/detailActions';
import { describeFeature } from '../src/hq/featureDetails';
import { mountReportActions, type ReportActions, type ReportReads, type ReportWrites } from '../src/hq/reportActions';
import { report } from './reports';

let host: HTMLDivElement;
let view: ReportActions | null;
let sent: Array<{ write: keyof ReportWrites; reportId: number; body: unknown; position?: number }>;
let answer: (result: SendResult<unknown>) => void;
let historyAsked: number[];
let history: ReportHistoryEntry[];
let crews: FieldCrew[];

const pending = () => new Promise<SendResult<unknown>>((resolve) => (answer = resolve));
const writes: ReportWrites = {
  move: (reportId, body) => (sent.push({ write: 'move', reportId, body }), pending()),
  markDuplicate: (reportId, body) => (sent.push({ write: 'markDuplicate', reportId, body }), pending()),
  assign: (reportId, body) => (sent.push({ write: 'assign', reportId, body }), pending()),
  saveNotes: (reportId, body) => (sent.push({ write: 'saveNotes', reportId, body }), pending()),
  setPhotoPublic: (reportId, position, body) => (sent.push({ write: 'setPhotoPublic', reportId, position, body }), pending()),
};
const reads: ReportReads = {
  history: (reportId) => {
    historyAsked.push(reportId);
    return Promise.resolve(history);
  },
  fieldCrews: () => Promise.resolve(crews),
};

/** A new flooding report from the field crew, waiting for HQ. */
function fresh(fields: Partial<FieldReport> = {}): FieldReport {
  return report(40, {
    category: 'road_blocked',
    severity: 'serious',
    reportedBy: 'field',
    reportedByName: '現地班 A',
    description: '県道が冠水して通れない',
    photos: [
      { position: 1, public: false, width: 1600, height: 1200 },
      { position: 2, public: true, width: 1200, height: 1600 },
    ],
    ...fields,
  });
}

function mount(
  r: FieldReport,
  role = 'hq',
  options: { reportById?: (id: number) => FieldReport | undefined; districtName?: (id: string) => string } = {},
) {
  view = mountReportActions(r, { writes, reads, ...options });
  view.setRole(role);
  host.append(view.element);
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const q = <T extends Element>(selector: string) => host.querySelector<T>(selector)!;
const submitOf = (form: string) => q<HTMLButtonElement>(`#report-form-40-${form} button[type="submit"]`);

function type(field: HTMLInputElement | HTMLTextAreaElement, text: string) {
  field.focus();
  field.value = text;
  field.setSelectionRange(text.length, text.length);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/** The texts of the elements an input's aria-describedby points at. */
function describedTexts(field: Element): string[] {
  return (field.getAttribute('aria-describedby') ?? '').split(' ').map((id) => host.querySelector(`#${id}`)?.textContent?.trim() ?? '');
}

beforeEach(() => {
  setLang('ja');
  sent = [];
  view = null;
  historyAsked = [];
  history = [];
  crews = [{ userName: 'field', displayName: '現地班 A' }, { userName: 'field2', displayName: '現地班 B' }];
  host = document.createElement('div');
  document.body.append(host);
});

afterEach(() => {
  view?.dispose();
  disposeDetailActions();
  host.remove();
});

describe('the status form of a report', () => {
  it('verifies with a comment and says done only after the server answered', async () => {
    mount(fresh());
    q<HTMLInputElement>('#report-form-40-status [name="status"][value="verified"]').click();
    type(q<HTMLTextAreaElement>('#report-form-40-status [name="comment"]'), ' 写真で確認 ');
    submitOf('status').click();
    await settle();

    expect(sent).toEqual([{ write: 'move', reportId: 40, body: { status: 'verified', comment: '写真で確認' } }]);
    expect(host.querySelector('.form-done')).toBeNull();
    expect(submitOf('status').disabled).toBe(true);

    answer({ ok: true, status: 200, value: fresh({ status: 'verified', updatedAt: '2026-07-08T04:10:00+00:00' }) });
    await settle();

    expect(q('#report-form-40-status .form-done').textContent).toContain('現地報告 #40 を「確認済み」にしました。');
    // Now verified: the next moves are offered, the comment is cleared.
    const offered = [...host.querySelectorAll<HTMLInputElement>('#report-form-40-status [name="status"]')].map((i) => i.value);
    expect(offered).toEqual(['in_progress', 'resolved', 'rejected', 'new']);
    expect(q<HTMLTextAreaElement>('#report-form-40-status [name="comment"]').value).toBe('');

    // The panel repaints on a change of language: what was done is said in the new one.
    setLang('en');
    view!.show(fresh({ status: 'verified', updatedAt: '2026-07-08T04:10:00+00:00' }));
    expect(q('#report-form-40-status .form-done').textContent).toContain('Field report #40 is now “Verified”.');
  });

  it('will not reject without a reason, and sends the reason once given', async () => {
    mount(fresh());
    expect(host.querySelector('#report-form-40-status [name="reason"]')).toBeNull();
    q<HTMLInputElement>('#report-form-40-status [name="status"][value="rejected"]').click();
    submitOf('status').click();
    await settle();

    const reason = q<HTMLTextAreaElement>('#report-form-40-status [name="reason"]');
    expect(sent).toEqual([]);
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(describedTexts(reason)).toContain('却下の理由を入力してください。');
    expect(document.activeElement).toBe(reason);

    type(reason, '同じ場所の訓練の報告');
    submitOf('status').click();
    await settle();
    expect(sent).toEqual([{ write: 'move', reportId: 40, body: { status: 'rejected', reason: '同じ場所の訓練の報告', comment: undefined } }]);
  });

  it('shows the server’s 400 beside the reason and keeps what was typed', async () => {
    mount(fresh());
    q<HTMLInputElement>('#report-form-40-status [name="status"][value="rejected"]').click();
    type(q<HTMLTextAreaElement>('#report-form-40-status [name="reason"]'), '理由');
    submitOf('status').click();
    await settle();
    answer({ ok: false, kind: 'invalid', status: 400, fields: { reason: ['The reason contains a character that is not allowed.'] } });
    await settle();

    const reason = q<HTMLTextAreaElement>('#report-form-40-status [name="reason"]');
    expect(reason.value).toBe('理由');
    expect(describedTexts(reason)).toContain('The reason contains a character that is not allowed.');
    expect(q('#report-form-40-status [role="alert"]').textContent).toContain('入力内容を確認してください。');
    expect(document.activeElement).toBe(reason);
  });

  it('says another screen moved it first on a 409', async () => {
    mount(fresh());
    q<HTMLInputElement>('#report-form-40-status [name="status"][value="verified"]').click();
    submitOf('status').click();
    await settle();
    answer({ ok: false, kind: 'conflict', status: 409, title: 'The report cannot move from resolved to verified.', fields: {} });
    await settle();
    expect(q('#report-form-40-status [role="alert"]').textContent).toContain('他の人が先に変更しました。');
  });

  it('offers only the moves the workflow allows: a resolved report can only be reopened, a duplicate not at all', () => {
    mount(fresh({ status: 'resolved' }));
    const offered = [...host.querySelectorAll<HTMLInputElement>('#report-form-40-status [name="status"]')];
    expect(offered.map((i) => i.value)).toEqual(['in_progress']);
    expect(offered[0].closest('label')!.textContent).toContain('再開する（対応中に戻す）');
    view!.show(fresh({ status: 'duplicate', duplicateOf: 39, updatedAt: '2026-07-08T05:00:00+00:00' }));
    expect(host.querySelector('#report-form-40-status')).toBeNull();
    expect(host.querySelector('#report-form-40-duplicate')).toBeNull();
    expect(host.querySelector('#report-form-40-assignment')).toBeNull();
  });

  it('is not there for a role other than hq: the crew that sent it sees its photos without switches, other staff only the public ones', () => {
    mount(fresh({ status: 'verified' }), 'field');
    view!.setRole('field', 'field');
    expect(host.querySelector('form')).toBeNull();
    expect(host.querySelectorAll('.photo-grid img')).toHaveLength(2);
    expect(host.querySelector('.photo-grid input')).toBeNull();
    view!.setRole('shelter', 'shelter');
    expect([...host.querySelectorAll<HTMLImageElement>('.photo-grid img')].map((i) => i.getAttribute('src'))).toEqual([
      '/api/reports/40/photos/2/thumbnail',
    ]);
  });

  it('reads the history for HQ and for the crew that sent the report, not for other staff', async () => {
    mount(fresh(), 'shelter');
    view!.setRole('field', 'field2');
    await settle();
    expect(historyAsked).toEqual([]);
    expect(host.querySelector('.report-history')).toBeNull();
    view!.setRole('field', 'field'); // the reporter
    await settle();
    expect(historyAsked).toEqual([40]);
    expect(host.querySelector('.report-history')).not.toBeNull();
  });
});

describe('marking a report a duplicate', () => {
  it('asks once more, naming the report it goes into, before merging', async () => {
    const target = report(39, { category: 'road_blocked', status: 'verified' });
    mount(fresh(), 'hq', { reportById: (id) => (id === 39 ? target : undefined) });
    type(q<HTMLInputElement>('#report-form-40-duplicate [name="duplicateOf"]'), '#39');
    expect(q('#report-form-40-duplicate-of-hint').textContent).toContain('現地報告 #39 道路通行止め（確認済み）');
    submitOf('duplicate').click();
    await settle();

    expect(sent).toEqual([]);
    expect(q('#report-form-40-duplicate .confirm-text').textContent).toContain('現地報告 #40 を #39 の重複としてまとめます');
    expect(q('#report-form-40-duplicate').textContent).toContain('元に戻せません');
    q<HTMLButtonElement>('#report-form-40-duplicate button.confirm').click();
    await settle();

    expect(sent).toEqual([{ write: 'markDuplicate', reportId: 40, body: { duplicateOf: 39, comment: undefined } }]);
    answer({ ok: true, status: 200, value: fresh({ status: 'duplicate', duplicateOf: 39, photos: [], updatedAt: '2026-07-08T05:00:00+00:00' }) });
    await settle();
    expect(q('#report-form-40-duplicate .form-done').textContent).toContain('現地報告 #40 を #39 にまとめました。');
  });

  it('refuses its own number and anything but a number, without sending', async () => {
    mount(fresh());
    const field = q<HTMLInputElement>('#report-form-40-duplicate [name="duplicateOf"]');
    type(field, '40');
    submitOf('duplicate').click();
    await settle();
    expect(describedTexts(field)).toContain('この報告自身にはまとめられません。');
    type(field, '三十九');
    submitOf('duplicate').click();
    await settle();
    expect(describedTexts(field)).toContain('報告番号を数字で入力してください。');
    expect(sent).toEqual([]);
  });

  it('goes back to the form with the server’s reason when the merge is refused', async () => {
    mount(fresh());
    type(q<HTMLInputElement>('#report-form-40-duplicate [name="duplicateOf"]'), '38');
    submitOf('duplicate').click();
    await settle();
    q<HTMLButtonElement>('#report-form-40-duplicate button.confirm').click();
    await settle();
    answer({ ok: false, kind: 'invalid', status: 400, fields: { duplicateOf: ['Report 38 does not exist.'] } });
    await settle();

    const field = q<HTMLInputElement>('#report-form-40-duplicate [name="duplicateOf"]');
    expect(field.value).toBe('38');
    expect(describedTexts(field)).toContain('Report 38 does not exist.');
    expect(document.activeElement).toBe(field);
  });
});

describe('assigning a report', () => {
  it('assigns it to a field crew from the list, then unassigns it', async () => {
    mount(fresh());
    await settle(); // the crews arrive
    const select = q<HTMLSelectElement>('#report-form-40-assignment [name="assignee"]');
    expect([...select.options].map((o) => o.textContent)).toEqual(['担当なし', '現地班 A（field）', '現地班 B（field2）']);
    choose(select, 'field2');
    type(q<HTMLTextAreaElement>('#report-form-40-assignment [name="comment"]'), '近くにいる班');
    submitOf('assignment').click();
    await settle();
    expect(sent).toEqual([{ write: 'assign', reportId: 40, body: { assignee: 'field2', comment: '近くにいる班' } }]);
    answer({ ok: true, status: 200, value: fresh({ assignedTo: 'field2', assignedToName: '現地班 B', updatedAt: '2026-07-08T05:00:00+00:00' }) });
    await settle();
    expect(q('#report-form-40-assignment .form-done').textContent).toContain('現地報告 #40 の担当を 現地班 B にしました。');
    expect(q<HTMLSelectElement>('#report-form-40-assignment [name="assignee"]').value).toBe('field2');

    choose(q<HTMLSelectElement>('#report-form-40-assignment [name="assignee"]'), '');
    submitOf('assignment').click();
    await settle();
    expect(sent[1]).toEqual({ write: 'assign', reportId: 40, body: { assignee: null, comment: undefined } });
  });

  it('says so, and sends nothing, when the crew chosen is the one assigned', async () => {
    mount(fresh({ assignedTo: 'field', assignedToName: '現地班 A' }));
    await settle();
    submitOf('assignment').click();
    await settle();
    expect(sent).toEqual([]);
    expect(describedTexts(q('#report-form-40-assignment [name="assignee"]'))).toContain('現在と同じ担当です。');
  });
});

describe('the note and public summary', () => {
  it('sends only what changed here, so another screen’s change to the other field stays', async () => {
    mount(fresh());
    type(q<HTMLTextAreaElement>('#report-form-40-notes [name="internalNote"]'), ' 道路管理者へ連絡 ');
    // Meanwhile another HQ screen writes the public summary.
    view!.show(fresh({ publicSummary: '県道1号は通行止め', updatedAt: '2026-07-08T04:20:00+00:00' }));
    submitOf('notes').click();
    await settle();

    expect(sent).toEqual([{ write: 'saveNotes', reportId: 40, body: { internalNote: '道路管理者へ連絡' } }]);
    expect(q<HTMLTextAreaElement>('#report-form-40-notes [name="publicSummary"]').value).toBe('県道1号は通行止め');
  });

  it('clears a summary with an empty string', async () => {
    mount(fresh({ publicSummary: '通行止め' }));
    type(q<HTMLTextAreaElement>('#report-form-40-notes [name="publicSummary"]'), '');
    submitOf('notes').click();
    await settle();
    expect(sent).toEqual([{ write: 'saveNotes', reportId: 40, body: { publicSummary: '' } }]);
  });

  it('says whether residents see the summary', () => {
    mount(fresh({ status: 'verified' }));
    expect(describedTexts(q('#report-form-40-notes [name="publicSummary"]')).join()).toContain('この報告は公開中です');
    view!.show(fresh({ status: 'verified', category: 'landslide', updatedAt: '2026-07-08T04:20:00+00:00' }));
    expect(describedTexts(q('#report-form-40-notes [name="publicSummary"]')).join()).toContain('だけが');
  });
});

describe('the photos of a report', () => {
  it('shows thumbnails that open the full image, and the public switch sends its request', async () => {
    mount(fresh());
    const links = [...host.querySelectorAll<HTMLAnchorElement>('.photo-grid a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/api/reports/40/photos/1', '/api/reports/40/photos/2']);
    expect(links.every((a) => a.target === '_blank' && a.rel === 'noopener')).toBe(true);
    expect(links[0].querySelector('img')!.getAttribute('src')).toBe('/api/reports/40/photos/1/thumbnail');
    expect(links[0].querySelector('img')!.alt).toBe('写真1（1600×1200）');

    const first = q<HTMLInputElement>('[name="photo-public-1"]');
    expect(first.checked).toBe(false);
    expect(q<HTMLInputElement>('[name="photo-public-2"]').checked).toBe(true);
    first.click();
    await settle();
    expect(sent).toEqual([{ write: 'setPhotoPublic', reportId: 40, position: 1, body: { public: true } }]);
    expect(q<HTMLInputElement>('[name="photo-public-1"]').disabled).toBe(true);
    answer({ ok: true, status: 204, value: undefined });
    await settle();
    expect(q<HTMLInputElement>('[name="photo-public-1"]').checked).toBe(true);
    expect(q<HTMLInputElement>('[name="photo-public-1"]').disabled).toBe(false);
  });

  it('puts the switch back and says why when the server refuses', async () => {
    mount(fresh());
    q<HTMLInputElement>('[name="photo-public-1"]').click();
    await settle();
    answer({ ok: false, kind: 'forbidden', status: 403, fields: {} });
    await settle();
    expect(q<HTMLInputElement>('[name="photo-public-1"]').checked).toBe(false);
    expect(q('.photo-grid [role="alert"]').textContent).toContain('この操作を行う権限がありません。');
  });
});

describe('the history of a report', () => {
  it('lists who changed what, when, from what to what, with the comment, and reads it again on a live update', async () => {
    history = [
      { at: '2026-07-08T04:01:00+00:00', actor: 'field', action: 'submit', before: {}, after: { status: 'new', districtId: 'takahata-02' } },
      {
        at: '2026-07-08T04:10:00+00:00',
        actor: 'hq',
        action: 'status',
        comment: '写真で確認',
        before: { status: 'new', rejectionReason: null },
        after: { status: 'verified', rejectionReason: null },
      },
      { at: '2026-07-08T04:20:00+00:00', actor: 'hq', action: 'merge', before: { photos: 2 }, after: { photos: 3, mergedFrom: 43 } },
      { at: '2026-07-08T04:25:00+00:00', actor: 'hq', action: 'photo', before: { photo: 3, public: false }, after: { photo: 3, public: true } },
    ];
    mount(fresh(), 'hq', { districtName: (id) => (id === 'takahata-02' ? '二井宿' : id) });
    await settle();
    const items = [...host.querySelectorAll('.history-list > li')];
    const compact = (i: number) => items[i].textContent!.replace(/\s+/g, '');
    expect(items).toHaveLength(4);
    expect(compact(0)).toContain('報告を受信field');
    // A first value has nothing before it.
    expect(compact(0)).toContain('状態：新規');
    expect(compact(0)).toContain('地区：二井宿');
    expect(items[1].textContent).toContain('13:10');
    expect(compact(1)).toContain('状態の変更hq');
    // A field that stayed the same (no reason before or after) is not listed as a change.
    expect([...items[1].querySelectorAll('.history-changes li')].map((li) => li.textContent!.replace(/\s+/g, ''))).toEqual(['状態：新規→から確認済み']);
    expect(items[1].textContent).toContain('コメント：写真で確認');
    expect(compact(2)).toContain('重複の報告をまとめた');
    expect(compact(2)).toContain('写真：2→から3');
    expect(compact(2)).toContain('まとめ元：#43');
    expect(compact(3)).toContain('写真の公開設定（写真3）');
    expect(compact(3)).toContain('公開：いいえ→からはい');
    expect(historyAsked).toEqual([40]);

    // The same report again (another event of the page): not read again. Changed: read again.
    view!.show(fresh());
    view!.show(fresh({ status: 'in_progress', updatedAt: '2026-07-08T04:30:00+00:00' }));
    expect(historyAsked).toEqual([40, 40]);
  });
});

describe('a report’s details on the HQ page', () => {
  it('keeps the typed comment, its focus and selection when a live event rebuilds the details panel', async () => {
    setDetailActionsRole('hq');
    useDetailWrites({ report: writes, reads });
    // What the details panel does on every live change: describe the feature again and replace its body.
    const show = (r: FieldReport) => host.replaceChildren(describeFeature('reports', { report: r }).body);
    show(fresh());
    const comment = q<HTMLTextAreaElement>('#report-form-40-status [name="comment"]');
    type(comment, '消防団に確認中');
    comment.setSelectionRange(2, 4);

    show(fresh({ assignedTo: 'field', assignedToName: '現地班 A', updatedAt: '2026-07-08T04:30:00+00:00' }));
    await settle();

    expect(q<HTMLTextAreaElement>('#report-form-40-status [name="comment"]')).toBe(comment);
    expect(comment.value).toBe('消防団に確認中');
    expect(document.activeElement).toBe(comment);
    expect([comment.selectionStart, comment.selectionEnd]).toEqual([2, 4]);
    expect(host.querySelector('dl')!.textContent).toContain('現地班 A（field）');
  });

  it('renders the description, notes, summary, reason and history as text, never as markup', async () => {
    setDetailActionsRole('hq');
    const markup = '<img src=x onerror="window.__xss=1"><b>太字</b>';
    history = [{ at: '2026-07-08T04:10:00+00:00', actor: 'hq', action: 'status', comment: markup, before: { rejectionReason: null }, after: { rejectionReason: markup } }];
    useDetailWrites({ report: writes, reads });
    setReportDirectory({ report: () => undefined, districtName: (id) => id });
    const body = describeFeature('reports', {
      report: fresh({ status: 'rejected', description: markup, internalNote: markup, publicSummary: markup, rejectionReason: markup, photos: [] }),
    }).body;
    host.append(body);
    await settle();

    expect(host.querySelector('b')).toBeNull();
    expect(host.querySelectorAll('img')).toHaveLength(0);
    const dl = host.querySelector('dl')!.textContent!;
    expect(dl.split(markup).length - 1).toBe(4);
    expect(host.querySelector('.history-list')!.textContent).toContain(markup);
    expect(q<HTMLTextAreaElement>('#report-form-40-notes [name="internalNote"]').value).toBe(markup);
  });
});
