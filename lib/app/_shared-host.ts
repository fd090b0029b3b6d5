import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import type { EntryPoint } from '../entry-points/entry-point';
import { RouteSpec } from '../entry-points/_route';
import type { RouteOptions } from '../entry-points/route';

/** What an app that owns a host lends the apps that serve paths of it. */
interface HostOwner {
  readonly path: string;
  readonly namespace: string;
  readonly entryPoint: EntryPoint;
  readonly route: RouteSpec;
}

/** Each WebApp's route, for the apps that name it as their `hostOwner`. */
const owners = new WeakMap<IConstruct, HostOwner>();

/** Records `app`'s route, which later apps may serve paths of. */
export function registerHostOwner(app: IConstruct, owner: Omit<HostOwner, 'path'>): void {
  owners.set(app, { ...owner, path: app.node.path });
}

/** The props that serve paths of another app's host, and those that cannot go with it. */
export interface SharedHostProps {
  readonly hostOwner?: IConstruct;
  readonly host: string;
  readonly otherHosts?: string[];
  readonly redirectOtherHosts?: boolean;
  readonly entryPoint: EntryPoint;
  readonly namespace?: { readonly name?: string; readonly create?: boolean };
  readonly route?: RouteOptions;
  readonly dns?: unknown;
}

/** The owner of the host an app serves paths of, validated; `undefined` for an app that owns its hosts. */
export interface SharedHost {
  /** The owner's construct path, for messages. */
  readonly ownerPath: string;
  /** The owner's namespace, which the app runs in. */
  readonly namespace: string;
  /** The owner's route: its TLS and HTTPS redirect are the host's. */
  readonly route: RouteSpec;
}

/**
 * Validates `hostOwner`: the app serves some paths of another app's host, through the same entry
 * point and in the same namespace (where the host's certificate Secret is), without a
 * certificate, hosts or DNS record of its own: the owner has them.
 */
export function resolveSharedHost(scope: IConstruct, props: SharedHostProps): SharedHost | undefined {
  if (props.hostOwner === undefined) {
    return undefined;
  }
  const owner = owners.get(props.hostOwner);
  if (owner === undefined) {
    throw propError(scope, 'hostOwner', props.hostOwner.node?.path ?? props.hostOwner, 'is not a WebApp', 'give the WebApp that owns the host');
  }
  const refuse = (prop: string, value: unknown, problem: string, fix: string): never => {
    throw propError(scope, prop, value, `${problem}, but the host belongs to ${owner.path} (hostOwner)`, fix);
  };
  if (props.entryPoint !== owner.entryPoint) {
    refuse('entryPoint', props.entryPoint.description, `is not ${owner.entryPoint.description}, through which the owner serves the host`, 'serve both apps through one entry point');
  }
  if (!owner.route.hosts.includes(props.host)) {
    refuse('host', props.host, `is not a host of the owner (${owner.route.hosts.join(', ')})`, `give the owner's host, '${owner.route.host}'`);
  }
  if (props.host !== owner.route.host && owner.route.redirectOtherHosts) {
    refuse('host', props.host, `is redirected to '${owner.route.host}' by the owner`, `serve the paths on '${owner.route.host}'`);
  }
  if ((props.otherHosts ?? []).length > 0 || props.redirectOtherHosts !== undefined) {
    refuse(props.otherHosts !== undefined ? 'otherHosts' : 'redirectOtherHosts', props.otherHosts ?? props.redirectOtherHosts, 'is set', 'give the owner the hosts, and serve paths of one of them here');
  }
  const namespace = props.namespace?.name;
  if (namespace !== undefined && namespace !== owner.namespace) {
    refuse('namespace.name', namespace, `is not the owner's namespace "${owner.namespace}", where the host's certificate Secret is and an Ingress can read it`,
      'leave namespace.name out: the app runs in the owner\'s namespace');
  }
  if (props.namespace?.create === true) {
    refuse('namespace.create', true, 'would emit the owner\'s Namespace a second time', 'leave it out: the owner emits the Namespace');
  }
  for (const prop of ['tls', 'sslRedirect'] as const) {
    if (props.route?.[prop] !== undefined) {
      refuse(`route.${prop}`, prop === 'tls' ? props.route.tls!.source : props.route.sslRedirect, 'is set', 'leave it out: the host\'s certificate and HTTPS redirect are the owner\'s');
    }
  }
  if (props.dns !== undefined) {
    refuse('dns', props.dns === false ? false : 'set', 'is set', 'leave it out: the owner publishes the host\'s record');
  }
  return { ownerPath: owner.path, namespace: owner.namespace, route: owner.route };
}
