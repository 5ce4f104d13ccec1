// A shelter's suitability for the hazards that are active, as words: the server gives each reason in both languages,
// so the page only picks the language. Shared by HQ (flags on the details and the list) and the public page.
import { lang } from './i18n';
import type { ShelterState } from './live/situationMessages';

/** The reasons in the page's language, in the server's order. */
export function suitabilityReasons(state: ShelterState | undefined): string[] {
  return (state?.suitability?.reasons ?? []).map((r) => (lang() === 'ja' ? r.ja : r.en || r.ja));
}

/** Flagged: the server judged the shelter unsuitable for an active hazard. Unknown (no suitability yet): not flagged. */
export function isUnsuitable(state: ShelterState | undefined): boolean {
  return state?.suitability?.suitable === false;
}

/** Only a place to flee to for a while (an emergency site that is not a 指定避難所), never a place to stay. */
export function isPlaceToFleeOnly(state: ShelterState | undefined): boolean {
  return state?.suitability?.placeToStay === false;
}

/** "洪水の指定なし、屋代川の浸水想定区域内". */
export function joinedReasons(state: ShelterState | undefined): string {
  return suitabilityReasons(state).join(lang() === 'ja' ? '、' : '; ');
}
