import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { checkShape, shape } from '../core/_shape';
import { intOrString } from '../k8s/_k8s';

/** Timing of a probe; what is left out keeps the defaults of the probe's role. */
export interface ProbeOptions {
  /**
   * Seconds after the container starts before the first probe.
   * @default 0
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Seconds before a probe times out.
   * @default 1
   */
  readonly timeoutSeconds?: number;
  /**
   * Failures in a row that count as failed.
   * @default 3
   */
  readonly failureThreshold?: number;
}

/** How an HTTP probe connects. */
export enum ProbeScheme {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTPS; the kubelet does not verify the certificate. */
  HTTPS = 'HTTPS',
}

/** A TCP connection's port and timing: `Probe.tcpSocket()`. */
export interface TcpSocketProbeOptions extends ProbeOptions {
  /**
   * The port: a number the container declares, or the name of one of its ports.
   * @default - the container's named port (the app's `portName`, a sidecar's `port`); a worker has none, so its probes give one
   */
  readonly port?: number | string;
}

/** An HTTP GET's port, scheme, headers and timing: `Probe.httpGet()`. */
export interface HttpGetProbeOptions extends TcpSocketProbeOptions {
  /**
   * HTTP or HTTPS (the kubelet skips certificate verification).
   * @default ProbeScheme.HTTP
   */
  readonly scheme?: ProbeScheme;
  /**
   * Request headers, by name (an HTTP token; `Host` sets the virtual host); values without control characters.
   * @default - the kubelet's own: `Host` (the pod IP and port), `User-Agent: kube-probe/<version>`, `Accept: *\/*`
   */
  readonly headers?: Record<string, string>;
}

/** A gRPC health check's port, service and timing: `Probe.grpc()`. */
export interface GrpcProbeOptions extends ProbeOptions {
  /** The port number (the API takes no port name for gRPC): one the container declares, or any on a worker. */
  readonly port: number;
  /**
   * The service name sent in the `grpc.health.v1.HealthCheckRequest`.
   * @default - none: the server's overall health
   */
  readonly service?: string;
}

/** The kinds of check a probe makes, as the Kubernetes API names them. */
export type ProbeKind = 'httpGet' | 'tcpSocket' | 'exec' | 'grpc';

const TIMING = { initialDelaySeconds: shape.number, periodSeconds: shape.number, timeoutSeconds: shape.number, failureThreshold: shape.number };
const PORT = shape.oneOf(shape.number, shape.string);
const OPTIONS_SHAPE = shape.object<ProbeOptions>('ProbeOptions', TIMING);
const TCP_SHAPE = shape.object<TcpSocketProbeOptions>('TcpSocketProbeOptions', { port: PORT, ...TIMING });
const HTTP_SHAPE = shape.object<HttpGetProbeOptions>('HttpGetProbeOptions', {
  port: PORT, scheme: shape.enum(ProbeScheme, 'ProbeScheme'), headers: shape.record(shape.string), ...TIMING,
});
const GRPC_SHAPE = shape.object<GrpcProbeOptions>('GrpcProbeOptions', { port: shape.number, service: shape.string, ...TIMING }, { required: ['port'] });

/** The check, without its timing: what two probes compare to tell whether they ask the same. */
interface Check {
  readonly path?: string;
  readonly port?: number | string;
  readonly scheme?: ProbeScheme;
  readonly headers?: Readonly<Record<string, string>>;
  readonly command?: readonly string[];
  readonly service?: string;
}

/**
 * A readiness, liveness or startup check of a container.
 * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
 */
export class Probe {
  /** An HTTP GET of `path`, on the container's named port unless `port` says otherwise; a status from 200 to 399 passes. */
  public static httpGet(path: string, options: HttpGetProbeOptions = {}): Probe {
    checkShape('Probe.httpGet()', 'path', path ?? null, shape.string);
    checkShape('Probe.httpGet()', 'options', options, HTTP_SHAPE);
    const { port, scheme, headers, ...timing } = options ?? {};
    return new Probe('httpGet', { path, port, scheme: scheme ?? ProbeScheme.HTTP, headers: headers && { ...headers } }, timing);
  }

  /** A TCP connection, to the container's named port unless `port` says otherwise. */
  public static tcpSocket(options: TcpSocketProbeOptions = {}): Probe {
    checkShape('Probe.tcpSocket()', 'options', options, TCP_SHAPE);
    const { port, ...timing } = options ?? {};
    return new Probe('tcpSocket', { port }, timing);
  }

  /** A command run in the container (no shell unless the command is one); exit status 0 passes. */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    checkShape('Probe.exec()', 'command', command ?? null, shape.array(shape.string));
    checkShape('Probe.exec()', 'options', options, OPTIONS_SHAPE);
    return new Probe('exec', { command: [...command] }, options ?? {});
  }

  /** A gRPC health check (`grpc.health.v1.Health/Check`) on a port number; `SERVING` passes. */
  public static grpc(options: GrpcProbeOptions): Probe {
    checkShape('Probe.grpc()', 'options', options ?? null, GRPC_SHAPE);
    const { port, service, ...timing } = options;
    return new Probe('grpc', { port, service }, timing);
  }

  /** The kind of check. */
  public readonly kind: ProbeKind;
  /** The HTTP path, for `httpGet`. */
  public readonly path?: string;
  /** The port as given, for `httpGet`, `tcpSocket` and `grpc`; `undefined`: the container's named port. */
  public readonly port?: number | string;
  /** The scheme, for `httpGet`. */
  public readonly scheme?: ProbeScheme;
  /** The request headers, for `httpGet`. */
  public readonly headers?: Readonly<Record<string, string>>;
  /** The command, for `exec`. */
  public readonly command?: readonly string[];
  /** The gRPC service name, for `grpc`. */
  public readonly service?: string;

  private constructor(kind: ProbeKind, check: Check,
    /** Its timing: delay, period, timeout and failure threshold. */
    public readonly options: ProbeOptions) {
    this.kind = kind;
    this.path = check.path;
    this.port = check.port;
    this.scheme = check.scheme;
    this.headers = check.headers;
    this.command = check.command;
    this.service = check.service;
  }

  /**
   * The same check with other timing: the startup probe copies the liveness probe's check.
   * @internal
   */
  public _withOptions(options: ProbeOptions): Probe {
    const { path, port, scheme, headers, command, service } = this;
    return new Probe(this.kind, { path, port, scheme, headers, command, service }, options);
  }

  /**
   * The probe's check and options, for the renderer to check where the probe is used (its
   * factory knows only their types, the message names the prop that holds it).
   * @internal
   */
  public _content(): Record<string, unknown> {
    const { path, port, scheme, headers, command, service } = this;
    return definedOnly({ ...this.options, path, port, scheme, headers, command, service });
  }

  /**
   * The probe on `port` (a name or number the renderer has checked); options it leaves out take
   * `defaults`, then Kubernetes's.
   * @internal
   */
  public _render(port: string | number | undefined, defaults: ProbeOptions = {}): k8s.Probe {
    const o = { ...defaults, ...definedOnly(this.options) };
    return {
      ...this.renderCheck(port),
      // The API server drops a zero delay, so it is written only when set, and reads back as written.
      ...(o.initialDelaySeconds ? { initialDelaySeconds: o.initialDelaySeconds } : {}),
      periodSeconds: o.periodSeconds ?? 10,
      timeoutSeconds: o.timeoutSeconds ?? 1,
      failureThreshold: o.failureThreshold ?? 3,
      successThreshold: 1,
    };
  }

  private renderCheck(port: string | number | undefined): Pick<k8s.Probe, ProbeKind> {
    const headers = Object.entries(this.headers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => ({ name, value }));
    const checks: Record<ProbeKind, () => Pick<k8s.Probe, ProbeKind>> = {
      httpGet: () => ({
        httpGet: { path: this.path, port: intOrString(port!), scheme: this.scheme, ...(headers.length > 0 ? { httpHeaders: headers } : {}) },
      }),
      tcpSocket: () => ({ tcpSocket: { port: intOrString(port!) } }),
      exec: () => ({ exec: { command: [...this.command!] } }),
      grpc: () => ({ grpc: { port: port as number, ...(this.service !== undefined ? { service: this.service } : {}) } }),
    };
    return checks[this.kind]();
  }
}

function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)) as T;
}
