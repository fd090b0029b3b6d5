import { WebStackError } from '../core/errors';
import { TAG } from '../core/_validate';

/** Options of `imageTagFromEnv`. */
export interface ImageTagFromEnvOptions {
  /**
   * The tag when the variable is not set: a local synth, or a pipeline that has not built.
   * @default - the variable is required
   */
  readonly default?: string;
  /**
   * The environment to read.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The image tag a pipeline hands the program in the environment variable `variable` (e.g.
 * `BLOG_IMAGE_TAG=${{ github.sha }}`), checked like a prop: a tag of at most 128 letters,
 * digits, `_`, `.` and `-`, not `latest`. A variable set but empty is an error, not the default:
 * a pipeline that meant to pass a tag and passed nothing must not ship the old one.
 */
export function imageTagFromEnv(variable: string, options: ImageTagFromEnvOptions = {}): string {
  const where = `environment variable ${variable}`;
  if (typeof variable !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
    throw new WebStackError('imageTagFromEnv', 'variable', variable, 'is not an environment variable name', 'use letters, digits and \'_\', e.g. \'BLOG_IMAGE_TAG\'');
  }
  if (options === null || typeof options !== 'object') {
    throw new WebStackError('imageTagFromEnv', 'options', options, 'is not an object', 'give { default: \'1.4.2\' }, or leave options out');
  }
  const given = (options.env ?? process.env)[variable];
  const fromDefault = given === undefined;
  const tag: unknown = fromDefault ? options.default : given;
  const source = fromDefault ? 'imageTagFromEnv' : where;
  const prop = fromDefault ? 'default' : variable;
  if (tag === undefined) {
    throw new WebStackError(where, variable, undefined, 'is not set, and no default is given', `set it to the image tag the pipeline built, e.g. ${variable}=1.4.2`);
  }
  if (typeof tag !== 'string' || !TAG.test(tag)) {
    throw new WebStackError(source, prop, tag, 'is not an image tag', 'use at most 128 letters, digits, \'_\', \'.\' and \'-\', starting with a letter, digit or \'_\', e.g. \'1.4.2\' or a commit SHA');
  }
  if (tag === 'latest') {
    throw new WebStackError(source, prop, tag, 'is the moving tag \'latest\', so every pull may run different code', 'pass the tag the pipeline built, e.g. a version or the commit SHA');
  }
  return tag;
}
