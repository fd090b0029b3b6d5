/** A rollout that cannot finish is marked failed by the controller (issue 24 part 1): progressDeadlineSeconds and minReadySeconds. */
import { Probe } from '../lib';
import { docs, errorOf, kind, webApp } from './_fixtures';

const byName = (chart: any, k: string, name: string) => docs(chart).find((d: any) => d.kind === k && d.metadata.name === name);

describe('rollout timing', () => {
  test('defaults: one readiness period to stay ready; a deadline of 120 s plus the startup and readiness budgets plus that', () => {
    const deployment = kind(webApp().chart, 'Deployment');
    // 120 + startup (2 s x 30 + 1 s timeout) + readiness (5 s + 1 s) + 5.
    expect([deployment.spec.minReadySeconds, deployment.spec.progressDeadlineSeconds]).toEqual([5, 192]);
  });

  test('the deadline follows the probes: a slow starter gets longer, no startup probe shorter', () => {
    const slow = kind(webApp({ probes: { startup: Probe.httpGet('/livez', { initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 60, timeoutSeconds: 5 }) } }).chart, 'Deployment');
    expect(slow.spec.progressDeadlineSeconds).toBe(120 + (30 + 600 + 5) + 6 + 5);
    const none = kind(webApp({ probes: { startup: false } }).chart, 'Deployment');
    expect(none.spec.progressDeadlineSeconds).toBe(120 + 6 + 5);
    const given = kind(webApp({ rollout: { minReadySeconds: 0, progressDeadlineSeconds: 900 } }).chart, 'Deployment');
    expect([given.spec.minReadySeconds, given.spec.progressDeadlineSeconds]).toEqual([0, 900]);
  });

  test('workers: their own probes, 10 s to stay ready without a readiness probe; a StatefulSet gets minReadySeconds only', () => {
    const { chart } = webApp({
      workers: [
        { name: 'plain', command: ['/app/work'] },
        { name: 'checked', command: ['/app/work'], readiness: Probe.exec(['/app/ready'], { periodSeconds: 15 }) },
        { name: 'spool', command: ['/app/spool'], statefulSet: { claims: [{ name: 'data', size: '1Gi', mountPath: '/data' }] } },
      ],
    });
    const plain = byName(chart, 'Deployment', 'shop-plain').spec;
    expect([plain.minReadySeconds, plain.progressDeadlineSeconds]).toEqual([10, 130]);
    const checked = byName(chart, 'Deployment', 'shop-checked').spec;
    expect([checked.minReadySeconds, checked.progressDeadlineSeconds]).toEqual([15, 120 + 16 + 15]);
    const spool = byName(chart, 'StatefulSet', 'shop-spool').spec;
    expect([spool.minReadySeconds, spool.progressDeadlineSeconds]).toEqual([10, undefined]);
  });

  test('refuses a deadline a healthy pod could miss, a deadline on a StatefulSet, and values out of range', () => {
    expect(errorOf(() => webApp({ rollout: { progressDeadlineSeconds: 191 } })).message)
      .toContain("'rollout.progressDeadlineSeconds' (191) is shorter than a healthy new pod may take to count as available (192 s: 120 s to schedule and pull, the startup and readiness probes' budgets, minReadySeconds 5), so the controller would fail a healthy rollout; give at least 192");
    expect(errorOf(() => webApp({ statefulSet: { claims: [] }, rollout: { progressDeadlineSeconds: 600 } })).message)
      .toContain("'rollout.progressDeadlineSeconds' (600) is set, but a StatefulSet has no progress deadline");
    expect(errorOf(() => webApp({ workers: [{ name: 'w', command: ['x'], rollout: { minReadySeconds: -1 } }] })).prop).toBe('workers[0].rollout.minReadySeconds');
    expect(errorOf(() => webApp({ rollout: { progressDeadlineSeconds: '600' as any } })).prop).toBe('rollout.progressDeadlineSeconds');
    expect(errorOf(() => webApp({ rollout: { minReadySecond: 5 } as any })).message).toContain("did you mean 'rollout.minReadySeconds'");
  });
});
