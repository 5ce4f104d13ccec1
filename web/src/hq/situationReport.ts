// The situation report (状況報告) for HQ's meetings: a link to the server's PDF of the moment the page shows (null = now)
// on A4 or A3 landscape. The moment is read when the link is followed, so it is always the one on screen.
import { html, render } from 'lit-html';
import { onLangChange } from '../core/i18n';
import { subscriptions, type Mounted } from '../core/mounted';
import { t } from './messages';

export type Paper = 'a4' | 'a3';

/** The PDF's address: the moment (ISO 8601) when one is shown, the paper always. */
export function situationReportHref(moment: string | null, paper: Paper): string {
  const query = new URLSearchParams();
  if (moment) query.set('moment', moment);
  query.set('paper', paper);
  return `/api/situation/report.pdf?${query.toString()}`;
}

export function mountSituationReport(host: HTMLElement, moment: () => string | null): Mounted {
  const subs = subscriptions();
  let paper: Paper = 'a4';

  const choose = (event: Event) => {
    paper = (event.currentTarget as HTMLInputElement).value === 'a3' ? 'a3' : 'a4';
    paint();
  };
  // Followed at the moment shown now, not the one at the last paint.
  const follow = (event: Event) => ((event.currentTarget as HTMLAnchorElement).href = situationReportHref(moment(), paper));

  const paint = () =>
    render(
      html`<fieldset class="report-paper">
          <legend>${t('report.paper')}</legend>
          ${(['a4', 'a3'] as const).map(
            (size) =>
              html`<label
                ><input type="radio" name="report-paper" value=${size} .checked=${paper === size} @change=${choose} />
                ${t(`report.${size}`)}</label
              >`,
          )}
        </fieldset>
        <a class="report-link" href=${situationReportHref(moment(), paper)} download @click=${follow}>${t('report.open')}</a>
        <p class="report-note">${t('report.note')}</p>`,
      host,
    );

  subs.add(onLangChange(paint));
  paint();
  return {
    dispose: () => {
      subs.dispose();
      render(html``, host);
    },
  };
}
