/**
 * `npm run test:kill`: the kill loop of test/_synth-kill.ts at full size, 2,000 stacks and 20
 * kills (seed and sizes overridable: KILL_STACKS, KILLS, KILL_SEED). Exits non-zero on any
 * failed check, or past its budget of three minutes.
 */
import { killLoop } from './_synth-kill';

const stacks = Number(process.env.KILL_STACKS ?? 2000);
const kills = Number(process.env.KILLS ?? 20);
const seed = Number(process.env.KILL_SEED ?? 20261125);

killLoop({ stacks, kills, seed, budgetMs: 180_000, log: line => console.log(line) }).then((report) => {
  const killed = report.results.filter(r => r.killed).length;
  const mixed = report.results.filter(r => r.left === 'mixed').length;
  const journal = report.results.filter(r => r.journal).length;
  console.log(`\nok: ${report.results.length} kills (seed ${seed}), ${killed} while running, ${journal} after the commit point, ${mixed} left a mix; `
    + `every one repaired to a complete set; ${(report.totalMs / 1000).toFixed(1)} s`);
}, (error) => {
  console.error(`FAIL ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
