import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { propError } from '../core/errors';
import { sortKeys } from '../core/_records';
import { mergeAnnotations, RouteSpec } from './_route';
import { portList } from './_ingress';
import { RouteCheck } from './_route';
import { AttachedRoute } from './entry-point';
import { GatewayImplementation } from './gateway-implementation';
import {
  HttpRoute, HttpRouteSpecParentRefs, HttpRouteSpecRulesFiltersRequestRedirectScheme, HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
  HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesMatches, HttpRouteSpecRulesMatchesPathType, ReferenceGrantV1Beta1,
} from '../imports/gateway.networking.k8s.io';
import { PathType } from './route';
import { manifestOf } from '../k8s/_manifest';

/** The Gateway and listeners an app's HTTPRoutes attach to. */
export interface RouteParent {
  readonly name: string;
  readonly namespace: string;
  /** The listener for plain HTTP, if the Gateway has one the app may use. */
  readonly httpListener?: string;
  /** The listener that terminates TLS for each of the app's hosts, in their order, when the app has TLS. */
  readonly httpsListeners?: readonly string[];
  /** For messages: `Gateway gateway/web`. */
  readonly description: string;
  /** The implementation that runs the Gateway; `undefined` when unknown, which gets the portable HTTPRoute. */
  readonly implementation?: GatewayImplementation;
}

const NOT_ROUTE_OPTIONS: Array<[keyof RouteSpec['timeouts'] | 'proxyBodySize', string]> = [
  ['proxyBodySize', 'limit the body size in the app, or with the implementation\'s own policy resource'],
  ['proxyConnectTimeoutSeconds', 'use route.backendRequestTimeoutSeconds, or the implementation\'s own policy resource'],
  ['proxyReadTimeoutSeconds', 'use route.backendRequestTimeoutSeconds (the whole backend response, not the gap between two reads), or route.longLivedConnections for connections that must stay open'],
  ['proxySendTimeoutSeconds', 'use route.backendRequestTimeoutSeconds, or route.longLivedConnections for connections that must stay open, or the implementation\'s own policy resource'],
];

/**
 * The app's HTTPRoute in its own namespace, attached to the parent's listeners: to the HTTPS
 * listener with TLS (plus a second HTTPRoute on the HTTP listener that redirects to HTTPS), to
 * the HTTP listener without.
 */
export function renderHttpRoutes(app: Construct, route: RouteSpec, parent: RouteParent): Pick<AttachedRoute, 'route' | 'redirect' | 'hostRedirect'> {
  for (const [prop, fix] of NOT_ROUTE_OPTIONS) {
    const value = prop === 'proxyBodySize' ? route.proxyBodySize : route.timeouts[prop];
    if (value !== undefined) {
      throw propError(app, `route.${prop}`, value, `has no Gateway API equivalent, and the app is served through ${parent.description}`, fix);
    }
  }
  const ref = (sectionName: string | undefined, prop: string, fix: string) => parentRef(app, route, parent, sectionName, prop, fix);
  const tls = route.tls !== undefined;
  // The hosts the main route serves; with redirectOtherHosts, the others get a route of their own.
  const served = route.redirectOtherHosts ? [route.host] : route.hosts;
  const refsFor = (hosts: readonly string[]) => (tls
    ? httpsParentRefs(app, route, parent, hosts)
    : [ref(parent.httpListener, route.prop === 'route' ? 'host' : `${route.prop}.host`, 'give the Gateway an HTTP listener, or give the app TLS')]);
  const parentRefs = refsFor(served);
  if (tls && !route.httpsRedirect && parent.httpListener !== undefined) {
    parentRefs.push(ref(parent.httpListener, `${route.prop}.sslRedirect`, ''));
  }
  const type = route.pathType === PathType.EXACT ? HttpRouteSpecRulesMatchesPathType.EXACT : HttpRouteSpecRulesMatchesPathType.PATH_PREFIX;
  const matches: HttpRouteSpecRulesMatches[] = route.paths.map(value => ({ path: { type, value } }));
  const timeouts = ruleTimeouts(app, route, parent);
  const main = new StrictApiObject(app, `${route.idPrefix}HttpRoute`, manifestOf(HttpRoute, {
    metadata: {
      name: route.name, namespace: route.namespace, labels: route.labels,
      ...annotationsOrNothing(sortKeys(mergeAnnotations(app, route, {}))),
    },
    spec: {
      parentRefs,
      hostnames: [...served],
      rules: [{
        matches,
        backendRefs: [{ name: route.serviceName, port: route.servicePort }],
        ...(timeouts ? { timeouts } : {}),
      }],
    },
  }));
  const hostRedirect = route.redirectOtherHosts ? new StrictApiObject(app, `${route.idPrefix}HostRedirect`, manifestOf(HttpRoute, {
    metadata: { name: `${route.name}-host-redirect`, namespace: route.namespace, labels: route.labels },
    spec: {
      parentRefs: refsFor(route.hosts.slice(1)),
      hostnames: route.hosts.slice(1),
      rules: [{
        matches,
        filters: [{
          type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
          requestRedirect: {
            hostname: route.host,
            ...(tls ? { scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS } : {}),
            statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
          },
        }],
      }],
    },
  })) : undefined;
  if (!tls || !route.httpsRedirect) {
    return { route: main, hostRedirect };
  }
  const redirect = new StrictApiObject(app, `${route.idPrefix}HttpsRedirect`, manifestOf(HttpRoute, {
    metadata: { name: `${route.name}-https-redirect`, namespace: route.namespace, labels: route.labels },
    spec: {
      parentRefs: [ref(parent.httpListener, `${route.prop}.sslRedirect`, 'set sslRedirect to false, or give the Gateway an HTTP listener')],
      hostnames: [...route.hosts],
      rules: [{
        matches,
        // 301 is Core support in Gateway API; 308 is Extended and not in releases before v1.3.
        filters: [{
          type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
          requestRedirect: {
            scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
            statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
          },
        }],
      }],
    },
  }));
  return { route: main, redirect, hostRedirect };
}

/** The reference to one listener of the parent; fails when the parent has none for `prop`. */
export function parentRef(app: Construct, route: RouteSpec, parent: RouteParent, sectionName: string | undefined, prop: string, fix: string): HttpRouteSpecParentRefs {
  if (sectionName === undefined) {
    throw propError(app, prop, route.host, `needs a listener that ${parent.description} does not have`, fix);
  }
  return { name: parent.name, namespace: parent.namespace, sectionName };
}

/** The references to the HTTPS listeners of `hosts` (hosts of `route`), each listener once. */
export function httpsParentRefs(app: Construct, route: RouteSpec, parent: RouteParent, hosts: readonly string[]): HttpRouteSpecParentRefs[] {
  return [...new Set(hosts.map(h => parent.httpsListeners?.[route.hosts.indexOf(h)]))]
    .map(l => parentRef(app, route, parent, l, `${route.prop}.tls`, 'give the Gateway an HTTPS listener for the host'));
}

/**
 * The rule's `timeouts`: the ones given, and `request: 0s` for long-lived connections (the
 * portable value, for an implementation that is not known too). Behind an implementation that
 * ignores them, a timeout is an error, and long-lived connections are one only where a default
 * of its own would cut them.
 */
function ruleTimeouts(app: Construct, route: RouteSpec, parent: RouteParent): { request?: string; backendRequest?: string } | undefined {
  const { requestTimeoutSeconds: request, backendRequestTimeoutSeconds: backendRequest } = route.timeouts;
  const implementation = parent.implementation;
  if (implementation !== undefined && !implementation.timeouts.honoured) {
    const { instead, cutsLongLived } = implementation.timeouts;
    for (const [prop, value] of [['requestTimeoutSeconds', request], ['backendRequestTimeoutSeconds', backendRequest]] as const) {
      if (value !== undefined) {
        throw propError(app, `${route.prop}.${prop}`, value, `would be ignored: ${implementation.name}, which runs ${parent.description}, does not implement HTTPRoute timeouts`,
          instead ?? 'drop it');
      }
    }
    if (route.longLivedConnections && cutsLongLived !== undefined) {
      throw propError(app, `${route.prop}.longLivedConnections`, true,
        `cannot be written on an HTTPRoute for ${implementation.name}, which runs ${parent.description}: it ignores HTTPRoute timeouts, and ${cutsLongLived}`,
        instead ?? 'lift it in the implementation\'s configuration, and drop the option');
    }
    return undefined;
  }
  const timeouts = {
    ...(route.longLivedConnections ? { request: '0s' } : {}),
    ...(request !== undefined ? { request: `${request}s` } : {}),
    ...(backendRequest !== undefined ? { backendRequest: `${backendRequest}s` } : {}),
  };
  return Object.keys(timeouts).length > 0 ? timeouts : undefined;
}

/**
 * A ReferenceGrant in the Secret's namespace that lets the Gateway read that one Secret. As
 * `v1beta1`, which every supported Gateway API release serves (v1.2 serves no `v1` of it).
 */
export function renderSecretGrant(app: Construct, route: RouteSpec, secretName: string, gateway: { name: string; namespace: string }): ApiObject {
  return new StrictApiObject(app, `${route.idPrefix}ReferenceGrant`, manifestOf(ReferenceGrantV1Beta1, {
    metadata: { name: `${route.name}-tls-from-gateway`, namespace: route.namespace, labels: route.labels },
    spec: {
      from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: gateway.namespace }],
      to: [{ group: '', kind: 'Secret', name: secretName }],
    },
  }));
}

function annotationsOrNothing(annotations: Record<string, string>): { annotations?: Record<string, string> } {
  return Object.keys(annotations).length > 0 ? { annotations } : {};
}

/**
 * Synth-time checks of a rendered HTTPRoute (and its redirect): hostnames are the app's host,
 * every parent is the app's Gateway, every backend is a port of the app's Service. Returns the
 * listener names the routes attach to, for the Gateway to check against its own.
 */
export function httpRouteErrors(check: RouteCheck, gateway: { name: string; namespace: string; description: string }): string[] {
  const errors: string[] = [];
  const routes = [
    [check.route.kind ?? 'HTTPRoute', check.route, check.routeHosts], ['redirect HTTPRoute', check.redirect, check.hosts],
    ['host redirect HTTPRoute', check.hostRedirect, check.hosts.slice(1)],
  ] as const;
  for (const [what, route, expected] of routes) {
    if (route === undefined) {
      continue;
    }
    const hostnames: string[] = route.spec.hostnames ?? [];
    if (hostnames.length !== expected.length || !expected.every(h => hostnames.includes(h))) {
      errors.push(`${what} "${route.metadata.name}" has hostnames ${JSON.stringify(hostnames)}, but the app's ${expected.length > 1 ? `hosts are ${JSON.stringify(expected)}` : `host is "${expected[0]}"`}; route exactly the app's hosts`);
    }
    for (const parent of route.spec.parentRefs ?? []) {
      if (parent.name !== gateway.name || (parent.namespace ?? route.metadata.namespace) !== gateway.namespace
        || (parent.kind ?? 'Gateway') !== 'Gateway' || (parent.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io') {
        errors.push(`${what} "${route.metadata.name}" attaches to ${parent.kind ?? 'Gateway'} ${parent.namespace ?? route.metadata.namespace}/${parent.name}, but the app is served through ${gateway.description}; attach to the app's entry point`);
      }
    }
    for (const rule of route.spec.rules ?? []) {
      for (const backend of rule.backendRefs ?? []) {
        const isService = (backend.kind ?? 'Service') === 'Service' && (backend.group ?? '') === '';
        if (!isService || backend.name !== check.service.name || !check.service.ports.some(p => p.port === backend.port)) {
          errors.push(`${what} "${route.metadata.name}" sends traffic to ${backend.kind ?? 'Service'} "${backend.name}" port ${backend.port}, but the app's Service is "${check.service.name}" with ports ${portList(check)}; point the backend at the app's Service`);
        }
      }
    }
  }
  return errors;
}

/** The listener names `route`'s parentRefs attach to. */
export function sectionNames(route: any): string[] {
  return (route?.spec?.parentRefs ?? []).map((p: any) => p.sectionName).filter((n: unknown) => n !== undefined);
}
