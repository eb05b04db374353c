// Loaded with `node --import` into the measured process: at exit it writes the
// process's own peak RSS and CPU time to $YDB_MIGRATE_BENCH_REPORT.
import { writeFileSync } from 'node:fs';

const report = process.env.YDB_MIGRATE_BENCH_REPORT;
if (report) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(report, JSON.stringify({ maxRssKiB: usage.maxRSS, userMicros: usage.userCPUTime, systemMicros: usage.systemCPUTime }));
  });
}
