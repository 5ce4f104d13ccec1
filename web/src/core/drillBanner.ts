// While a drill (訓練) is on, every page says so under its header: 訓練 / EXERCISE in words, not by colour alone, and it
// cannot be dismissed. The page's situation store says when (situation.drill); body[data-drill] is for styles and tests.
import { html, nothing, render } from 'lit-html';
import '../styles/drillBanner.css';
import { onLangChange, t } from './i18n';
import type { Situation } from './live/situation';
import { subscriptions, type Mounted } from './mounted';

/**
 * Keeps the banner in step with the drill: the page's own #drill-banner when it has one (the public view, where the
 * server may have rendered it already: it is replaced by this rendering), otherwise a new one right under the page's
 * header (or first on the page).
 */
export function mountDrillBanner(situation: Situation, page: HTMLElement = document.body): Mounted {
  const existing = page.querySelector<HTMLElement>('#drill-banner');
  const banner = existing ?? document.createElement('p');
  if (existing) {
    existing.replaceChildren();
  } else {
    banner.className = 'drill-banner';
    banner.setAttribute('role', 'status');
    const header = page.querySelector(':scope > header');
    if (header) header.after(banner);
    else page.prepend(banner);
  }

  let shown = situation.drill?.drillId ?? null;
  const paint = () => {
    const drill = situation.drill;
    banner.hidden = drill === null;
    if (drill) page.dataset.drill = String(drill.drillId);
    else delete page.dataset.drill;
    render(
      drill
        ? html`<strong class="drill-badge">${t('drillBadge')}</strong> <span>${t('drillBanner', { name: drill.name })}</span>`
        : nothing,
      banner,
    );
  };
  const subs = subscriptions();
  subs.add(
    situation.onChange(() => {
      // Repaint only when the drill changes, so a screen reader hears it once and not on every event.
      const now = situation.drill?.drillId ?? null;
      if (now === shown) return;
      shown = now;
      paint();
    }),
  );
  subs.add(onLangChange(paint));
  paint();

  return {
    dispose: () => {
      subs.dispose();
      delete page.dataset.drill;
      if (existing) {
        render(nothing, banner);
        banner.hidden = true;
      } else banner.remove();
    },
  };
}
