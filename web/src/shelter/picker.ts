// Which shelter this phone counts for: the signed-in staff member's own shelters (HQ: any). One shelter is chosen by
// itself; the choice is kept in the address (?shelter=ID) so a reload, online or not, comes back to it.
import { html, nothing, render } from 'lit-html';
import type { ShelterProps } from '../core/geodata';
import { localName, onLangChange } from '../core/i18n';
import type { Mounted } from '../core/mounted';
import { t } from './messages';

export interface PickerOptions {
  /** The shelters this account may act for, in the town's order. */
  shelters: ShelterProps[];
  /** The shelter asked for in the address, if any. */
  requested: string | null;
  /** The name of any shelter in the town, for one asked for in the address that is not this account's. */
  nameOf: (shelterId: string) => string;
  chosen: (shelterId: string | null) => void;
}

export function mountPicker(container: HTMLElement, options: PickerOptions): Mounted {
  const { shelters } = options;
  let current = options.requested ?? (shelters.length === 1 ? shelters[0].id : null);

  const choose = (event: Event) => {
    const value = (event.currentTarget as HTMLSelectElement).value;
    current = value === '' ? null : value;
    const url = new URL(location.href);
    if (current) url.searchParams.set('shelter', current);
    else url.searchParams.delete('shelter');
    history.replaceState(null, '', url);
    paint();
    options.chosen(current);
  };

  const paint = () => {
    // A shelter forced in the address that is not this account's stays selected, said plainly: the server refuses it.
    const notYours = current !== null && !shelters.some((s) => s.id === current);
    render(
      shelters.length === 0
        ? html`<p class="picker-none" role="alert">${t('picker.none')}</p>`
        : html`<label class="picker" for="shelter-select">${t('picker.label')}</label>
            <select id="shelter-select" @change=${choose}>
              <option value="" ?selected=${current === null}>${t('picker.choose')}</option>
              ${shelters.map((s) => html`<option value=${s.id} ?selected=${s.id === current}>${localName(s)}</option>`)}
              ${notYours ? html`<option value=${current!} selected disabled>${options.nameOf(current!)}</option>` : nothing}
            </select>
            ${notYours ? html`<p class="picker-not-yours" role="alert">${t('picker.notYours')}</p>` : nothing}`,
      container,
    );
  };
  const stopLang = onLangChange(paint);
  paint();
  options.chosen(current);

  return {
    dispose() {
      stopLang();
      render(nothing, container);
    },
  };
}
