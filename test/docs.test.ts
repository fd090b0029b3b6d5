/**
 * Docs where the IDE shows them: every public member of the package has a doc comment, every
 * optional prop says its default, and the README's props tables list exactly the props of the
 * interfaces they describe, so the two cannot drift apart.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const program = ts.createProgram([path.join(ROOT, 'lib', 'index.ts')], { strict: true, target: ts.ScriptTarget.ES2022 });
const checker = program.getTypeChecker();
const index = checker.getSymbolAtLocation(program.getSourceFile(path.join(ROOT, 'lib', 'index.ts'))!)!;
const exported = checker.getExportsOfModule(index);

function documented(symbol: ts.Symbol): boolean {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim().length > 0;
}

function isInternal(declaration: ts.Declaration): boolean {
  return ts.getJSDocTags(declaration).some(tag => tag.tagName.text === 'internal');
}

/** `Export.member` for every public member without a doc comment. */
function undocumented(): string[] {
  const missing: string[] = [];
  for (const symbol of exported) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = target.declarations?.[0];
    if (!declaration || declaration.getSourceFile().fileName.includes('/imports/')) {
      continue;
    }
    if (!documented(target)) {
      missing.push(target.name);
    }
    if (ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration) || ts.isEnumDeclaration(declaration)) {
      for (const member of declaration.members) {
        const name = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
        const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
        const hidden = modifiers.some(m => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
        if (name === undefined || name.startsWith('_') || hidden || isInternal(member) || ts.isConstructorDeclaration(member)) {
          continue;
        }
        const memberSymbol = checker.getSymbolAtLocation(member.name!);
        if (memberSymbol && !documented(memberSymbol)) {
          // An override documented on the base class shows in the IDE too.
          const base = ts.isClassDeclaration(declaration) && modifiers.some(m => m.kind === ts.SyntaxKind.OverrideKeyword);
          const abstractDocs = ts.isClassDeclaration(declaration) && declaration.heritageClauses?.some(h => h.types.some(t => {
            const baseType = checker.getTypeAtLocation(t);
            const inherited = baseType.getProperty(name);
            return inherited !== undefined && documented(inherited);
          }));
          if (!base && !abstractDocs) {
            missing.push(`${target.name}.${name}`);
          }
        }
      }
    }
  }
  return missing;
}

/** `Props.prop` for every optional prop of a props or options interface without `@default`. */
function withoutDefault(): string[] {
  const missing: string[] = [];
  for (const symbol of exported) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = target.declarations?.[0];
    if (!declaration || !ts.isInterfaceDeclaration(declaration) || !/(Props|Options)$/.test(target.name)) {
      continue;
    }
    for (const member of declaration.members) {
      if (ts.isPropertySignature(member) && member.questionToken && !ts.getJSDocTags(member).some(t => t.tagName.text === 'default')) {
        missing.push(`${target.name}.${(member.name as ts.Identifier).text}`);
      }
    }
  }
  return missing;
}

/** The props of an exported interface, by name. */
function propsOf(name: string): string[] {
  const symbol = exported.find(s => s.name === name)!;
  const declaration = symbol.declarations![0] as ts.InterfaceDeclaration;
  return declaration.members.map(m => (m.name as ts.Identifier).text).sort();
}

/** The top-level prop names in the first column of the README table under `heading`. */
function readmeProps(heading: string): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(`\n${heading}\n`)[1].split('\n## ')[0];
  // `route.a` / `b` / `c`: the later names share the first one's prefix.
  const names = [...section.matchAll(/^\| ((?:`[^`]+`(?: \/ )?)+) \|/gm)]
    .flatMap(m => {
      const all = [...m[1].matchAll(/`([^`]+)`/g)].map(x => x[1]);
      return all[0].includes('.') ? [all[0].split('.')[0]] : all;
    });
  return [...new Set(names)].filter(n => n !== 'Prop').sort();
}

describe('docs', () => {
  test('every public member has a doc comment', () => {
    expect(undocumented()).toEqual([]);
  });

  test('every optional prop says its default', () => {
    expect(withoutDefault()).toEqual([]);
  });

  test.each([
    ['## `WebApp` props', 'WebAppProps'],
    ['## `IngressVip` props', 'IngressVipProps'],
    ['## `Gateway` props', 'GatewayProps'],
  ])('the README table %s lists exactly the props of %s', (heading, name) => {
    expect(readmeProps(heading)).toEqual(propsOf(name));
  });
});
