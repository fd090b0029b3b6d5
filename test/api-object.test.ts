import { JsonPatch } from 'cdk8s';
import { docs, kind, webApp } from './_fixtures';

describe('escape-hatch patches on every child', () => {
  test('apply with the Kubernetes field names, after the construct rendered the object', () => {
    const { chart, web } = webApp();
    web.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'web-critical'));
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
    web.deployment.addJsonPatch(patch());
    expect(() => docs(chart)).toThrow(message);
  });
});
