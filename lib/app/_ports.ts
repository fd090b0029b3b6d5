import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { shape } from '../core/_shape';
import { MetricsSpec } from './_metrics';
import { AppProtocol, PortOptions, PortProtocol } from './ports';

/** The run-time shape of `WebAppProps.ports`. */
export const PORTS_SHAPE = shape.array(shape.object<PortOptions>('PortOptions', {
  name: shape.portName,
  port: shape.port,
  servicePort: shape.port,
  protocol: shape.enum(PortProtocol, 'PortProtocol'),
  appProtocol: shape.enum(AppProtocol, 'AppProtocol'),
}, { required: ['name', 'port'] }));

/** The name of the Service port that forwards to the serving port. */
export const SERVICE_PORT_NAME = 'http';
/** The Service port that forwards to the serving port. */
export const SERVICE_PORT = 80;

/** A port of the app's container beside its serving port, and the Service port that forwards to it. */
export interface AppPort {
  /** The prop that declares it, e.g. `ports[0]`. */
  readonly prop: string;
  readonly name: string;
  /** The container port. */
  readonly port: number;
  readonly protocol: PortProtocol;
  /** The Service port; `undefined` keeps it off the Service (a PodMonitor's metrics port). */
  readonly servicePort?: number;
  readonly appProtocol?: AppProtocol;
}

/** Every port of the app's container, validated: declared once, referred to by name. */
export interface PortsSpec {
  /** The serving port, which the route reaches through the Service port `http` (80). */
  readonly serving: { readonly name: string; readonly number: number };
  /** The others, in declaration order, the metrics port last. */
  readonly extra: readonly AppPort[];
}

/**
 * Validates `ports` beside the serving port and the metrics port: names and numbers unique in
 * the container (per protocol) and in the Service, where `http` (80) forwards to the serving port.
 */
export function resolvePorts(scope: IConstruct, ports: readonly PortOptions[] | undefined, serving: PortsSpec['serving'], metrics: MetricsSpec | undefined): PortsSpec {
  const extra: AppPort[] = (ports ?? []).map((p, i) => ({
    prop: `ports[${i}]`, name: p.name, port: p.port, protocol: p.protocol ?? PortProtocol.TCP, servicePort: p.servicePort ?? p.port, appProtocol: p.appProtocol,
  }));
  if (metrics !== undefined && !metrics.onAppPort) {
    extra.push({ prop: 'metrics', name: metrics.portName, port: metrics.port, protocol: PortProtocol.TCP, servicePort: metrics.servicePort });
  }
  // Who holds each name, container port and Service port so far.
  const names = new Map<string, string>([[serving.name, 'the app\'s serving port (portName)'], [SERVICE_PORT_NAME, 'the Service port of the serving port']]);
  const container = new Map<string, string>([[`TCP/${serving.number}`, `the app's serving port '${serving.name}'`]]);
  const service = new Map<string, string>([[`TCP/${SERVICE_PORT}`, `the Service port '${SERVICE_PORT_NAME}' of the serving port`]]);
  for (const p of extra) {
    const fix = p.prop === 'metrics' ? 'serve the metrics on a port and name of their own, or on the app\'s port (leave metrics.port out)' : 'give each port a name and number of its own';
    const byName = names.get(p.name);
    if (byName !== undefined) {
      throw propError(scope, p.prop === 'metrics' ? 'metrics.portName' : `${p.prop}.name`, p.name, `is already the name of ${byName}`, fix);
    }
    names.set(p.name, p.prop === 'metrics' ? 'the metrics port' : `port ${p.prop}`);
    const byNumber = container.get(`${p.protocol}/${p.port}`);
    if (byNumber !== undefined) {
      throw propError(scope, `${p.prop}.port`, p.port, `is already the ${p.protocol} container port of ${byNumber}`,
        p.prop === 'metrics' ? 'leave metrics.port out to serve the metrics on the app\'s port, or give them a port of their own' : 'declare each port once, and refer to it by its name');
    }
    container.set(`${p.protocol}/${p.port}`, `'${p.name}'`);
    if (p.servicePort !== undefined) {
      const byService = service.get(`${p.protocol}/${p.servicePort}`);
      if (byService !== undefined) {
        throw propError(scope, p.prop === 'metrics' ? 'metrics.port' : `${p.prop}.servicePort`, p.servicePort, `is already the ${p.protocol} port of the Service for ${byService}`,
          'give it a Service port of its own (servicePort)');
      }
      service.set(`${p.protocol}/${p.servicePort}`, `'${p.name}'`);
    }
  }
  return { serving, extra };
}

/** The name of every port of the app's container, the serving port's first. */
export function portNames(ports: PortsSpec): string[] {
  return [ports.serving.name, ...ports.extra.map(p => p.name)];
}
