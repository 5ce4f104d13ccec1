// HQ alerts not yet cleared, newest first, with their count beside the heading.
import { h } from '../core/dom';
import { onLangChange } from '../core/i18n';
import { t } from './messages';
import { hhmm, isoTime } from '../core/japanTime';
import { concerns, type Situation } from '../core/live/situation';
import type { PlaceNames } from './activityList';

export function mountAlertList(list: HTMLElement, count: HTMLElement, situation: Situation, names: PlaceNames): () => void {
  const render = () => {
    const alerts = [...situation.alerts.values()].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
    count.textContent = situation.known ? t('alertsCount', { n: alerts.length }) : '';
    count.dataset.count = String(alerts.length);
    count.hidden = !situation.known;
    list.replaceChildren(
      ...alerts.map((alert) =>
        h(
          'li',
          { class: `alert-item alert-${alert.status}`, 'data-alert-id': String(alert.alertId), 'data-status': alert.status },
          h(
            'span',
            { class: 'alert-meta' },
            h('time', { datetime: isoTime(alert.raisedAt) }, hhmm(alert.raisedAt)),
            ' ',
            h('span', { class: 'alert-status' }, t(`alertStatus.${alert.status}`)),
            alert.level !== undefined ? ` ${t('evacLevelNumber', { level: alert.level })}` : '',
            alert.districtId ? ` ${names.district(alert.districtId)}` : '',
          ),
          h('span', { class: 'alert-message' }, alert.message),
        ),
      ),
    );
    if (situation.known && alerts.length === 0) list.append(h('li', { class: 'alert-none' }, t('alertsNone')));
  };
  situation.onChange((change) => {
    if (concerns(change, ['alert_raised', 'alert_acknowledged', 'alert_cleared'])) render();
  });
  onLangChange(render);
  render();
  return render;
}
