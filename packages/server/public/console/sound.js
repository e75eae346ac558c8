// A short two-tone beep for new critical alerts, made with WebAudio (no audio file to load).
// Browsers allow audio only after the user interacted with the page, so the AudioContext is
// created on the first click or key press.

const PREF_KEY = 'sealwatch.sound';
let context = null;
let enabled = localStorage.getItem(PREF_KEY) !== 'off';

function unlock() {
  if (context) return;
  const Ctx = window.AudioContext ?? window.webkitAudioContext;
  if (!Ctx) return;
  context = new Ctx();
  if (context.state === 'suspended') context.resume().catch(() => {});
}
window.addEventListener('pointerdown', unlock, { once: true, capture: true });
window.addEventListener('keydown', unlock, { once: true, capture: true });

export function isSoundEnabled() {
  return enabled;
}
export function setSoundEnabled(on) {
  enabled = on;
  localStorage.setItem(PREF_KEY, on ? 'on' : 'off');
}

/** Plays the alarm beep if sound is on and the page was interacted with. */
export function beep() {
  if (!enabled || !context || context.state !== 'running') return;
  const start = context.currentTime + 0.01;
  [880, 660].forEach((frequency, i) => {
    const osc = context.createOscillator();
    const gain = context.createGain();
    const t = start + i * 0.18;
    osc.type = 'square';
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.12, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.15);
    osc.connect(gain).connect(context.destination);
    osc.start(t);
    osc.stop(t + 0.16);
  });
}
