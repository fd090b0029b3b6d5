import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { sortKeys } from '../core/_records';
import { checked, shape } from '../core/_shape';
import { ImageReference, parseImage } from '../core/_validate';
import type { EntryPoint } from '../entry-points/entry-point';

/** What names the app: the props `resolveIdentity` reads. */
export interface IdentityProps {
  readonly entryPoint: EntryPoint;
  readonly image: string;
  readonly host: string;
  readonly otherHosts?: string[];
  readonly redirectOtherHosts?: boolean;
  readonly name?: string;
  readonly namespace?: { readonly name?: string };
  readonly version?: string;
  readonly component?: string;
  readonly partOf?: string;
  readonly labels?: Record<string, string>;
  readonly port?: number;
  readonly portName?: string;
}

/** Who the app is: its names, hosts, image, port and labels, validated. */
export interface Identity {
  readonly name: string;
  readonly namespace: string;
  /** `host` first, then the other hosts. */
  readonly hosts: readonly string[];
  readonly redirectOtherHosts: boolean;
  readonly image: ImageReference;
  readonly port: number;
  readonly portName: string;
  /** The recommended labels and the user's, sorted. */
  readonly labels: Record<string, string>;
  /** The stable labels that select the app's pods. */
  readonly selectorLabels: Record<string, string>;
}

const MANAGED_BY = 'cdk8s-webstack';

/** Namespaces the cluster or the platform owns, and why an app may not take them. */
const SYSTEM_NAMESPACES: Record<string, string> = {
  'default': 'the cluster\'s default namespace, shared by everything that names none',
  'kube-system': 'the namespace of the cluster\'s own components',
  'kube-public': 'the namespace whose contents every client may read',
  'kube-node-lease': 'the namespace of the nodes\' heartbeats',
};

/**
 * Resolves the app's identity; `id` is the construct id, the name's default. Each prop's format
 * is its shape's: here are the defaults and the rules across props.
 */
export function resolveIdentity(scope: IConstruct, id: string, props: IdentityProps): Identity {
  const name = props.name ?? checked(scope, 'name', id, shape.dns1035Label);
  const namespace = props.namespace?.name ?? name;
  const hosts = resolveHosts(scope, props);
  const image = parseImage(props.image);
  const port = props.port ?? 8080;
  const portName = props.portName ?? 'http';
  const selectorLabels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
  const labels = resolveLabels(scope, props, { name, image, selectorLabels });
  checkOwnNamespace(scope, namespace, props.entryPoint);
  if (props.redirectOtherHosts && hosts.length === 1) {
    throw propError(scope, 'redirectOtherHosts', true, 'is set, but the app has no other hosts', 'give otherHosts, or drop redirectOtherHosts');
  }
  return { name, namespace, hosts, redirectOtherHosts: props.redirectOtherHosts ?? false, image, port, portName, labels, selectorLabels };
}

/** `host`, then each other host once. */
function resolveHosts(scope: IConstruct, props: IdentityProps): string[] {
  const host = props.host;
  const others = props.otherHosts ?? [];
  return [host, ...others.map((h, i) => {
    if (h === host || others.indexOf(h) !== i) {
      throw propError(scope, `otherHosts[${i}]`, h, 'is named twice among the app\'s hosts', 'list each host once');
    }
    return h;
  })];
}

/** The Kubernetes recommended labels, plus the user's; the selector keeps only the stable ones. */
function resolveLabels(scope: IConstruct, props: IdentityProps,
  app: { name: string; image: ImageReference; selectorLabels: Record<string, string> }): Record<string, string> {
  const version = props.version ?? defaultVersion(app.image);
  const recommended: Record<string, string> = {
    ...app.selectorLabels,
    ...(version !== undefined ? { 'app.kubernetes.io/version': version } : {}),
    'app.kubernetes.io/component': props.component ?? 'web',
    'app.kubernetes.io/part-of': props.partOf ?? app.name,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
  const extra = props.labels ?? {};
  for (const key of Object.keys(extra)) {
    if (Object.hasOwn(recommended, key)) {
      throw propError(scope, `labels["${key}"]`, extra[key], 'would override a recommended label the app sets',
        'set it through its own prop (name, version, component, partOf) or pick another key');
    }
  }
  return sortKeys({ ...extra, ...recommended });
}

/** The image tag, when it is a valid label value. */
function defaultVersion(image: ImageReference): string | undefined {
  const tag = image.tag;
  return tag !== undefined && tag.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(tag) ? tag : undefined;
}

/**
 * Fails when `namespace` belongs to the cluster or to the entry point: the app would label it
 * Pod Security restricted (breaking what runs there) and share its NetworkPolicies and quotas.
 */
function checkOwnNamespace(scope: IConstruct, namespace: string, entryPoint: EntryPoint): void {
  const owners = [entryPoint.namespace, entryPoint.dataPlane?.namespace].filter(n => n !== undefined);
  const reason = Object.hasOwn(SYSTEM_NAMESPACES, namespace) ? SYSTEM_NAMESPACES[namespace]
    : owners.includes(namespace) ? `the namespace of ${entryPoint.description} or its data plane` : undefined;
  if (reason !== undefined) {
    throw propError(scope, 'namespace.name', namespace, `is ${reason}; an app there would relabel it and share its policies`,
      'give the app a namespace of its own (the default is the app\'s name)');
  }
}
