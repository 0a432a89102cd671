import { readFileSync } from 'node:fs';
import { decodeWav, resample, trimSilence, logMelSpectrogram, realFft } from '@ser/features';
const w = decodeWav(readFileSync('/tmp/ravdess-features/Actor_01/03-01-02-01-01-02-01.wav'), 'x');
const y = resample(w.samples, 48000, 22050);
const tr = trimSilence(y, { topDb: 25 })!;
const a = y.subarray(tr.start, tr.end);
const f2 = realFft(2048); const fr = new Float64Array(2048).map(Math.random); const re = new Float64Array(1025), im = new Float64Array(1025);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const [name, f] of [['decode', () => decodeWav(readFileSync('/tmp/ravdess-features/Actor_01/03-01-02-01-01-02-01.wav'), 'x')], ['resample', () => resample(w.samples, 48000, 22050)], ['trim', () => trimSilence(y, { topDb: 25 })], ['mel', () => logMelSpectrogram(a, { sampleRate: 22050 })], ['73 fft2048', () => { for (let i = 0; i < 73; i++) f2.forward(fr, re, im); }]] as const) {
  for (let i = 0; i < 3; i++) f();
  const reps = 20; const t = cpu(); const t2 = performance.now(); for (let i = 0; i < reps; i++) f(); console.log(name, 'cpu', ((cpu() - t) / reps).toFixed(2), 'wall', ((performance.now() - t2) / reps).toFixed(2), 'ms');
}
