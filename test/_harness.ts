/** Helpers shared by the suites that drive real servers (test/cluster, test/dns). */
import * as net from 'net';

/** Named pass/fail results, printed as they come, summed up in the closing line CI reads. */
export class Checks {
  private readonly results: Array<{ name: string; ok: boolean }> = [];

  public check(name: string, ok: boolean, detail = ''): boolean {
    this.results.push({ name, ok });
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `\n       ${detail.trim().replace(/\n/g, '\n       ')}`}`);
    return ok;
  }

  public get failed(): number {
    return this.results.filter(r => !r.ok).length;
  }

  /** Prints `N passed, N failed` (counting `extraFailures` too) and sets the exit code. */
  public finish(extraFailures = 0): void {
    const failed = this.failed + extraFailures;
    console.log(`\n${this.results.length - this.failed} passed, ${failed} failed`);
    process.exitCode = failed === 0 ? 0 : 1;
  }
}

/** The value of an environment variable that test/run-with-tools.sh sets. */
export function requireEnv(name: string, runner: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run this through ${runner}`);
  }
  return value;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** mulberry32: a small seeded generator of numbers in [0, 1), so that a failing case comes back on the next run. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
