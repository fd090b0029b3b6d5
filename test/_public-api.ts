/**
 * The names a module exports, with their kinds, read by the TypeScript compiler. Used on
 * `lib/index.ts` (test/public-api.test.ts) and on the `index.d.ts` of the installed package
 * (test/consumer/run.sh), against the list in test/public-api.txt.
 */
import * as path from 'path';
import * as ts from 'typescript';

/** The list of every public name, as the package promises it. */
export const PUBLIC_API_FILE = path.join(__dirname, 'public-api.txt');

const KINDS: ReadonlyArray<[ts.SymbolFlags, string]> = [
  [ts.SymbolFlags.Class, 'class'], [ts.SymbolFlags.Enum, 'enum'], [ts.SymbolFlags.Function, 'function'],
  [ts.SymbolFlags.Interface, 'interface'], [ts.SymbolFlags.TypeAlias, 'type'], [ts.SymbolFlags.Variable, 'const'],
];

/**
 * `name (kind)` for every export of the module at `entry` (a `.ts` or `.d.ts` file), sorted.
 * Only the files of the entry's own folder are read: what they import from packages is left
 * empty, since an export's name and kind do not depend on it (and parsing cdk8s-plus's
 * bindings would take seconds).
 */
export function exportsOf(entry: string): string[] {
  const own = path.dirname(path.resolve(entry)) + path.sep;
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, noLib: true, types: [] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError) => path.resolve(file).startsWith(own)
    ? getSourceFile(file, language, onError)
    : ts.createSourceFile(file, '', language);
  const program = ts.createProgram([entry], options, host);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) {
    throw new Error(`${entry} is not a module`);
  }
  return checker.getExportsOfModule(moduleSymbol).map(symbol => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const kinds = KINDS.filter(([flag]) => target.flags & flag).map(([, kind]) => kind);
    return `${symbol.name} (${kinds.join(', ') || 'unresolved'})`;
  }).sort();
}
