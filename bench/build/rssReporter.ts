/**
 * Preloaded (`node --require`) into the measured process: samples its resident set size every 50 ms and,
 * at exit, writes the samples (epoch ms, kB) and the peak (`maxRSS`, kB) as JSON to the file named by
 * BENCH_RSS_FILE — so the benchmark measures the shipped CLI unchanged.
 */
import { writeFileSync } from 'node:fs';

const target = process.env['BENCH_RSS_FILE'];
if (target) {
  const samples: [number, number][] = [];
  const timer = setInterval(() => samples.push([Date.now(), Math.round(process.memoryUsage.rss() / 1024)]), 50);
  timer.unref();
  process.on('exit', () =>
    writeFileSync(target, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, samples })),
  );
}
