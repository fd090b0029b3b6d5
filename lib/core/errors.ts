import { IConstruct } from 'constructs';

/**
 * The one error type the library throws for bad input.
 *
 * Its message always reads `<construct path>: '<prop>' (<value>) <problem>; <fix>`,
 * so a pipeline log tells the user where, what and how to fix it in one line.
 */
export class WebStackError extends Error {
  public constructor(
    /** Path of the construct that received the bad prop. */
    public readonly constructPath: string,
    /** Dotted name of the prop, as the user wrote it (`autoscaling.minReplicas`). */
    public readonly prop: string,
    /** The value received. */
    public readonly value: unknown,
    problem: string,
    fix: string,
  ) {
    super(`${constructPath}: '${prop}' (${formatValue(value)}) ${problem}; ${fix}`);
    this.name = 'WebStackError';
  }
}

/** Builds a `WebStackError` for a prop of `scope`. */
export function propError(scope: IConstruct, prop: string, value: unknown, problem: string, fix: string): WebStackError {
  return new WebStackError(scope.node.path || '<app>', prop, value, problem, fix);
}

/** Where a value was given: a construct, or a factory such as `TlsCertificate.fromSecret()`. */
export type Where = IConstruct | string;

/** `propError` for a value given to a construct or to a factory. */
export function errorAt(where: Where, prop: string, value: unknown, problem: string, fix: string): WebStackError {
  return typeof where === 'string' ? new WebStackError(where, prop, value, problem, fix) : propError(where, prop, value, problem, fix);
}

/** Renders a received value for a message: strings quoted, objects as JSON, cut at 80 characters. */
export function formatValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') {
    text = JSON.stringify(value);
  } else if (value === undefined) {
    text = 'undefined';
  } else if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    text = String(value);
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
