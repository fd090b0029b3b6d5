import * as fs from 'fs';
import { checkShape, shape } from '../core/_shape';

/** UTF-8 that refuses what is not: a byte it cannot decode would become U+FFFD. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The content of one config file: literal text, or a file of the repository read at synth. */
export class FileContent {
  /** This text, as it is. */
  public static fromText(text: string): FileContent {
    checkShape('FileContent.fromText()', 'text', text ?? null, shape.string);
    return new FileContent(() => text, 'text');
  }

  /**
   * The file at `path` (relative to the working folder of synth), read when the app is built,
   * so the manifests hold what the file held then, byte for byte: text that is valid UTF-8 goes
   * to the ConfigMap's `data`, anything else (an image, a keystore, Latin-1 text) to its
   * `binaryData`, never re-encoded.
   */
  public static fromFile(path: string): FileContent {
    checkShape('FileContent.fromFile()', 'path', path ?? null, shape.string);
    return new FileContent(() => fs.readFileSync(path), path);
  }

  private constructor(
    private readonly read: () => string | Buffer,
    /** Where the content comes from, for messages: `text` or the file's path. */
    public readonly source: string,
  ) {}

  /**
   * The content: text, or bytes that are not valid UTF-8.
   * @internal
   */
  public _content(): string | Buffer {
    const content = this.read();
    if (typeof content === 'string') {
      return content;
    }
    try {
      return UTF8.decode(content);
    } catch {
      return content;
    }
  }
}

/** Where an `envFrom` entry takes its variables from. */
export class EnvFrom {
  /** Every key of the existing ConfigMap `name`, as a variable. */
  public static configMap(name: string, options: EnvFromOptions = {}): EnvFrom {
    checkShape('EnvFrom.configMap()', 'name', name ?? null, shape.string);
    checkShape('EnvFrom.configMap()', 'options', options, ENV_FROM_OPTIONS);
    return new EnvFrom('configMap', name, options);
  }

  /** Every key of the existing Secret `name`, as a variable. */
  public static secret(name: string, options: EnvFromOptions = {}): EnvFrom {
    checkShape('EnvFrom.secret()', 'name', name ?? null, shape.string);
    checkShape('EnvFrom.secret()', 'options', options, ENV_FROM_OPTIONS);
    return new EnvFrom('secret', name, options);
  }

  private constructor(
    /** The kind of object. */
    public readonly kind: 'configMap' | 'secret',
    /** Its name, in the app's namespace. */
    public readonly name: string,
    /** The options given. */
    public readonly options: EnvFromOptions,
  ) {}
}

/** Options of `EnvFrom.configMap()` and `EnvFrom.secret()`. */
export interface EnvFromOptions {
  /**
   * A prefix for every variable name (`DB_`).
   * @default - none
   */
  readonly prefix?: string;
  /**
   * Start the pod even when the object is missing.
   * @default false
   */
  readonly optional?: boolean;
}

const ENV_FROM_OPTIONS = shape.object<EnvFromOptions>('EnvFromOptions', { prefix: shape.string, optional: shape.boolean });

/** Config files: a ConfigMap the app emits, mounted read-only. */
export interface ConfigFilesOptions {
  /** A short name: the ConfigMap is `<app>-<name>`, its volume `config-<name>`. */
  readonly name: string;
  /** The folder the files appear in, read-only (absolute). */
  readonly mountPath: string;
  /** File name to content: literal text, or `FileContent.fromFile(path)`. */
  readonly files: Record<string, string | FileContent>;
}

/** Files from an existing Secret, mounted read-only. */
export interface SecretFilesOptions {
  /** The Secret, in the app's namespace. */
  readonly secretName: string;
  /** The folder the files appear in (absolute). */
  readonly mountPath: string;
  /**
   * Only these keys, each as a file of its name.
   * @default - every key of the Secret
   */
  readonly keys?: string[];
  /**
   * The files' mode: read-only for the owner and for the pod's group (fsGroup), which the
   * non-root app runs in.
   * @default 0o440
   */
  readonly defaultMode?: number;
}

/** Scratch space: an emptyDir at a path, with a size limit. */
export interface ScratchVolumeOptions {
  /** A short name: the volume is `scratch-<name>`. */
  readonly name: string;
  /** Where it is mounted (absolute). */
  readonly mountPath: string;
  /** Its size limit (`1Gi`); added to the ephemeral-storage request and limit, or, in memory, to memory's. */
  readonly sizeLimit: string;
  /**
   * Back it with memory (tmpfs) instead of the node's disk.
   * @default false
   */
  readonly inMemory?: boolean;
}
