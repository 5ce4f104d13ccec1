// Simulated gauge data must never pass for real: while /api/config says so, every page carries this banner. It cannot
// be dismissed, and it says it in words, not by colour alone. Tests read body[data-simulated].
import { h } from './dom';
import { onLangChange, t } from './i18n';
import type { Mounted } from './mounted';

export function showDemoBanner(banner: HTMLElement, simulated: boolean): Mounted {
  if (!simulated) return { dispose: () => undefined };
  document.body.dataset.simulated = 'true';
  const render = () => banner.replaceChildren(h('strong', { class: 'demo-badge' }, t('demoBadge')), ' ', h('span', {}, t('demoBanner')));
  const stopLang = onLangChange(render);
  render();
  banner.hidden = false;
  return {
    dispose: () => {
      stopLang();
      banner.replaceChildren();
      banner.hidden = true;
    },
  };
}
