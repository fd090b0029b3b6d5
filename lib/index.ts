export * from './ingress-vip';
export * from './web-app';
export * from './dns-record';
export * from './env-value';
export * from './probe';
export * from './ingress-tls';
export * from './web-stack-app';
export * from './testing';
export { WebStackError } from './_errors';
