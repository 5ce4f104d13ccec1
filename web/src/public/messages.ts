// Strings of the public shelter view, in the page's language; the table itself is messageTable.ts.
import { pageTranslator } from '../core/i18n';
import { publicMessages, type MessageKey } from './messageTable';

export type { MessageKey } from './messageTable';

/** A message of this page or of the core, in the current language. */
export const { t, tOr } = pageTranslator<MessageKey>(publicMessages);
