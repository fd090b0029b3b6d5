// The package's public API, by area (each folder's README line says what lives there).
export { WebStackError } from './core/errors';
export * from './core/image-reference';

export * from './entry-points/entry-point';
export * from './entry-points/ingress-vip';
export * from './entry-points/ingress-controller';
export * from './entry-points/gateway';
export * from './entry-points/gateway-implementation';
export * from './entry-points/existing-gateway';
export * from './entry-points/route';
export * from './entry-points/tls-certificate';
export * from './entry-points/external-dns';

export * from './dns/dns-record';
export * from './dns/dns-provider';
export * from './dns/dns-zone';
export * from './dns/route53-hosted-zone';

export * from './app/web-app';
export * from './app/pod';
export * from './app/probe';
export * from './app/env-value';
export * from './app/containers';
export * from './app/config-files';
export * from './app/service-account';
export * from './app/rbac';
export * from './app/metrics';
export * from './app/scaling';
export * from './app/stateful-set';
export * from './app/scheduling';
export * from './app/volumes';
export * from './app/release';
export * from './app/network-policy';
export * from './app/ports';
export * from './app/routes';
export * from './app/companions';
export * from './app/image-tag';

export * from './synth/web-stack-app';
export * from './synth/apply-set';
export * from './synth/outputs';
export * from './synth/testing';
