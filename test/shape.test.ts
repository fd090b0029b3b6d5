/**
 * Each prop's contract lives in its shape (lib/core/_shape.ts): type, format, range, enum and
 * the fix its error gives. These cases pin what the shape adds to a plain type check.
 */
import { Chart, Testing } from 'cdk8s';
import { checkShape, shape } from '../lib/core/_shape';
import { synthYaml, WebApp } from '../lib';
import { errorOf, given, IMAGE, kind, webApp } from './_fixtures';

describe('run-time shapes', () => {
  test('a format runs after the type: a number where a port name goes fails as a type, a bad name as a format', () => {
    expect(errorOf(() => checkShape('f()', 'portName', 8080, shape.portName)).message).toMatch(/'portName' \(8080\) is not a string/);
    expect(errorOf(() => checkShape('f()', 'portName', 'HTTP', shape.portName)).message).toMatch(/'portName' \("HTTP"\) is not a valid port name/);
  });

  test('a value of the right type for one option of a union gets that option\'s format error, not "none of"', () => {
    const error = errorOf(() => webApp({ disruptionBudget: { maxUnavailable: '150%' } }));
    expect(error.prop).toBe('disruptionBudget.maxUnavailable');
    expect(error.message).toMatch(/is not a count of at least 1 or a percentage from 1% to 100%/);
    expect(errorOf(() => webApp({ disruptionBudget: { maxUnavailable: 0 } })).message).toMatch(/must be a whole number from 1 to 10000; allow at least 1 pod/);
  });

  test('a map\'s keys are checked with the key\'s own rule, named by the key', () => {
    const error = errorOf(() => webApp({ sidecars: [{ name: 'log', env: { 'bad-name': undefined as any } }] }));
    expect(error.prop).toBe('sidecars[0].env["bad-name"]');
    expect(error.message).toMatch(/not a valid environment variable name/);
  });

  test('a default derived from other input is checked against the prop\'s contract: the construct id as the name', () => {
    const { vip } = given();
    const chart = new Chart(Testing.app(), 'web');
    const error = errorOf(() => new WebApp(chart, 'MyShop', { entryPoint: vip, image: IMAGE, host: 'shop.example.com' }));
    expect(error.prop).toBe('name');
    expect(error.message).toMatch(/'name' \("MyShop"\) is not a valid DNS-1035 label/);
  });

  test('-0 passes an integer range and is written as 0, never as -0', () => {
    const { chart } = webApp({ replicas: -0, disruptionBudget: false, shutdown: { preStopDelaySeconds: -0 } });
    const yaml = synthYaml(chart, { kind: 'Deployment', name: 'shop' });
    expect(yaml).toMatch(/^  replicas: 0$/m);
    expect(yaml).not.toMatch(/-0\b/);
    expect(kind(chart, 'Deployment').spec.template.spec.terminationGracePeriodSeconds).toBe(30);
  });
});
