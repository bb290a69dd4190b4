// The API reference (docs/api.md) from what src/index.ts exports: each export
// with its kind, its signature (a function's parameters and return type; a
// class's constructor and public members; an interface's fields) and its
// TSDoc, in the entry's own sections (the `//` comments above its export
// lines). Also names every export, and every member the reference lists,
// that has no TSDoc. `npm run docs:api` writes the file;
// test/unit/docs/api-reference.test.ts fails when it is stale.

import { writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where `npm run docs:api` writes the reference. */
export const API_MD = join(ROOT, 'docs', 'api.md');

/** The reference, and what it lacks. */
export interface ApiReference {
  markdown: string;
  /** Exports and members without TSDoc: `Name`, or `Name.member`. */
  undocumented: string[];
}

/** One documented line of a class or interface: a field, a getter or a method. */
interface Member {
  name: string;
  signature: string;
  doc: string;
}

/** One export as the reference shows it. */
interface Export {
  name: string;
  kind: string;
  doc: string;
  /** Code shown under the heading: a signature, a constructor, a type's definition; may be empty. */
  code: string[];
  /** Exported types it extends (their fields are listed there, not repeated here). */
  extendsExported: string[];
  members: Member[];
}

interface Section {
  title: string;
  exports: Export[];
}

/** The reference of `entry` (a TypeScript file), compiled with the options of `tsconfigPath`. */
export function apiReference(entry: string = join(ROOT, 'src', 'index.ts'), tsconfigPath: string = join(ROOT, 'tsconfig.json')): ApiReference {
  const config = ts.readConfigFile(tsconfigPath, (path) => ts.sys.readFile(path));
  if (config.error) throw new Error(`invalid ${tsconfigPath}; ${ts.flattenDiagnosticMessageText(config.error.messageText, '\n')}`);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(tsconfigPath));
  const program = ts.createProgram([entry], { ...options, noEmit: true });
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`invalid entry ${entry}; expected a TypeScript file the compiler can read`);
  const checker = program.getTypeChecker();
  const exportedNames = new Set(checker.getExportsOfModule(checker.getSymbolAtLocation(source) as ts.Symbol).map((s) => s.name));
  const describer = new Describer(checker, exportedNames, renamesOf(checker, source));
  const sections = sectionsOf(source).map(({ title, specifiers }) => ({ title, exports: specifiers.map((s) => describer.describe(s)) }));
  const listed = new Set(sections.flatMap((s) => s.exports.map((e) => e.name)));
  const unlisted = [...exportedNames].filter((name) => !listed.has(name));
  if (unlisted.length > 0) throw new Error(`invalid entry ${entry}; expected every export on an \`export { … } from\` line, got ${unlisted.join(', ')} exported otherwise`);
  const undocumented = sections.flatMap((s) =>
    s.exports.flatMap((e) => [...(e.doc ? [] : [e.name]), ...e.members.filter((m) => !m.doc).map((m) => `${e.name}.${m.name}`)]),
  );
  // The library's own types that public signatures name but the entry does not export, and theirs in turn.
  const internal: Export[] = [];
  for (let symbol = describer.nextReferenced(); symbol; symbol = describer.nextReferenced()) internal.push(describer.describeSymbol(symbol.name, symbol, ''));
  if (internal.length > 0) {
    sections.push({ title: 'Types named above that the entry does not export', exports: internal.sort((a, b) => a.name.localeCompare(b.name)) });
  }
  return { markdown: render(sections, headerOf(source), relative(ROOT, entry).split('\\').join('/')), undocumented };
}

/** Exported aliases that only rename a type of the library's (`type Message = ChatMessage`): internal name → exported name. */
function renamesOf(checker: ts.TypeChecker, source: ts.SourceFile): Map<string, string> {
  const renames = new Map<string, string>();
  for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(source) as ts.Symbol)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = target.declarations?.[0];
    if (!declaration || !ts.isTypeAliasDeclaration(declaration) || !ts.isTypeReferenceNode(declaration.type) || declaration.type.typeArguments) continue;
    renames.set(declaration.type.typeName.getText(), exported.name);
  }
  return renames;
}

/**
 * The entry's export specifiers, grouped: `//` lines right above an export
 * line start a section titled by them; an export line after a blank line
 * without one starts an untitled section ("Types" when it exports only
 * types); any other export line continues the section above it.
 */
function sectionsOf(source: ts.SourceFile): { title: string; specifiers: ts.ExportSpecifier[] }[] {
  const text = source.getFullText();
  const sections: { title: string; specifiers: ts.ExportSpecifier[]; typesOnly: boolean; titled: boolean }[] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
    const trivia = text.slice(statement.pos, statement.getStart(source));
    // The lines above the export line (the last piece is its own indentation).
    const lines = trivia.split('\n').slice(0, -1).map((l) => l.trim());
    const comment: string[] = [];
    for (let i = lines.length - 1; i >= 0 && (lines[i] as string).startsWith('//'); i--) comment.unshift((lines[i] as string).replace(/^\/\/\s?/, ''));
    const blankAbove = comment.length === 0 && /\n\s*\n/.test(trivia);
    const typesOnly = statement.isTypeOnly || statement.exportClause.elements.every((e) => e.isTypeOnly);
    const current = sections[sections.length - 1];
    if (comment.length > 0 || blankAbove || !current) sections.push({ title: comment.join(' '), specifiers: [], typesOnly, titled: comment.length > 0 });
    const section = sections[sections.length - 1] as (typeof sections)[number];
    section.typesOnly &&= typesOnly;
    section.specifiers.push(...statement.exportClause.elements);
  }
  return sections.map((s) => ({ title: s.titled ? s.title.replace(/\.$/, '') : s.typesOnly ? 'Types' : 'More', specifiers: s.specifiers }));
}

/** The entry's header comment: its first `//` lines, before the first blank line. */
function headerOf(source: ts.SourceFile): string {
  const lines: string[] = [];
  for (const line of source.getFullText().split('\n')) {
    if (!line.startsWith('//')) break;
    lines.push(line.replace(/^\/\/\s?/, ''));
  }
  return lines.join(' ');
}

/** Turns exported symbols into what the reference shows of them. */
class Describer {
  /** Types of the library's own that the signatures shown name without the entry exporting them: to describe, and described. */
  private readonly referenced = new Map<string, ts.Symbol>();
  private readonly described = new Set<string>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly exportedNames: ReadonlySet<string>,
    private readonly renames: ReadonlyMap<string, string>,
  ) {}

  describe(specifier: ts.ExportSpecifier): Export {
    // Through every re-export to the declaration; the first TSDoc found on the way is the export's.
    let symbol = this.checker.getSymbolAtLocation(specifier.name) as ts.Symbol;
    let doc = '';
    for (let hops = 0; symbol.flags & ts.SymbolFlags.Alias && hops < 10; hops++) {
      doc ||= this.aliasDoc(symbol);
      symbol = this.checker.getImmediateAliasedSymbol(symbol) ?? this.checker.getAliasedSymbol(symbol);
    }
    return this.describeSymbol(specifier.name.text, symbol, doc, specifier.isTypeOnly || specifier.parent.parent.isTypeOnly);
  }

  /** The next referenced type not yet described; undefined when every one is. */
  nextReferenced(): ts.Symbol | undefined {
    for (const [name, symbol] of this.referenced) {
      if (this.described.has(name)) continue;
      this.described.add(name);
      return symbol;
    }
    return undefined;
  }

  describeSymbol(name: string, symbol: ts.Symbol, aliasDoc: string, typeOnly = true): Export {
    const doc = aliasDoc || this.docOf(symbol);
    const declaration = symbol.declarations?.[0];
    const base: Export = { name, kind: 'value', doc, code: [], extendsExported: [], members: [] };
    if (!declaration) return base;
    if (ts.isFunctionDeclaration(declaration)) {
      const overloads = (symbol.declarations ?? []).filter(ts.isFunctionDeclaration);
      const shown = overloads.length > 1 ? overloads.filter((d) => !d.body) : overloads;
      return { ...base, kind: 'function', code: shown.map((d) => `function ${name}${this.signature(d)}`) };
    }
    if (ts.isClassDeclaration(declaration)) {
      const ctors = declaration.members.filter(ts.isConstructorDeclaration);
      const code = (ctors.length > 0 ? ctors : [undefined]).map((c) => `new ${name}${c ? this.parameters(c) : '()'}`);
      const instance = this.checker.getDeclaredTypeOfSymbol(symbol);
      return { ...base, kind: typeOnly ? 'class (type only: made by the library)' : 'class', code, members: this.members(instance, []) };
    }
    if (ts.isInterfaceDeclaration(declaration)) {
      const type = this.checker.getDeclaredTypeOfSymbol(symbol);
      const bases = (declaration.heritageClauses ?? []).flatMap((h) => h.types).map((t) => this.checker.getTypeAtLocation(t));
      const exportedBases = bases.filter((b) => b.symbol && this.exportedNames.has(b.symbol.name));
      return { ...base, kind: 'interface', extendsExported: exportedBases.map((b) => b.symbol.name), members: this.members(type, exportedBases) };
    }
    if (ts.isTypeAliasDeclaration(declaration)) {
      const type = this.checker.getDeclaredTypeOfSymbol(symbol);
      const node = declaration.type;
      const members = (!!(type.flags & ts.TypeFlags.Object) || type.isIntersection()) && this.checker.getPropertiesOfType(type).length > 0;
      // Object types: written with `{ … }` for their literal parts (the fields follow); unions of literals spelled out.
      const parts = ts.isIntersectionTypeNode(node) ? node.types : [node];
      const written = parts.map((t) => (ts.isTypeLiteralNode(t) && members ? '{ … }' : this.typeText(t, t, false))).join(' & ');
      const literals = type.isUnion() && type.types.every((t) => t.isLiteral() || !!(t.flags & ts.TypeFlags.BooleanLiteral));
      const spelled = literals && !ts.isUnionTypeNode(node) ? this.checker.typeToString(type, declaration, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType) : written;
      const shown = members && (ts.isTypeReferenceNode(node) || ts.isIntersectionTypeNode(node) || ts.isTypeLiteralNode(node));
      return { ...base, kind: 'type', code: [`type ${name} = ${spelled}`], members: shown ? this.members(type, []) : [] };
    }
    return base;
  }

  /** The public fields, getters and methods of `type`, less those of the exported types it extends. */
  private members(type: ts.Type, exportedBases: readonly ts.Type[]): Member[] {
    const inherited = new Set(exportedBases.flatMap((b) => this.checker.getPropertiesOfType(b).map((p) => p.name)));
    const out: Member[] = [];
    for (const property of this.checker.getPropertiesOfType(type)) {
      const declaration = property.declarations?.[0];
      if (!declaration || inherited.has(property.name) || isHidden(declaration)) continue;
      out.push({ name: property.name, signature: this.memberSignature(property, declaration), doc: this.docOf(property) });
    }
    return out;
  }

  private memberSignature(property: ts.Symbol, declaration: ts.Declaration): string {
    const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
    if (ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration)) return `${property.name}${optional}${this.signature(declaration)}`;
    if (ts.isGetAccessorDeclaration(declaration)) return `get ${property.name}: ${this.typeText(declaration.type, declaration)}`;
    const readonly = ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Readonly ? 'readonly ' : '';
    const typeNode = ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration) ? declaration.type : undefined;
    const text = typeNode ? this.typeText(typeNode, declaration) : this.checker.typeToString(this.checker.getTypeOfSymbolAtLocation(property, declaration), undefined, ts.TypeFormatFlags.NoTruncation);
    return `${readonly}${property.name}${optional}: ${text}`;
  }

  /** `(a: A, b: B = {}): R` of a function or method. */
  private signature(declaration: ts.SignatureDeclaration): string {
    const returned = declaration.type ? this.typeText(declaration.type, declaration) : this.inferredReturn(declaration);
    return `${this.parameters(declaration)}: ${returned}`;
  }

  private parameters(declaration: ts.SignatureDeclaration): string {
    const params = declaration.parameters.map((p) => {
      const rest = p.dotDotDotToken ? '...' : '';
      const optional = p.questionToken ? '?' : '';
      const value = p.initializer ? ` = ${oneLine(p.initializer.getText())}` : '';
      return `${rest}${p.name.getText()}${optional}: ${this.typeText(p.type, p)}${value}`;
    });
    return `(${params.join(', ')})`;
  }

  private inferredReturn(declaration: ts.SignatureDeclaration): string {
    const signature = this.checker.getSignatureFromDeclaration(declaration);
    return signature ? this.checker.typeToString(this.checker.getReturnTypeOfSignature(signature), declaration, ts.TypeFormatFlags.NoTruncation) : 'unknown';
  }

  /** A type as written (noting the library's unexported types it names), else as the compiler infers it; exported renames used. */
  private typeText(node: ts.TypeNode | undefined, at: ts.Node, rename = true): string {
    if (!node) return this.checker.typeToString(this.checker.getTypeAtLocation(at), at, ts.TypeFormatFlags.NoTruncation);
    this.noteReferences(node);
    // Comments inside the type (a literal's field docs) and a union's leading `|` left out.
    const text = oneLine(node.getText().replace(/\/\*[\s\S]*?\*\//g, '')).replace(/^\|\s*/, '');
    return rename ? text.replace(/\b[A-Z]\w*\b/g, (word) => this.renames.get(word) ?? word) : text;
  }

  private noteReferences(node: ts.Node): void {
    if (ts.isTypeReferenceNode(node)) {
      let symbol = this.checker.getSymbolAtLocation(node.typeName);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
      const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
      const ours = file !== undefined && resolve(file).startsWith(join(ROOT, 'src'));
      if (symbol && ours && !(symbol.flags & ts.SymbolFlags.TypeParameter) && !this.exportedNames.has(symbol.name) && !this.renames.has(symbol.name)) {
        if (!this.referenced.has(symbol.name)) this.referenced.set(symbol.name, symbol);
      }
    }
    ts.forEachChild(node, (child) => this.noteReferences(child));
  }

  private docOf(symbol: ts.Symbol): string {
    return paragraphs(ts.displayPartsToString(symbol.getDocumentationComment(this.checker)));
  }

  /** The TSDoc of a re-export (`/** ... *\/ export { x };`), if it has one. */
  private aliasDoc(alias: ts.Symbol): string {
    const declaration = alias.declarations?.[0];
    const statement = declaration && ts.isExportSpecifier(declaration) ? declaration.parent.parent : undefined;
    if (!statement) return '';
    const comments = ts.getJSDocCommentsAndTags(statement).filter(ts.isJSDoc);
    return paragraphs(comments.map((c) => ts.getTextOfJSDocComment(c.comment) ?? '').join('\n\n'));
  }
}

/** Private, protected and #-named members are not the API. */
function isHidden(declaration: ts.Declaration): boolean {
  if (ts.isConstructorDeclaration(declaration)) return true;
  const name = ts.getNameOfDeclaration(declaration);
  if (name && ts.isPrivateIdentifier(name)) return true;
  return (ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
}

/** Source text on one line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\s+/g, ' ').trim();
}

/** TSDoc text as Markdown paragraphs: lines of a paragraph joined, blank lines kept. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => oneLine(p))
    .filter((p) => p !== '')
    .join('\n\n');
}

/** Headings' anchors as GitHub makes them: lower case, punctuation dropped, spaces to dashes, `-1`, `-2` … on repeats. */
function slugger(): (heading: string) => string {
  const seen = new Map<string, number>();
  return (heading) => {
    const slug = heading.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    return n === 0 ? slug : `${slug}-${n}`;
  };
}

function render(sections: readonly Section[], header: string, entryPath: string): string {
  // Anchors in the order the headings come: the title, Contents, then each section and its exports.
  const slug = slugger();
  slug('k6-llm API reference');
  slug('Contents');
  const sectionAnchor = sections.map((s) => slug(s.title));
  const exportAnchor = new Map<string, string>();
  for (const s of sections) for (const e of s.exports) exportAnchor.set(e.name, slug(e.name));
  const link = (name: string): string => `[\`${name}\`](#${exportAnchor.get(name) ?? ''})`;
  const out: string[] = [
    '# k6-llm API reference',
    '',
    `Everything a k6 script imports from \`k6-llm\`, generated from the TSDoc of \`${entryPath}\` by \`npm run docs:api\` (do not edit by hand). ${header}`,
    '',
    'Times are in milliseconds unless a name or a comment says otherwise.',
    '',
    '## Contents',
    '',
  ];
  sections.forEach((section, i) => out.push(`- [${section.title}](#${sectionAnchor[i]}): ${section.exports.map((e) => link(e.name)).join(', ')}`));
  for (const section of sections) {
    out.push('', `## ${section.title}`);
    for (const e of section.exports) {
      out.push('', `### ${e.name}`, '', `*${e.kind}*${e.extendsExported.length > 0 ? ` · extends ${e.extendsExported.map(link).join(', ')}` : ''}`);
      if (e.doc) out.push('', e.doc);
      if (e.code.length > 0) out.push('', '```ts', ...e.code, '```');
      if (e.members.length > 0) {
        out.push('');
        for (const m of e.members) out.push(`- \`${m.signature}\`${m.doc ? `: ${m.doc.replace(/\n\n/g, ' ')}` : ''}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { markdown, undocumented } = apiReference();
  writeFileSync(API_MD, markdown);
  console.log(`wrote ${relative(process.cwd(), API_MD)}`);
  if (undocumented.length > 0) {
    console.error(`k6-llm docs: ${undocumented.length} exports or members have no TSDoc: ${undocumented.join(', ')}`);
    process.exitCode = 1;
  }
}
