// One checkbox per layer, labelled in the current language with its feature count.
// Browser tests read data-layer and data-feature-count on each entry.
import { h } from '../core/dom';
import { onLangChange } from '../core/i18n';
import { t } from './messages';
import type { DataLayer } from '../core/map/dataLayer';
import { subscriptions, type Mounted } from '../core/mounted';
import { unByKey } from 'ol/Observable';
import { sourceFeatures } from '../core/layers/reports';

export function mountLayerSwitcher(list: HTMLElement, layers: DataLayer[]): Mounted {
  const subs = subscriptions();
  for (const { id, layer, loaded } of layers) {
    const checkbox = h('input', { type: 'checkbox', id: `layer-toggle-${id}` });
    checkbox.checked = layer.getVisible();
    checkbox.addEventListener('change', () => layer.setVisible(checkbox.checked));
    const name = h('span', {});
    const count = h('span', { class: 'count' });
    const entry = h('li', { 'data-layer': id }, h('label', { for: checkbox.id }, checkbox, name, ' ', count));
    list.append(entry);

    let state: { count: number } | 'loading' | 'failed' = 'loading';
    const render = () => {
      name.textContent = t(`layer.${id}`);
      count.textContent =
        layer.get('reportsMode') === 'tiles'
          ? `(${t('layerTiled')})`
          : state === 'loading' ? `(${t('loading')})` : state === 'failed' ? `(${t('loadFailed')})` : `(${state.count})`;
    };
    // Many field reports are drawn from tiles: the count of the features on the map would say nothing.
    const modeKey = layer.on('change:reportsMode' as 'change', render);
    subs.add(() => unByKey(modeKey));
    loaded.then(
      (features) => {
        state = { count: features.length };
        entry.dataset.featureCount = String(features.length);
        render();
        // Live layers (field reports) gain and lose features after loading; a clustered layer counts its reports.
        const source = sourceFeatures(layer.getSource());
        const key = source?.on('change', () => {
          state = { count: source.getFeatures().length };
          entry.dataset.featureCount = String(state.count);
          render();
        });
        if (key) subs.add(() => unByKey(key));
      },
      () => {
        state = 'failed';
        entry.dataset.loadError = 'true';
        entry.classList.add('failed');
        render();
      },
    );
    subs.add(onLangChange(render));
    render();
  }
  return {
    dispose: () => {
      subs.dispose();
      list.replaceChildren();
    },
  };
}
