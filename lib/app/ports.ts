/** The transport protocol of a port of the app: `PortOptions.protocol`. */
export enum PortProtocol {
  /** TCP: HTTP, gRPC, SSH, most of what an app serves. */
  TCP = 'TCP',
  /** UDP: DNS, syslog, QUIC. Not through an Ingress or a TCP route. */
  UDP = 'UDP',
}

/**
 * What a port speaks, for the proxies in front of it: the Service port's `appProtocol`, which
 * Gateway API implementations read to pick the protocol to the backend (GEP-1911).
 */
export enum AppProtocol {
  /** HTTP/2 without TLS ("prior knowledge"): what a gRPC server speaks. */
  H2C = 'kubernetes.io/h2c',
  /** WebSocket over plain HTTP. */
  WS = 'kubernetes.io/ws',
  /** WebSocket over TLS. */
  WSS = 'kubernetes.io/wss',
}

/**
 * A port the app's container serves beside its serving port: `WebAppProps.ports`. It is
 * declared once here, and every object that refers to it (the container, the Service, a route,
 * the NetworkPolicy, a probe, the metrics monitor) takes it by its name.
 */
export interface PortOptions {
  /** Its name (an IANA service name: at most 15 lowercase letters, digits and '-'), unique in the pod and the Service. */
  readonly name: string;
  /** The container port. */
  readonly port: number;
  /**
   * The port of the app's Service that forwards to it.
   * @default - the container port
   */
  readonly servicePort?: number;
  /**
   * TCP or UDP.
   * @default PortProtocol.TCP
   */
  readonly protocol?: PortProtocol;
  /**
   * What it speaks, for the proxies that route to it (`appProtocol` of the Service port).
   * @default - not written: HTTP/1.1, or raw TCP for a TCP route
   */
  readonly appProtocol?: AppProtocol;
}
