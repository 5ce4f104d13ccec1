// Simulated gauge data must never pass for real: while /api/config says so, every page carries this banner. It cannot
// be dismissed, and it says it in words, not by colour alone. Tests read body[data-simulated].
import { h } from './dom';
import { onLangChange, t } from './i18n';

export function showDemoBanner(banner: HTMLElement, simulated: boolean): void {
  if (!simulated) return;
  document.body.dataset.simulated = 'true';
  const render = () => banner.replaceChildren(h('strong', { class: 'demo-badge' }, t('demoBadge')), ' ', h('span', {}, t('demoBanner')));
  onLangChange(render);
  render();
  banner.hidden = false;
}
