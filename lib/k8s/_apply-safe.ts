/**
 * Characters no string of an object may hold for `kubectl apply --server-side`: kubectl sends the
 * object as JSON, which the API server reads as YAML (the apply patch type), and Go's YAML reader
 * refuses DEL, the C1 controls and U+FFFE/U+FFFF, and reads NEL (U+0085) as a line break. JSON
 * escapes the other controls and the line separators, so they pass.
 */
export const APPLY_UNSAFE = /[\x7f-\x9f\ufffe\uffff]/;

/** The character of `text` that `kubectl apply --server-side` cannot carry, described; else undefined. */
export function applyUnsafeCharacter(text: string): string | undefined {
  const found = APPLY_UNSAFE.exec(text);
  if (found === null) {
    return undefined;
  }
  const code = found[0].charCodeAt(0);
  const name = code === 0x7f ? 'DEL' : code === 0x85 ? 'NEL, a line break to YAML' : code <= 0x9f ? 'a C1 control character' : 'a noncharacter';
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} (${name})`;
}

/** Why the API server would refuse or change the server-side apply of `doc`: one message per string. */
export function applyUnsafeStrings(doc: unknown, what: string): string[] {
  const found: string[] = [];
  const visit = (value: unknown, at: string) => {
    if (typeof value === 'string') {
      const character = applyUnsafeCharacter(value);
      if (character !== undefined) {
        found.push(`${what}: ${at} holds ${character}, which kubectl's server-side apply cannot carry (the API server reads the patch as YAML, which refuses or changes it); remove it, or ship the text as a config file (it then goes to binaryData)`);
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${at}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const character = applyUnsafeCharacter(k);
        if (character !== undefined) {
          found.push(`${what}: the key ${JSON.stringify(k)} at ${at || '/'} holds ${character}, which kubectl's server-side apply cannot carry; rename it`);
        }
        visit(v, `${at}.${k}`);
      }
    }
  };
  visit(doc, '');
  return found;
}
