/**
 * How a new critical alert reaches a person who is not looking: a short two-tone beep made with
 * WebAudio (no audio file) and a browser notification. Browsers allow audio only after the user
 * interacted with the page, so the AudioContext is created on the first click or key press.
 */
const PREF_KEY = 'sealwatch.sound';
let context: AudioContext | null = null;

export function isAlarmEnabled(): boolean {
  return localStorage.getItem(PREF_KEY) !== 'off';
}

export function setAlarmEnabled(on: boolean): void {
  localStorage.setItem(PREF_KEY, on ? 'on' : 'off');
  if (on && typeof Notification !== 'undefined' && Notification.permission === 'default')
    void Notification.requestPermission().catch(() => undefined);
}

function unlock() {
  if (context) return;
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return;
  context = new Ctx();
  if (context.state === 'suspended') void context.resume().catch(() => undefined);
}

export function installAlarmUnlock(): void {
  window.addEventListener('pointerdown', unlock, { once: true, capture: true });
  window.addEventListener('keydown', unlock, { once: true, capture: true });
}

function beep() {
  if (!context || context.state !== 'running') return;
  const start = context.currentTime + 0.01;
  [880, 660].forEach((frequency, i) => {
    const osc = context!.createOscillator();
    const gain = context!.createGain();
    const t = start + i * 0.18;
    osc.type = 'square';
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.12, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.15);
    osc.connect(gain).connect(context!.destination);
    osc.start(t);
    osc.stop(t + 0.16);
  });
}

/** Beeps and shows a notification (when allowed) for a new critical alert. */
export function raiseAlarm(title: string, body: string, tag: string): void {
  if (!isAlarmEnabled()) return;
  beep();
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    try {
      new Notification(title, { body, tag, requireInteraction: true });
    } catch {
      // some browsers allow notifications from a service worker only
    }
  }
}
