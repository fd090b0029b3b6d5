import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { errorAt, propError } from '../core/errors';
import { checkShape, shape } from '../core/_shape';
import { Probe, ProbeOptions, ProbeScheme } from './probe';

/** A probe of any container. */
export const PROBE_SHAPE = shape.instance(Probe, 'Probe', 'use Probe.httpGet(path), Probe.tcpSocket(), Probe.exec(command) or Probe.grpc({ port })');

/** The ports a probe may reach on the container it checks. */
export interface ProbeTarget {
  /** The container, in messages: `the app container`, `the sidecar`, `the worker`. */
  readonly what: string;
  /** Its declared ports; the first is the one a probe that names none checks. */
  readonly ports: ReadonlyArray<{ readonly name: string; readonly number: number }>;
  /** Why a probe that names no port cannot be placed, and the fix, for a container without ports. */
  readonly noPort: { readonly problem: string; readonly fix: string };
  /** Any port number passes: the container declares none, yet its process may listen (a worker). */
  readonly undeclared?: boolean;
}

/** An HTTP header name: a token (RFC 9110), which the API server requires too. */
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What a header value may not hold: control characters other than tab (a line break would end the header). */
const HEADER_CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

const HEADERS = shape.format(
  shape.record(
    shape.format(shape.string, (w, p, v: string) => {
      const found = HEADER_CONTROL.exec(v);
      if (found !== null) {
        throw errorAt(w, p, v, `holds the control character U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which an HTTP header value may not`,
          'remove it: a header value is one line of visible characters, spaces and tabs');
      }
    }),
    (w, p, k: string) => {
      if (!HTTP_TOKEN.test(k)) {
        throw errorAt(w, p, k, 'is not an HTTP header name (a token)', 'use letters, digits and !#$%&\'*+-.^_`|~, e.g. \'X-Probe\'');
      }
    },
  ),
  (w, p, headers: Record<string, string>) => {
    // The kubelet canonicalizes names, so names that differ only in case are one header.
    const seen = new Map<string, string>();
    for (const name of Object.keys(headers)) {
      const other = seen.get(name.toLowerCase());
      if (other !== undefined) {
        throw errorAt(w, `${p}["${name}"]`, headers[name], `is the header '${other}' again (header names ignore case)`, 'give each header once');
      }
      seen.set(name.toLowerCase(), name);
    }
  },
);

/**
 * The probe's check and options, checked where the probe is used: its factory knows only their
 * types, the message names the prop that holds it (`probes.readiness.path`).
 */
const PROBE_CONTENT = shape.object<ProbeOptions & { path: string; port: number | string; scheme: ProbeScheme; headers: Record<string, string>; command: string[]; service: string }>('ProbeOptions', {
  path: shape.httpPath,
  port: shape.oneOf(shape.port, shape.portName),
  scheme: shape.enum(ProbeScheme, 'ProbeScheme'),
  headers: HEADERS,
  command: shape.format(shape.array(shape.string), (w, p, command: string[]) => {
    if (command.length === 0 || command[0].trim() === '') {
      throw errorAt(w, p, command, 'names no program to run', 'give the program and its arguments, e.g. [\'/app/healthcheck\'] or [\'sh\', \'-c\', \'...\']');
    }
  }),
  service: shape.string,
  initialDelaySeconds: shape.int(0, 3600),
  periodSeconds: shape.int(1, 3600),
  timeoutSeconds: shape.int(1, 3600),
  failureThreshold: shape.int(1, 1000),
});

/** Checks `probe`, given at `prop`, against the container it checks, and renders it. */
export function renderProbe(scope: IConstruct, prop: string, probe: Probe, target: ProbeTarget, defaults: ProbeOptions = {}): k8s.Probe {
  checkShape(scope, prop, probe._content(), PROBE_CONTENT);
  return probe._render(probePort(scope, prop, probe, target), defaults);
}

/** The port `probe` reaches on `target`, as written in the probe: a name or a number. */
function probePort(scope: IConstruct, prop: string, probe: Probe, target: ProbeTarget): string | number | undefined {
  if (probe.kind === 'exec') {
    return undefined;
  }
  const port = probe.port;
  const ports = target.ports.map(p => `${p.name}:${p.number}`).join(', ');
  if (port === undefined) {
    if (target.ports.length === 0) {
      throw propError(scope, `${prop}.port`, port, target.noPort.problem, target.noPort.fix);
    }
    return target.ports[0].name;
  }
  if (typeof port === 'number') {
    if (!target.undeclared && !target.ports.some(p => p.number === port)) {
      throw propError(scope, `${prop}.port`, port, `is not a port of ${target.what}, whose ports are ${ports || 'none'}`,
        target.ports.length > 0 ? `probe one of them, or leave port out for '${target.ports[0].name}'` : target.noPort.fix);
    }
    return port;
  }
  if (!target.ports.some(p => p.name === port)) {
    throw propError(scope, `${prop}.port`, port, `names no port of ${target.what}, whose ports are ${ports || 'none'}`,
      target.ports.length > 0 ? `name one of them, or leave port out for '${target.ports[0].name}'` : target.noPort.fix);
  }
  return port;
}

/**
 * Whether two probes of `target`, both rendered, make the same check, whatever their timing: a
 * port by name and by number is one port, header names ignore case.
 */
export function sameCheck(a: Probe, b: Probe, target: ProbeTarget): boolean {
  return checkKey(a, target) === checkKey(b, target);
}

function checkKey(probe: Probe, target: ProbeTarget): string {
  const given = probe.kind === 'exec' ? undefined : probe.port ?? target.ports[0]?.name;
  const port = typeof given === 'string' ? target.ports.find(p => p.name === given)?.number ?? given : given;
  const headers = Object.entries(probe.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]).sort();
  return JSON.stringify([probe.kind, probe.path, port, probe.scheme, headers, probe.command, probe.service]);
}

/**
 * The startup probe a liveness probe implies: the same check (the app may serve no other), every
 * 2 s for up to 60 s, holding the liveness probe back until then.
 */
export function startupFrom(liveness: Probe): Probe {
  return liveness._withOptions({ periodSeconds: 2, failureThreshold: 30, timeoutSeconds: liveness.options.timeoutSeconds });
}
