import { killLoop } from './_synth-kill';

describe('WebStackApp output safety: SIGKILL at random moments', () => {
  // The small loop of `npm test`; `npm run test:kill` runs 2,000 stacks and 20 kills. What each
  // kill asserts is written at the top of test/_synth-kill.ts.
  test('a child synthesizing 300 stacks, killed 6 times (seeded), always leaves or is repaired to one complete set', async () => {
    const report = await killLoop({ stacks: 300, kills: 6, seed: 7, budgetMs: 40_000 });
    expect(report.results).toHaveLength(6);
    expect(report.results.every(r => r.repaired === (r.journal || r.left === 'new' ? 'new' : 'old'))).toBe(true);
  }, 60_000);
});
