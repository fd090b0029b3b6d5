import { isIPv4, isIPv6 } from 'net';
import { errorAt, Where } from './errors';
import type { ImageReference } from './image-reference';

export type { ImageReference };

// Kubernetes name rules (k8s.io/apimachinery/pkg/util/validation).
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Fails unless `value` is a DNS-1123 label: the rule for most object names and namespaces. */
export function checkDns1123Label(scope: Where, prop: string, value: unknown): string {
  const text = checkString(scope, prop, value);
  if (text.length > 63 || !DNS1123_LABEL.test(text)) {
    throw errorAt(scope, prop, value,
      'is not a valid DNS-1123 label',
      'use at most 63 characters of lower-case a-z, 0-9 and \'-\', starting and ending with a letter or digit');
  }
  return text;
}

/** Fails unless `value` is a DNS-1035 label: the rule for Service names. */
export function checkDns1035Label(scope: Where, prop: string, value: unknown): string {
  const text = checkString(scope, prop, value);
  if (text.length > 63 || !DNS1035_LABEL.test(text)) {
    throw errorAt(scope, prop, value,
      'is not a valid DNS-1035 label (it also names the Service)',
      'use at most 63 characters of lower-case a-z, 0-9 and \'-\', starting with a letter and ending with a letter or digit');
  }
  return text;
}

/** The label kubectl gives every member of an ApplySet, and refuses in its input. */
const APPLY_SET_MEMBER_LABEL = 'applyset.kubernetes.io/part-of';

/**
 * Fails unless `labels` may be written on an object the library emits: valid, and without the
 * label kubectl sets on every member of the ApplySet (it refuses the whole set if input has it).
 */
export function checkObjectLabels(scope: Where, prop: string, labels: Record<string, string>): Record<string, string> {
  checkLabels(scope, prop, labels);
  if (Object.hasOwn(labels, APPLY_SET_MEMBER_LABEL)) {
    throw errorAt(scope, `${prop}["${APPLY_SET_MEMBER_LABEL}"]`, labels[APPLY_SET_MEMBER_LABEL],
      'is the label kubectl gives every member of the ApplySet, and kubectl refuses the whole set when its input carries it',
      'leave it out: kubectl writes it at apply');
  }
  return labels;
}

/** Fails unless every key and value of `labels` is a valid Kubernetes label. */
export function checkLabels(scope: Where, prop: string, labels: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(labels)) {
    checkLabelKey(scope, `${prop}`, key);
    checkLabelValue(scope, `${prop}["${key}"]`, value);
  }
  return labels;
}

/** Fails unless `key` is a valid label or annotation key (`[prefix/]name`). */
export function checkLabelKey(scope: Where, prop: string, key: string): string {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixOk = prefix === undefined || isDnsSubdomain(prefix);
  if (!prefixOk || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    throw errorAt(scope, prop, key,
      'is not a valid label or annotation key',
      'use an optional DNS subdomain prefix and \'/\', then at most 63 characters of a-z, A-Z, 0-9, \'-\', \'_\' and \'.\'');
  }
  return key;
}

/** Kubernetes's limit on the annotations of one object: keys and values together. */
const ANNOTATIONS_LIMIT = 256 * 1024;

/**
 * Fails unless `annotations` is a map of valid keys to string values, at most 256 KiB in all as
 * the API server counts them.
 */
export function checkAnnotations(scope: Where, prop: string, annotations: unknown): Record<string, string> {
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) {
    throw errorAt(scope, prop, annotations, 'is not a map of annotations', 'give an object of string keys and string values');
  }
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    checkLabelKey(scope, prop, key);
    if (typeof value !== 'string') {
      throw errorAt(scope, `${prop}["${key}"]`, value, 'is not a string', `write the value as a string, e.g. '${String(value)}'`);
    }
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (size > ANNOTATIONS_LIMIT) {
    throw errorAt(scope, prop, `${size} bytes`, `is over the ${ANNOTATIONS_LIMIT} bytes the API server allows for the annotations of one object`,
      'keep large data in a ConfigMap and reference it');
  }
  return { ...(annotations as Record<string, string>) };
}

/** Fails unless `value` is a valid label value (63 characters, alphanumeric at both ends). */
export function checkLabelValue(scope: Where, prop: string, value: unknown): string {
  const text = checkString(scope, prop, value, true);
  if (text.length > 63 || !LABEL_VALUE.test(text)) {
    throw errorAt(scope, prop, value,
      'is not a valid label value',
      'use at most 63 characters of a-z, A-Z, 0-9, \'-\', \'_\' and \'.\', starting and ending with a letter or digit');
  }
  return text;
}

/**
 * True when `value` is a DNS-1123 subdomain as Kubernetes checks it (IsDNS1123Subdomain): 253
 * characters at most, dot-separated parts of a-z, 0-9 and '-'. Unlike a DNS host name, a part may
 * be longer than 63 characters (a Secret named after a 60-character app plus `-tls` is valid).
 */
export function isDnsSubdomain(value: string): boolean {
  return value.length > 0 && value.length <= 253 && value.split('.').every(l => DNS1123_LABEL.test(l));
}

export interface HostNameOptions {
  /** Allow a leading `*.` label. */
  readonly wildcard?: boolean;
}

/**
 * Fails unless `value` is a fully qualified host name (RFC 1123): lower case, at most 253
 * characters, labels of at most 63, at least two labels, not an IP address.
 */
export function checkHostName(scope: Where, prop: string, value: unknown, options: HostNameOptions = {}): string {
  const text = checkString(scope, prop, value);
  if (isIPv4(text) || isIPv6Address(text)) {
    throw errorAt(scope, prop, value, 'is an IP address, not a host name',
      'give the DNS name clients use (e.g. \'app.example.com\'); the address comes from the IngressVip');
  }
  if (text.length > 253) {
    throw errorAt(scope, prop, value, `is ${text.length} characters long, over the 253 a DNS name may have`,
      'use a shorter name');
  }
  const labels = text.split('.');
  const body = options.wildcard && labels[0] === '*' ? labels.slice(1) : labels;
  if (labels[0] === '*' && !options.wildcard) {
    throw errorAt(scope, prop, value, 'is a wildcard name, which is not allowed here',
      'give one concrete host name');
  }
  const bad = body.find(l => l.length > 63 || !DNS1123_LABEL.test(l));
  if (bad !== undefined) {
    const why = bad.length > 63 ? `has a label of ${bad.length} characters (63 at most)`
      : bad === '' ? 'has an empty label' : `has the label "${bad}", which is not valid in a host name`;
    throw errorAt(scope, prop, value, why,
      'use lower-case labels of a-z, 0-9 and \'-\' (not at either end), 63 characters each, joined by dots');
  }
  if (body.length < 2) {
    throw errorAt(scope, prop, value, 'is not a fully qualified name', 'add the domain, e.g. \'app.example.com\'');
  }
  return text;
}

/** The IP family of a valid address, `undefined` for anything else. */
export function ipFamily(value: string): 4 | 6 | undefined {
  return isIPv4(value) ? 4 : isIPv6Address(value) ? 6 : undefined;
}

/**
 * `net.isIPv6`, asked only of text with a colon, which every IPv6 address has: its first call
 * builds a large pattern (4 ms), which host names never need.
 */
function isIPv6Address(text: string): boolean {
  return text.includes(':') && isIPv6(text);
}

/** Fails unless `value` is an IPv4 or IPv6 address; returns its family. */
export function checkIp(scope: Where, prop: string, value: unknown): 4 | 6 {
  const text = checkString(scope, prop, value);
  const family = ipFamily(text);
  if (family === undefined || text.includes('%')) {
    throw errorAt(scope, prop, value, `is not an IPv4 or IPv6 address${text.includes('%') ? ' a cluster can use (a zone id names a link of one host)' : ''}`,
      'give one address such as \'192.0.2.10\' or \'2001:db8::10\', without a prefix length or zone id');
  }
  const mapped = family === 6 ? ipv4Mapped(text) : undefined;
  if (mapped !== undefined) {
    throw errorAt(scope, prop, value, 'is an IPv4-mapped IPv6 address, which Kubernetes and DNS treat as IPv6 while clients reach it over IPv4',
      `give the IPv4 address itself: '${mapped}'`);
  }
  return family;
}

/** Fails unless `value` is a CIDR block with no host bits set (`10.0.0.0/8`, `2001:db8::/32`). */
export function checkCidr(scope: Where, prop: string, value: unknown): string {
  const text = checkString(scope, prop, value);
  const [address, prefix, ...rest] = text.split('/');
  const family = address.includes('%') ? undefined : ipFamily(address);
  const bits = family === 4 ? 32 : 128;
  const length = /^\d{1,3}$/.test(prefix ?? '') ? Number(prefix) : NaN;
  if (rest.length > 0 || family === undefined || !(length >= 0 && length <= bits)) {
    throw errorAt(scope, prop, value, 'is not a CIDR block',
      'write an address and a prefix length, e.g. \'203.0.113.0/24\' or \'2001:db8::/48\'');
  }
  const network = networkAddress(address, family, length);
  if (network !== undefined) {
    throw errorAt(scope, prop, value, 'has host bits set, which the API server refuses',
      `write the network address: '${network}/${length}'`);
  }
  return text;
}

/** The dotted IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`), else `undefined`. */
function ipv4Mapped(text: string): string | undefined {
  const words = ipv6Words(text);
  if (!words.slice(0, 5).every(w => w === 0) || words[5] !== 0xffff) {
    return undefined;
  }
  return [words[6] >> 8, words[6] & 255, words[7] >> 8, words[7] & 255].join('.');
}

/** The eight 16-bit words of a valid IPv6 address. */
function ipv6Words(text: string): number[] {
  let body = text.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    body = `${body.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = body.includes('::') ? body.split('::') : [body, undefined];
  const part = (p: string | undefined) => (p ? p.split(':').map(w => parseInt(w, 16)) : []);
  const front = part(head);
  const back = part(tail);
  return [...front, ...new Array(8 - front.length - back.length).fill(0), ...back];
}

/** The network address of `address/length` when it differs from `address` (host bits set), else `undefined`. */
function networkAddress(address: string, family: 4 | 6, length: number): string | undefined {
  const value = addressValue(address, family);
  if (family === 4) {
    const masked = value & (((1n << 32n) - 1n) ^ ((1n << BigInt(32 - length)) - 1n));
    return masked === value ? undefined : [24n, 16n, 8n, 0n].map(shift => String((masked >> shift) & 255n)).join('.');
  }
  const masked = value & (((1n << 128n) - 1n) ^ ((1n << BigInt(128 - length)) - 1n));
  if (masked === value) {
    return undefined;
  }
  const words = Array.from({ length: 8 }, (_, i) => Number((masked >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return words.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

/** An address as a number, IPv4 or IPv6. */
function addressValue(address: string, family: 4 | 6): bigint {
  return family === 4
    ? address.split('.').reduce((n, octet) => (n << 8n) | BigInt(octet), 0n)
    : ipv6Words(address).reduce((n, word) => (n << 16n) | BigInt(word), 0n);
}

/**
 * Whether the valid CIDR block `inner` lies inside the valid block `outer`, of the same family
 * (`strict`: and is smaller, as a NetworkPolicy's `except` must be).
 */
export function cidrContains(outer: string, inner: string, strict = false): boolean {
  const [a, aLength] = outer.split('/');
  const [b, bLength] = inner.split('/');
  const family = ipFamily(a);
  if (family === undefined || ipFamily(b) !== family || Number(bLength) < Number(aLength) || (strict && bLength === aLength)) {
    return false;
  }
  const shift = BigInt((family === 4 ? 32 : 128) - Number(aLength));
  return addressValue(a, family) >> shift === addressValue(b, family) >> shift;
}

/** Fails unless `value` is an integer within `[min, max]`. */
export function checkInt(scope: Where, prop: string, value: unknown, min: number, max: number, fix?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw errorAt(scope, prop, value, `must be a whole number from ${min} to ${max}`,
      fix ?? `give an integer between ${min} and ${max}`);
  }
  return value + 0; // -0 becomes 0: YAML would write '-0'
}

/** Fails unless `value` is a DNS-1123 subdomain: the rule for most object names. */
export function checkDns1123Subdomain(scope: Where, prop: string, value: unknown): string {
  const text = checkString(scope, prop, value);
  if (!isDnsSubdomain(text)) {
    throw errorAt(scope, prop, value, 'is not a valid object name (DNS-1123 subdomain)',
      'use at most 253 characters of lower-case a-z, 0-9, \'-\' and \'.\', starting and ending with a letter or digit');
  }
  return text;
}

/** Fails unless `value` is a TCP port number. */
export function checkPort(scope: Where, prop: string, value: unknown): number {
  return checkInt(scope, prop, value, 1, 65535, 'give a port from 1 to 65535');
}

/** Fails unless `value` is an IANA_SVC_NAME: the rule for named ports. */
export function checkPortName(scope: Where, prop: string, value: unknown): string {
  const text = checkString(scope, prop, value);
  if (text.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(text) || !/[a-z]/.test(text) || text.includes('--')) {
    throw errorAt(scope, prop, value, 'is not a valid port name (IANA service name)',
      'use at most 15 characters of lower-case a-z, 0-9 and single \'-\', with at least one letter, e.g. \'http\'');
  }
  return text;
}

/** Fails unless `value` is a C identifier, the portable rule for environment variable names. */
export function checkEnvName(scope: Where, prop: string, value: unknown): string {
  const text = checkString(scope, prop, value);
  if (!C_IDENTIFIER.test(text)) {
    throw errorAt(scope, prop, value, 'is not a valid environment variable name',
      'use letters, digits and \'_\', not starting with a digit, e.g. \'LOG_LEVEL\'');
  }
  return text;
}

/** Fails unless `value` is an absolute HTTP path. */
export function checkHttpPath(scope: Where, prop: string, value: unknown): string {
  const text = checkString(scope, prop, value);
  if (!text.startsWith('/') || /[\s?#]/.test(text)) {
    throw errorAt(scope, prop, value, 'is not an absolute HTTP path',
      'start it with \'/\' and leave out spaces, query and fragment, e.g. \'/healthz\'');
  }
  return text;
}

/**
 * Fails unless `value` is a path an Ingress (Prefix, Exact) and an HTTPRoute (PathPrefix, Exact)
 * both accept: the API server and the Gateway API CEL rules refuse `//`, `/./`, `/../`, an
 * encoded `/`, and a trailing `/.` or `/..`.
 */
export function checkRoutePath(scope: Where, prop: string, value: unknown): string {
  const text = checkHttpPath(scope, prop, value);
  const sequence = ['//', '/./', '/../', '%2f', '%2F'].find(s => text.includes(s))
    ?? ['/..', '/.'].find(s => text.endsWith(s));
  if (sequence !== undefined) {
    throw errorAt(scope, prop, value, `contains '${sequence}', which the API server refuses in an Ingress or HTTPRoute path`,
      'write the path in its normal form, e.g. \'/api/v1\'');
  }
  return text;
}

const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
const SUFFIX: Record<string, number> = {
  '': 1, 'n': 1e-9, 'u': 1e-6, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
};

/** The value of a Kubernetes quantity in base units, or NaN when it is not one. */
export function quantityValue(text: string): number {
  const match = QUANTITY.exec(text);
  return match ? Number(match[1]) * SUFFIX[match[3] ?? ''] : NaN;
}

/** Parses a positive Kubernetes quantity (`250m`, `1.5`, `512Mi`) to its value in base units. */
export function checkQuantity(scope: Where, prop: string, value: unknown, example: string): number {
  const text = checkString(scope, prop, value);
  const match = QUANTITY.exec(text);
  const amount = match ? Number(match[1]) * SUFFIX[match[3] ?? ''] : NaN;
  if (!match || !(amount > 0)) {
    throw errorAt(scope, prop, value, 'is not a positive Kubernetes quantity',
      `write a number with an optional unit suffix, e.g. '${example}'`);
  }
  return amount;
}


const REGISTRY = /^(localhost|[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+|[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*:\d+|\[[0-9a-fA-F:]+\](:\d+)?)$/;
const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;
export const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * Fails unless `value` is a pinned image reference `registry/path[:tag][@sha256:digest]`:
 * a registry host is required, and a missing tag or `latest` is refused unless a digest pins it.
 */
export function checkImage(scope: Where, prop: string, value: unknown): ImageReference {
  const text = checkString(scope, prop, value);
  const example = 'e.g. \'registry.example.com/team/app:1.4.2\' or \'...@sha256:<64 hex digits>\'';
  const { registry, repository: path, tag, digest } = parseImage(text);
  const name = registry === '' ? path : `${registry}/${path}`;

  if (digest !== undefined && !DIGEST.test(digest)) {
    throw errorAt(scope, prop, value, `has the digest "${digest}", which is not 'sha256:' and 64 lower-case hex digits`,
      `copy the digest from the registry, ${example}`);
  }
  if (!REGISTRY.test(registry)) {
    throw errorAt(scope, prop, value, 'does not start with a registry host',
      `write the full reference with the registry, ${example}`);
  }
  if (path === '' || !path.split('/').every(c => PATH_COMPONENT.test(c)) || name.length > 255) {
    throw errorAt(scope, prop, value, 'has an invalid repository path',
      `use lower-case path components of a-z, 0-9 and single separators ('.', '_', '-'), ${example}`);
  }
  if (tag !== undefined && !TAG.test(tag)) {
    throw errorAt(scope, prop, value, `has the tag "${tag}", which is not a valid tag`,
      `use at most 128 characters of letters, digits, '_', '.' and '-', ${example}`);
  }
  if (digest === undefined && (tag === undefined || tag === 'latest')) {
    throw errorAt(scope, prop, value,
      tag === undefined ? 'has no tag, so every pull may run different code' : 'uses the moving tag \'latest\'',
      `pin a version tag or a digest, ${example}`);
  }
  return { reference: text, registry, repository: path, tag, digest };
}

/** The parts of an image reference `registry/path[:tag][@digest]`, unchecked: `checkImage` says whether they are valid. */
export function parseImage(text: string): ImageReference {
  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  const named = at >= 0 ? text.slice(0, at) : text;
  const slash = named.indexOf('/');
  const colon = named.lastIndexOf(':');
  const tag = colon > named.lastIndexOf('/') ? named.slice(colon + 1) : undefined;
  const name = tag !== undefined ? named.slice(0, colon) : named;
  return { reference: text, registry: slash >= 0 ? name.slice(0, slash) : '', repository: slash >= 0 ? name.slice(slash + 1) : name, tag, digest };
}

function checkString(scope: Where, prop: string, value: unknown, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0)) {
    throw errorAt(scope, prop, value, allowEmpty ? 'must be a string' : 'must be a non-empty string',
      'give a text value');
  }
  return value;
}
