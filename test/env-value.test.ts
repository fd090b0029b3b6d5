import { ContainerResource, EnvValue, PodField } from '../lib';
import { docs, errorOf, kind, webApp } from './_fixtures';

const SIDECAR = { name: 'proxy', image: 'registry.example.com/team/proxy:2.0.1' };

/** The env of the app's container, for `env`. */
function envOf(env: Record<string, EnvValue>): any[] {
  const { chart } = webApp({ env });
  return kind(chart, 'Deployment').spec.template.spec.containers[0].env;
}

describe('EnvValue from the pod and its containers', () => {
  test('every PodField is a fieldRef with the apiVersion the API server would default, written', () => {
    // Given a variable per field
    const env = Object.fromEntries(Object.entries(PodField).map(([key, field]) => [`POD_${key}`, EnvValue.fromPodField(field)]));
    // Then each reads its field, with apiVersion v1 (the API server adds it when it is missing, so the manifest would not read back as written)
    expect(envOf(env)).toEqual(Object.entries(PodField).map(([key, fieldPath]) => ({ name: `POD_${key}`, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } })));
  });

  test('the PodField members are the paths the API server accepts for env', () => {
    expect(Object.values(PodField).sort()).toEqual([
      'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
      'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
    ]);
  });

  test('one pod label or annotation by key', () => {
    expect(envOf({
      VERSION: EnvValue.fromPodLabel('app.kubernetes.io/version'),
      REVISION: EnvValue.fromPodAnnotation('example.com/revision'),
    })).toEqual([
      { name: 'VERSION', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels[\'app.kubernetes.io/version\']' } } },
      { name: 'REVISION', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.annotations[\'example.com/revision\']' } } },
    ]);
  });

  test('a resource of the container, with the divisor written ("1" when not given: the API server reads an unset one back as "0")', () => {
    expect(envOf({
      CPUS: EnvValue.fromResource(ContainerResource.LIMITS_CPU),
      MILLICORES: EnvValue.fromResource(ContainerResource.REQUESTS_CPU, { divisor: '1m' }),
      GOMEMLIMIT: EnvValue.fromResource(ContainerResource.LIMITS_MEMORY),
      MEMORY_MIB: EnvValue.fromResource(ContainerResource.REQUESTS_MEMORY, { divisor: '1Mi' }),
      SCRATCH_GB: EnvValue.fromResource(ContainerResource.LIMITS_EPHEMERAL_STORAGE, { divisor: '1G' }),
      SCRATCH: EnvValue.fromResource(ContainerResource.REQUESTS_EPHEMERAL_STORAGE),
    })).toEqual([
      { name: 'CPUS', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1' } } },
      { name: 'MILLICORES', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
      { name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1' } } },
      { name: 'MEMORY_MIB', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } } },
      { name: 'SCRATCH_GB', valueFrom: { resourceFieldRef: { resource: 'limits.ephemeral-storage', divisor: '1G' } } },
      { name: 'SCRATCH', valueFrom: { resourceFieldRef: { resource: 'requests.ephemeral-storage', divisor: '1' } } },
    ]);
  });

  test('a resource of another container of the pod, by name', () => {
    // Given the app's variable reading the sidecar's memory limit, and the sidecar's reading the app's CPU limit
    const { chart } = webApp({
      env: { PROXY_MEMORY: EnvValue.fromResource(ContainerResource.LIMITS_MEMORY, { container: 'proxy', divisor: '1Mi' }) },
      sidecars: [{ ...SIDECAR, env: { APP_CPUS: EnvValue.fromResource(ContainerResource.LIMITS_CPU, { container: 'shop' }) } }],
    });
    const pod = kind(chart, 'Deployment').spec.template.spec;
    // Then each names the container it reads
    expect(pod.containers[0].env).toEqual([
      { name: 'PROXY_MEMORY', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi', containerName: 'proxy' } } },
    ]);
    expect(pod.initContainers[0].env).toContainEqual(
      { name: 'APP_CPUS', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1', containerName: 'shop' } } });
  });

  test('fails at synth if the container named is not in the pod', () => {
    const { chart } = webApp({ env: { N: EnvValue.fromResource(ContainerResource.LIMITS_CPU, { container: 'proxy' }) } });
    expect(() => docs(chart)).toThrow('Deployment "shop": container "shop" sets env "N" from the resources of container "proxy", which the pod does not have; '
      + 'name one of "shop", or leave \'container\' out for the container\'s own');
  });

  test('fails at synth if the app\'s variable names a container that a worker\'s pod lacks', () => {
    // The app's variables go to its workers too, whose pods have other containers.
    const { chart } = webApp({
      env: { N: EnvValue.fromResource(ContainerResource.LIMITS_CPU, { container: 'shop' }) },
      workers: [{ name: 'orders' }],
    });
    expect(() => docs(chart)).toThrow(/Deployment "shop-orders": container "shop-orders" sets env "N" from the resources of container "shop", which the pod does not have/);
  });

  test.each([
    ['a field that is not a PodField', () => EnvValue.fromPodField('metadata.labels' as PodField),
      'EnvValue.fromPodField(): \'field\' ("metadata.labels") is not a member of PodField; use PodField.NAME (\'metadata.name\'), PodField.NAMESPACE (\'metadata.namespace\'), PodField.UID (\'metadata.uid\'), '
      + 'PodField.NODE_NAME (\'spec.nodeName\'), PodField.SERVICE_ACCOUNT (\'spec.serviceAccountName\'), PodField.HOST_IP (\'status.hostIP\'), PodField.HOST_IPS (\'status.hostIPs\'), PodField.POD_IP (\'status.podIP\'), PodField.POD_IPS (\'status.podIPs\')'],
    ['the enum key instead of its value', () => EnvValue.fromPodField('NAME' as PodField), /^EnvValue.fromPodField\(\): 'field' \("NAME"\) is not a member of PodField/],
    ['no field', () => (EnvValue.fromPodField as any)(), /^EnvValue.fromPodField\(\): 'field' \(null\) is not a member of PodField/],
    ['a label key with a space', () => EnvValue.fromPodLabel('team name'),
      /^EnvValue.fromPodLabel\(\): 'key' \("team name"\) is not a valid label or annotation key; use an optional DNS subdomain prefix/],
    ['a label key with a quote', () => EnvValue.fromPodLabel('a\']'), /^EnvValue.fromPodLabel\(\): 'key' \("a'\]"\) is not a valid label or annotation key/],
    ['no label key', () => (EnvValue.fromPodLabel as any)(), /^EnvValue.fromPodLabel\(\): 'key' \(null\) is not a string/],
    ['an annotation key that is not a string', () => EnvValue.fromPodAnnotation(7 as any), /^EnvValue.fromPodAnnotation\(\): 'key' \(7\) is not a string/],
    ['an annotation key with a bad prefix', () => EnvValue.fromPodAnnotation('-x.example.com/a'), /^EnvValue.fromPodAnnotation\(\): 'key' \("-x.example.com\/a"\) is not a valid label or annotation key/],
    ['a resource that is not a ContainerResource', () => EnvValue.fromResource('limits.nvidia.com/gpu' as ContainerResource),
      'EnvValue.fromResource(): \'resource\' ("limits.nvidia.com/gpu") is not a member of ContainerResource; use ContainerResource.REQUESTS_CPU (\'requests.cpu\'), ContainerResource.LIMITS_CPU (\'limits.cpu\'), '
      + 'ContainerResource.REQUESTS_MEMORY (\'requests.memory\'), ContainerResource.LIMITS_MEMORY (\'limits.memory\'), ContainerResource.REQUESTS_EPHEMERAL_STORAGE (\'requests.ephemeral-storage\'), ContainerResource.LIMITS_EPHEMERAL_STORAGE (\'limits.ephemeral-storage\')'],
    ['no resource', () => (EnvValue.fromResource as any)(), /^EnvValue.fromResource\(\): 'resource' \(null\) is not a member of ContainerResource/],
    ['options that are not an object', () => EnvValue.fromResource(ContainerResource.LIMITS_CPU, '1m' as any),
      /^EnvValue.fromResource\(\): 'options' \("1m"\) is not the EnvValueFromResourceOptions object/],
    ['a misspelt option', () => EnvValue.fromResource(ContainerResource.LIMITS_CPU, { divider: '1m' } as any),
      /^EnvValue.fromResource\(\): 'options.divider' \("1m"\) is not a prop of EnvValueFromResourceOptions; did you mean 'options.divisor'\?/],
    ['a divisor that is not a quantity', () => EnvValue.fromResource(ContainerResource.LIMITS_MEMORY, { divisor: 'MiB' }),
      'EnvValue.fromResource(): \'options.divisor\' ("MiB") is not a positive Kubernetes quantity; write a number with an optional unit suffix, e.g. \'1Mi\''],
    ['a divisor of 0', () => EnvValue.fromResource(ContainerResource.LIMITS_MEMORY, { divisor: '0' }), /'options.divisor' \("0"\) is not a positive Kubernetes quantity/],
    ['a memory divisor for CPU', () => EnvValue.fromResource(ContainerResource.LIMITS_CPU, { divisor: '1Mi' }),
      'EnvValue.fromResource(): \'options.divisor\' ("1Mi") is not a divisor the API server accepts for limits.cpu; use one of \'1m\', \'1\''],
    ['a CPU divisor for memory', () => EnvValue.fromResource(ContainerResource.REQUESTS_MEMORY, { divisor: '1m' }),
      /'options.divisor' \("1m"\) is not a divisor the API server accepts for requests.memory; use one of '1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'/],
    ['a divisor the API server would read back in another form', () => EnvValue.fromResource(ContainerResource.LIMITS_CPU, { divisor: '1000m' }),
      /'options.divisor' \("1000m"\) is not a divisor the API server accepts for limits.cpu/],
    ['a divisor that is not a unit', () => EnvValue.fromResource(ContainerResource.LIMITS_EPHEMERAL_STORAGE, { divisor: '2Gi' }),
      /'options.divisor' \("2Gi"\) is not a divisor the API server accepts for limits.ephemeral-storage/],
    ['a container name that is not a DNS label', () => EnvValue.fromResource(ContainerResource.LIMITS_CPU, { container: 'Proxy' }),
      /^EnvValue.fromResource\(\): 'options.container' \("Proxy"\) is not a valid DNS-1123 label/],
    ['a container name that is not a string', () => EnvValue.fromResource(ContainerResource.LIMITS_CPU, { container: 1 as any }),
      /^EnvValue.fromResource\(\): 'options.container' \(1\) is not a string/],
  ])('fails if given %s', (_, build, message) => {
    expect(errorOf(build).message).toMatch(message);
  });
});
