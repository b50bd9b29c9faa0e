/**
 * `npm run bench:sim` — a whole HCMC-scale day: a synthetic network of 270 routes and 3,000 buses, 05:00–22:00,
 * a GPS fix every 5 s (~37 M GPS records), generated with the default faults and serialised to MQTT payloads at
 * --speed max into a counting sink. Prints messages/s, total time and peak memory; last line is JSON.
 */
import { parseFaultProfile } from '../../simulator/core/faults.js';
import { parseSyntheticSpec, syntheticNetwork } from '../../simulator/networks/synthetic.js';
import { CountingSink } from '../../simulator/output/sink.js';
import { runSimulation } from '../../simulator/run.js';

const SPEC = process.env.BENCH_SIM_SPEC ?? 'routes=270,buses=3000';
const DAY = process.env.BENCH_SIM_DATE ?? '2026-11-26';

async function main(): Promise<void> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const started = performance.now();
  const network = syntheticNetwork({ ...parseSyntheticSpec(SPEC), seed: 1 });
  const sink = new CountingSink();
  let lastLog = 0;
  const summary = await runSimulation({
    network,
    serviceDay: DAY,
    seed: 1,
    speed: Number.POSITIVE_INFINITY,
    sink,
    // Exactly 5 s between fixes, as the target states; every other default fault stays on.
    profile: parseFaultProfile('gpsIntervalJitter=0'),
    gpsIntervalS: 5,
    onProgress: (p) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        process.stderr.write(
          `  ${new Date(p.simTimeMs + 7 * 3_600_000).toISOString().slice(11, 16)} ${p.activeBuses} buses, ${p.messages.toLocaleString('en')} messages, ${Math.round(p.messagesPerS).toLocaleString('en')} msg/s\n`,
        );
      }
    },
  });
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const result = {
    bench: 'sim',
    spec: SPEC,
    buses: summary.buses,
    gpsRecords: sink.gpsRecords,
    messages: sink.messages,
    bytes: sink.bytes,
    messagesPerS: Math.round(sink.messages / seconds),
    seconds: Math.round(seconds * 10) / 10,
    peakRssMb: Math.round(peakRss / 1_048_576),
  };
  const rows: [string, string][] = [
    ['network', `${SPEC} (${network.routes.size} routes, ${network.trips.size.toLocaleString('en')} trips)`],
    ['buses simulated', String(summary.buses)],
    ['GPS records', result.gpsRecords.toLocaleString('en')],
    [
      'messages',
      `${result.messages.toLocaleString('en')} (${Object.entries(sink.byKind)
        .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
        .join(', ')})`,
    ],
    ['payload bytes', `${(result.bytes / 1e9).toFixed(2)} GB`],
    [
      'trips',
      Object.entries(summary.trips)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['total time', `${result.seconds} s (target < 300 s)`],
    ['messages/s', result.messagesPerS.toLocaleString('en')],
    ['peak RSS', `${result.peakRssMb} MB`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nSimulator benchmark\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`);
  console.log(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
