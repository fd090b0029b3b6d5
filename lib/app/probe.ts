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

const OPTIONS_SHAPE = shape.object<ProbeOptions>('ProbeOptions', {
  initialDelaySeconds: shape.number, periodSeconds: shape.number, timeoutSeconds: shape.number, failureThreshold: shape.number,
});

/**
 * A readiness, liveness or startup check of the app container.
 * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
 */
export class Probe {
  /** An HTTP GET of `path` on the app port; a status from 200 to 399 passes. */
  public static httpGet(path: string, options: ProbeOptions = {}): Probe {
    checkShape('Probe.httpGet()', 'path', path ?? null, shape.string);
    checkShape('Probe.httpGet()', 'options', options, OPTIONS_SHAPE);
    return new Probe('httpGet', path, options);
  }

  /** A TCP connection to the app port. */
  public static tcpSocket(options: ProbeOptions = {}): Probe {
    checkShape('Probe.tcpSocket()', 'options', options, OPTIONS_SHAPE);
    return new Probe('tcpSocket', undefined, options);
  }

  private constructor(
    /** The kind of check. */
    public readonly kind: 'httpGet' | 'tcpSocket',
    /** The HTTP path, for `httpGet`. */
    public readonly path: string | undefined,
    public readonly options: ProbeOptions,
  ) {}

  /**
   * The probe on the named port; options it leaves out take `defaults`, then Kubernetes's.
   * @internal
   */
  public _render(portName: string, defaults: ProbeOptions = {}): k8s.Probe {
    const o = { ...defaults, ...definedOnly(this.options) };
    return {
      ...(this.kind === 'httpGet'
        ? { httpGet: { path: this.path, port: intOrString(portName), scheme: 'HTTP' } }
        : { tcpSocket: { port: intOrString(portName) } }),
      // The API server drops a zero delay, so it is written only when set, and reads back as written.
      ...(o.initialDelaySeconds ? { initialDelaySeconds: o.initialDelaySeconds } : {}),
      periodSeconds: o.periodSeconds ?? 10,
      timeoutSeconds: o.timeoutSeconds ?? 1,
      failureThreshold: o.failureThreshold ?? 3,
      successThreshold: 1,
    };
  }
}

function definedOnly(options: ProbeOptions): ProbeOptions {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined));
}
