// The cue for an alert that needs someone now: an alert at 警戒レベル3相当 or above that nobody has acknowledged is
// highlighted in the list and counted in the header, and one raised or escalated to that level sounds a tone made with
// Web Audio (no audio file to load or cache). The sound can be muted; the choice is kept in localStorage, per browser.
import { lang, onLangChange } from '../core/i18n';
import type { AppliedEvent, Situation } from '../core/live/situation';
import { shownMoment } from '../core/live/shownMoment';
import type { AlertState } from '../core/live/situationMessages';
import { subscriptions, type Mounted } from '../core/mounted';
import { t } from './messages';

/** From 警戒レベル3相当 (避難判断水位, 高齢者等避難) an alert calls for someone at once. */
export const cueLevel = 3;

/** The level an alert stands for: a system alert's 警戒レベル相当, or the level HQ gave it by hand. */
export function alertLevel(alert: AlertState): number | undefined {
  return alert.levelEquivalent ?? alert.level;
}

/** Highlighted and counted: at the cue level or above and not yet acknowledged. */
export function needsAttention(alert: AlertState): boolean {
  return alert.status === 'raised' && (alertLevel(alert) ?? 0) >= cueLevel;
}

/**
 * Whether a batch of live events sounds the tone: an alert raised at the cue level or above, or escalated to a level
 * at or above it that is higher than before. A snapshot never sounds: it brings nothing new, only what is.
 */
export function soundsFor(applied: readonly AppliedEvent[]): boolean {
  return applied.some(({ event, alertBefore }) => {
    if (event.kind === 'alert_raised') return (alertLevel(event.alert) ?? 0) >= cueLevel;
    if (event.kind !== 'alert_escalated') return false;
    const level = alertLevel(event.alert) ?? 0;
    const before = alertBefore ? (alertLevel(alertBefore) ?? 0) : 0;
    return level >= cueLevel && level > before;
  });
}

/** The alert's message in the page's language (a system alert carries both). */
export function alertText(alert: AlertState): string {
  return lang() === 'en' && alert.messageEn ? alert.messageEn : alert.message;
}

export interface Tone {
  play(): void;
  /** Called on a click: browsers let a page make sound only after the user has interacted with it. */
  unlock(): void;
}

/** Two short high beeps, loud enough to be heard across a room, short enough not to drown a phone call. */
export function webAudioTone(): Tone {
  let context: AudioContext | null = null;
  const ready = (): AudioContext | null => {
    if (typeof AudioContext === 'undefined') return null;
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume().catch(() => undefined); // allowed after a click only
    return context;
  };
  return {
    unlock: () => void ready(),
    play() {
      const audio = ready();
      if (!audio) return;
      const start = audio.currentTime + 0.02;
      [0, 0.3].forEach((offset) => {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.type = 'square';
        oscillator.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, start + offset);
        gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.22);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(start + offset);
        oscillator.stop(start + offset + 0.25);
      });
    },
  };
}

export const muteKey = 'bousai.hq.alertSoundMuted';

export interface AlertSoundOptions {
  tone?: Tone;
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
}

export interface AlertSound extends Mounted {
  readonly muted: boolean;
}

/** The mute toggle (a pressed button) and the tone on live alert events. */
export function mountAlertSound(button: HTMLButtonElement, situation: Situation, options: AlertSoundOptions = {}): AlertSound {
  const tone = options.tone ?? webAudioTone();
  const storage = options.storage ?? localStorage;
  let muted = storage.getItem(muteKey) === 'true';

  const paint = () => {
    button.textContent = t(muted ? 'alertSound.off' : 'alertSound.on');
    button.setAttribute('aria-pressed', muted ? 'false' : 'true');
    button.setAttribute('aria-label', t('alertSound.label'));
    button.title = t('alertSound.label');
    button.dataset.muted = String(muted);
  };
  const toggle = () => {
    muted = !muted;
    storage.setItem(muteKey, String(muted));
    if (!muted) tone.unlock();
    paint();
  };
  const unlock = () => tone.unlock();

  const subs = subscriptions();
  button.addEventListener('click', toggle);
  subs.add(() => button.removeEventListener('click', toggle));
  document.addEventListener('pointerdown', unlock, { once: true });
  subs.add(() => document.removeEventListener('pointerdown', unlock));
  subs.add(onLangChange(paint));
  subs.add(
    situation.onChange((change) => {
      // The past played forward is not news: it never sounds.
      if (!muted && change.kind === 'events' && shownMoment() === null && soundsFor(change.applied)) tone.play();
    }),
  );
  paint();

  return {
    get muted() {
      return muted;
    },
    dispose() {
      subs.dispose();
      button.textContent = '';
    },
  };
}
