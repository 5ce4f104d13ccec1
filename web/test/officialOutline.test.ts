import { describe, expect, it } from 'vitest';
import Feature from 'ol/Feature';
import { Stroke, Style } from 'ol/style';
import { officialColor, withOfficialBand } from '../src/hq/officialOutline';

const own = new Style({ stroke: new Stroke({ color: '#2b2b2b', width: 2.5 }) });

describe('the town outline for official warnings', () => {
  it('adds the dashed blue band under the boundary only while an official warning is in force', () => {
    let inForce = false;
    const style = withOfficialBand(() => [own], () => inForce);
    const feature = new Feature();

    expect(style(feature, 10)).toEqual([own]);

    inForce = true;
    const drawn = style(feature, 10) as Style[];
    expect(drawn).toHaveLength(2);
    expect(drawn[0].getStroke()?.getColor()).toBe(officialColor);
    expect(drawn[0].getStroke()?.getLineDash()?.length).toBeGreaterThan(0);
    expect(drawn[1]).toBe(own);
  });
});
