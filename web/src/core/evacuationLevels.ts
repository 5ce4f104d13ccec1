// 警戒レベル as the town issues them (2021 revision): 3 高齢者等避難, 4 避難指示, 5 緊急安全確保; 0 = none or lifted.
// The names live in the message table (i18n.ts), which is the one place to change when the labels change.
import { t } from './i18n';

export type IssuedLevel = 3 | 4 | 5;
export const issuedLevels: readonly IssuedLevel[] = [5, 4, 3];

export function isIssued(level: number): level is IssuedLevel {
  return level === 3 || level === 4 || level === 5;
}

/** "避難指示" (with the Japanese term kept in English: it is what residents hear on the radio). */
export function levelName(level: IssuedLevel): string {
  return t(`evacLevel.${level}`);
}

/** "警戒レベル4 避難指示", or "発令なし". */
export function levelText(level: number): string {
  return isIssued(level) ? `${t('evacLevelNumber', { level })} ${levelName(level)}` : t('evacLevelNone');
}

/** Shorter form for map labels. */
export function levelShortText(level: number): string {
  return isIssued(level) ? `${t('evacLevelNumber', { level })} ${t(`evacLevelShort.${level}`)}` : t('evacLevelNone');
}

/** What residents should do, in the official words. */
export function levelAction(level: IssuedLevel): string {
  return t(`evacAction.${level}`);
}
