// The 警戒レベル board at the top of the public view: every district with the level the town has issued there, in the
// page's language, in the standard level colours and always with a shape, the level in words and what to do, so colour
// is never the only cue. Until the first snapshot nothing is known, and the board says so instead of "none issued".
// Browser tests read [data-district-id][data-level].
import { html, nothing, render, svg, type TemplateResult } from 'lit-html';
import { isIssued, levelAction, levelText, type IssuedLevel } from '../core/evacuationLevels';
import type { CommonProps } from '../core/geodata';
import { localName, onLangChange } from '../core/i18n';
import { hhmm, isoTime } from '../core/japanTime';
import { concerns, type Situation } from '../core/live/situation';
import { subscriptions, type Mounted } from '../core/mounted';
import { t } from './messages';

export interface LevelBoard extends Mounted {
  /** The districts in the order of the districts layer; until they arrive, districts with a level show by id. */
  setDistricts(districts: CommonProps[]): void;
}

/** The shape that goes with each level (and none), drawn with the level's number inside it. */
const shapes: Record<IssuedLevel | 0, { name: string; draw: (label: string) => TemplateResult }> = {
  0: { name: 'circle', draw: (label) => svg`<circle cx="20" cy="20" r="16" /><text x="20" y="26">${label}</text>` },
  3: { name: 'triangle', draw: (label) => svg`<polygon points="20,2 38,36 2,36" /><text x="20" y="32">${label}</text>` },
  4: { name: 'diamond', draw: (label) => svg`<polygon points="20,1 39,20 20,39 1,20" /><text x="20" y="27">${label}</text>` },
  5: { name: 'square', draw: (label) => svg`<rect x="3" y="3" width="34" height="34" rx="2" /><text x="20" y="27">${label}</text>` },
};

/** The level's mark: a shape with its number (a dash when none is issued), hidden from screen readers, which read the words. */
export function levelMark(level: number): TemplateResult {
  const issued = isIssued(level) ? level : 0;
  const shape = shapes[issued];
  return html`<svg
    class="level-mark level-mark-${issued}"
    data-shape=${shape.name}
    viewBox="0 0 40 40"
    width="40"
    height="40"
    aria-hidden="true"
    focusable="false"
  >
    ${shape.draw(issued === 0 ? '–' : String(issued))}
  </svg>`;
}

export function mountLevelBoard(container: HTMLElement, situation: Situation): LevelBoard {
  let districts: CommonProps[] = [];
  const subs = subscriptions();

  const row = (districtId: string, name: string): TemplateResult => {
    const state = situation.districts.get(districtId);
    const level = situation.known ? (state?.level ?? 0) : null;
    const issued = level !== null && isIssued(level) ? level : null;
    return html`<li
      class="level-card level-card-${issued ?? (level === null ? 'unknown' : 0)}"
      data-district-id=${districtId}
      data-level=${level === null ? 'unknown' : String(level)}
    >
      <h3 class="level-district">${name}</h3>
      <p class="level-line">
        ${level === null ? nothing : levelMark(level)}
        <strong class="level-text">${level === null ? t('levelBoard.unknown') : levelText(level)}</strong>
      </p>
      ${issued ? html`<p class="level-action">${levelAction(issued)}</p>` : nothing}
      ${issued && state?.issuedAt
        ? html`<p class="level-issued">${t('levelBoard.issuedAt')} <time datetime=${isoTime(state.issuedAt)}>${hhmm(state.issuedAt)}</time></p>`
        : nothing}
    </li>`;
  };

  const paint = () => {
    const named = new Set(districts.map((d) => d.id));
    // A district the layer does not name (or before the layer arrives) still shows its level, by id.
    const unnamed = [...situation.districts.values()].filter((d) => !named.has(d.districtId) && d.level > 0).map((d) => d.districtId);
    const rows = [...districts.map((d) => row(d.id, localName(d))), ...unnamed.map((id) => row(id, id))];
    render(
      html`<h2 id="level-board-title">${t('levelBoard.title')}</h2>
        <p class="level-board-note">${t('levelBoard.note')}</p>
        ${rows.length > 0 ? html`<ul class="level-cards">${rows}</ul>` : nothing}
        ${!situation.known ? html`<p class="level-board-status" role="status">${t('levelBoard.waiting')}</p>` : nothing}
        ${situation.known && rows.length === 0 ? html`<p class="level-board-status" role="status">${t('levelBoard.noneAnywhere')}</p>` : nothing}`,
      container,
    );
  };

  subs.add(
    situation.onChange((change) => {
      if (concerns(change, ['district_evacuation_level_changed'])) paint();
    }),
  );
  subs.add(onLangChange(paint));
  paint();

  return {
    setDistricts(next) {
      districts = next;
      paint();
    },
    dispose() {
      subs.dispose();
      render(nothing, container);
    },
  };
}
