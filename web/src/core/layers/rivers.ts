import { Fill, Stroke, Style } from 'ol/style';
import { localName } from '../i18n';
import { illustrativeDash, label, type LayerDefinition } from './symbols';

export const riverColor = '#1565c0';

/** 一級河川 (class A) are drawn wider than prefectural rivers. */
function isMajor(riverClass: unknown): boolean {
  return typeof riverClass === 'string' && /一級|1|class_?a/i.test(riverClass);
}

export const riversLayer: LayerDefinition = {
  id: 'rivers',
  zIndex: 30,
  style: (feature) => {
    const props = feature.getProperties();
    return new Style({
      stroke: new Stroke({
        color: riverColor,
        width: isMajor(props.river_class) ? 4 : 2.5,
        lineDash: props.illustrative === true ? illustrativeDash : undefined,
      }),
      text: label(localName(props), {
        placement: 'line',
        fill: new Fill({ color: '#0d3c78' }),
        font: 'bold 12px system-ui, "Noto Sans CJK JP", sans-serif',
      }),
    });
  },
};
