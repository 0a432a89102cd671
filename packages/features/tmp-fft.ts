import { complexFft } from '@ser/features';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const n of [1024, 65536, 89600, 41160, 92160, 42336]) {
  const f = complexFft(n); const re = new Float64Array(n).map(Math.random), im = new Float64Array(n).map(Math.random);
  for (let i = 0; i < 5; i++) f.forward(re, im);
  const reps = Math.max(5, Math.round(2e6 / n)); const t = cpu(); for (let i = 0; i < reps; i++) f.forward(re, im);
  console.log(n, ((cpu() - t) / reps).toFixed(3), 'ms cpu', ((cpu() - t) / reps / (n * Math.log2(n)) * 1e6).toFixed(2), 'ns per n log n');
}
