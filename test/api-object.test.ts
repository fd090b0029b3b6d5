import { ApiObject, App, Chart, JsonPatch, Lazy, ResolutionContext } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { StrictApiObject } from '../lib/k8s/_api-object';
import { referenceApp } from '../apps/reference';
import { docs, given, IMAGE, kind, webApp } from './_fixtures';

describe('escape-hatch patches on every child', () => {
  test('apply with the Kubernetes field names, after the construct rendered the object', () => {
    const { chart, web } = webApp();
    web.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'web-critical'));
    web.service.addJsonPatch(JsonPatch.replace('/spec/ports/0/port', 8080));
    web.route.addJsonPatch(JsonPatch.remove('/metadata/annotations/nginx.ingress.kubernetes.io~1ssl-redirect'));
    expect(kind(chart, 'Deployment').spec.template.spec.priorityClassName).toBe('web-critical');
    expect(kind(chart, 'Service').spec.ports[0].port).toBe(8080);
    expect(kind(chart, 'Ingress').metadata.annotations).toEqual({});
  });

  const failing: Array<[string, () => JsonPatch, RegExp]> = [
    ['replaces a field the object does not have', () => JsonPatch.replace('/spec/template/spec/priorityClassName', 'x'),
      /^web\/shop\/Deployment: JSON patch 'replace \/spec\/template\/spec\/priorityClassName' on Deployment "shop" targets a field the rendered object does not have; use JsonPatch.add/],
    ['removes a misspelt field', () => JsonPatch.remove('/spec/replica'), /'remove \/spec\/replica' on Deployment "shop" targets a field the rendered object does not have/],
    ['tests a field that is not there', () => JsonPatch.test('/spec/paused', true), /'test \/spec\/paused'/],
    ['adds under a parent that does not exist', () => JsonPatch.add('/spec/template/spec/dnsConfig/options', []),
      /adds under '\/spec\/template\/spec\/dnsConfig', which the rendered object does not have; add the parent first/],
    ['renames the object', () => JsonPatch.replace('/metadata/name', 'other'), /JSON patches on Deployment "shop" change its identity from Deployment shop\/shop \(apps\/v1\) to Deployment shop\/other \(apps\/v1\)/],
    ['moves it to another namespace', () => JsonPatch.replace('/metadata/namespace', 'other'), /change its identity from/],
    ['replaces /metadata as a whole, into another namespace', () => JsonPatch.replace('/metadata', { name: 'shop', namespace: 'payments' }),
      /change its identity from Deployment shop\/shop \(apps\/v1\) to Deployment payments\/shop/],
    ['copies from nowhere', () => JsonPatch.copy('/spec/nothing', '/spec/paused'), /copies or moves from '\/spec\/nothing'/],
  ];

  test.each(failing)('fail loudly at synth when a patch %s', (_, patch, message) => {
    const { chart, web } = webApp();
    web.workload.addJsonPatch(patch());
    expect(() => docs(chart)).toThrow(message);
  });
});

describe('rendering without cdk8s\'s resolver, where nothing needs resolving', () => {
  // The same bytes as cdk8s's own ApiObject.toJson(): key order included.
  const same = (object: any) => expect(JSON.stringify(object.toJson())).toBe(JSON.stringify(object._renderThroughCdk8s()));
  const strictObjects = (app: App) => app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && typeof (c as any)._renderThroughCdk8s === 'function');

  test('every object of the examples renders as through cdk8s', () => {
    const app = referenceApp();
    const objects = strictObjects(app);
    expect(objects.length).toBeGreaterThan(40);
    objects.forEach(same);
  });

  test('metadata changed after construction is rendered, by both paths', () => {
    const { web } = webApp();
    web.workload.metadata.addLabel('team', 'web');
    web.workload.metadata.addAnnotation('example.com/owner', 'x');
    web.service.metadata.addFinalizers('example.com/keep');
    web.service.metadata.add('generateName', 'shop-');
    expect(web.workload.toJson().metadata.labels.team).toBe('web');
    expect(web.workload.toJson().metadata.annotations['example.com/owner']).toBe('x');
    expect(web.service.toJson().metadata.finalizers).toEqual(['example.com/keep']);
    [web.workload, web.service].forEach(same);
  });

  test('a field that needs resolving (a Lazy, a class instance) goes through cdk8s', () => {
    const { chart } = given();
    const lazy = new StrictApiObject(chart, 'Lazy', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lazy' }, data: { a: Lazy.any({ produce: () => 'later' }) } });
    const union = new StrictApiObject(chart, 'Union', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'u' }, spec: { ports: [{ port: 80, targetPort: k8s.IntOrString.fromString('http') }] } });
    expect(lazy.toJson().data).toEqual({ a: 'later' });
    // cdk8s's NumberStringUnionResolver, as it renders a union class outside the generated toJson_ functions.
    expect(union.toJson().spec.ports[0].targetPort).toEqual({ value: 'http' });
    [lazy, union].forEach(same);
  });

  test('keys named constructor, null values and empty metadata render as cdk8s renders them', () => {
    const { chart } = given();
    const object = new StrictApiObject(chart, 'Odd', {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'odd', labels: { constructor: 'a', b: 'c' }, annotations: {}, finalizers: [] },
      data: { constructor: 'x', z: 'y', gone: undefined, nothing: null as any, 10: 'ten', 9: 'nine' },
      list: [null, 1, { constructor: { value: 'v' } }],
    });
    expect(Object.keys(object.toJson().data)).toEqual(['9', '10', 'constructor', 'z']);
    same(object);
  });

  test('an app with its own resolvers goes through cdk8s, which applies them', () => {
    const app = new App({ resolvers: [{ resolve: (context: ResolutionContext) => { if (context.value === 'old') context.replaceValue('new'); } }] });
    const object = new StrictApiObject(new Chart(app, 'c'), 'O', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'o' }, data: { a: 'old' } });
    expect(object.toJson().data).toEqual({ a: 'new' });
    same(object);
  });

  test('each rendering is a new object: changing one changes neither the next nor the output', () => {
    const { chart, web } = webApp();
    web.workload.toJson().spec.template.spec.containers[0].image = 'changed';
    (web.workload as any)._renderShared();
    expect(kind(chart, 'Deployment').spec.template.spec.containers[0].image).toBe(IMAGE);
  });
});
