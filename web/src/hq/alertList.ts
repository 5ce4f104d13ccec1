// HQ alerts not yet cleared, newest first, with their count beside the heading.
import { h } from '../core/dom';
import { onLangChange } from '../core/i18n';
import { t } from './messages';
import { hhmm, isoTime } from '../core/japanTime';
import { concerns, type Situation } from '../core/live/situation';
import { subscriptions, type Mounted } from '../core/mounted';
import type { PlaceNames } from './activityList';

export interface AlertList extends Mounted {
  /** Draws again, e.g. once district names are known. */
  refresh(): void;
}

export function mountAlertList(list: HTMLElement, count: HTMLElement, situation: Situation, names: PlaceNames): AlertList {
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
  const subs = subscriptions();
  subs.add(
    situation.onChange((change) => {
      if (concerns(change, ['alert_raised', 'alert_acknowledged', 'alert_cleared'])) render();
    }),
  );
  subs.add(onLangChange(render));
  render();
  return {
    refresh: render,
    dispose: () => {
      subs.dispose();
      list.replaceChildren();
      count.textContent = '';
    },
  };
}
