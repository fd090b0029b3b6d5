import { Chart, Testing } from 'cdk8s';
import { IngressVip, IngressVipProps, WebApp, WebAppProps, WebStackError } from '../lib';

export const IMAGE = 'registry.example.com/team/shop:1.4.2';
export const DIGEST = `sha256:${'a'.repeat(64)}`;

/** A chart in a fresh app, with a VIP at 192.0.2.10 in a chart of its own. */
export function given(vipProps: IngressVipProps = { address: '192.0.2.10' }) {
  const app = Testing.app();
  const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', vipProps);
  const chart = new Chart(app, 'web');
  return { app, vip, chart };
}

/** A WebApp with the fewest props, plus `props`. */
export function webApp(props: Partial<WebAppProps> = {}, vipProps?: IngressVipProps) {
  const { app, vip, chart } = given(vipProps);
  const web = new WebApp(chart, 'shop', { entryPoint: vip, image: IMAGE, host: 'shop.example.com', ...props });
  return { app, vip, chart, web };
}

/** The documents of `chart`, and one by kind. */
export function docs(chart: Chart): any[] {
  return Testing.synth(chart);
}

export function kind(chart: Chart, k: string): any {
  const found = docs(chart).filter(d => d.kind === k);
  if (found.length !== 1) {
    throw new Error(`expected one ${k}, found ${found.length}`);
  }
  return found[0];
}

export function kinds(chart: Chart): string[] {
  return docs(chart).map(d => d.kind);
}

/** Runs `build` once and returns the WebStackError it throws; fails the test if it throws anything else. */
export function errorOf(build: () => unknown): WebStackError {
  try {
    build();
  } catch (error) {
    if (error instanceof WebStackError) {
      return error;
    }
    throw new Error(`expected a WebStackError, got: ${(error as Error)?.stack ?? error}`);
  }
  throw new Error('expected a WebStackError, but nothing was thrown');
}
