// Joins the declaration files tsc emits for the library (one per source
// file) into one declaration module, lib/k6-llm.d.ts. Each source file
// becomes a namespace of its own, so two internal files that declare the same
// name (src/random.ts and src/arrivals/gamma.ts both have `gamma`) never
// collide; imports between them become `import X = ns.X` aliases, other
// packages (k6/options) are imported once at the top as namespaces, and the
// entry's own exports become `export import` lines. Anything
// this does not know how to carry over (a default export, `export *`) fails
// with one line naming the file, rather than producing a file that lies.

import { posix } from 'node:path';
import ts from 'typescript';

/** A declaration the bundler cannot carry over; the message is one line. */
export class DtsBundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DtsBundleError';
  }
}

/** The namespace a declaration file's contents go in: `src/client/client.d.ts` → `__k6llm_src_client_client`. */
export function namespaceOf(file: string): string {
  return `__k6llm_${file.replace(/\.d\.ts$/, '').replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** The declaration file a relative specifier in `from` names (`./x.ts`, `./x.js`, `./x` → `dir/x.d.ts`). */
function target(from: string, specifier: string, files: ReadonlyMap<string, string>): string {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.(ts|js|mts|mjs)$/, '');
  for (const candidate of [`${base}.d.ts`, `${base}/index.d.ts`]) if (files.has(candidate)) return candidate;
  throw new DtsBundleError(`invalid import in ${from}; expected a declaration file for "${specifier}", got none among the ${files.size} emitted`);
}

/** Removes the `declare` modifiers of a top-level statement (inside a `declare namespace` they are an error). */
function withoutDeclare(statement: ts.Statement, source: ts.SourceFile): string {
  const full = statement.getFullText(source);
  const start = statement.getFullStart();
  const cuts = (ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [])
    .filter((m) => m.kind === ts.SyntaxKind.DeclareKeyword)
    .map((m) => [m.getStart(source) - start, m.getEnd() - start] as const)
    .sort((a, b) => b[0] - a[0]);
  let text = full;
  for (const [from, to] of cuts) text = text.slice(0, from) + text.slice(to).replace(/^\s+/, '');
  return text;
}

/** The names a top-level declaration statement declares. */
function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  const name = (statement as { name?: ts.Node }).name;
  return name && ts.isIdentifier(name) ? [name.text] : [];
}

/** A declaration's text with `export` in front of its first line of code (after its JSDoc). */
function exportLine(text: string): string {
  if (/^(\s*(\/\*\*[\s\S]*?\*\/|\/\/[^\n]*)\s*)*export\s/.test(text)) return text;
  return text.replace(/^((?:\s*(?:\/\*\*[\s\S]*?\*\/|\/\/[^\n]*)\s*)*)/, '$1export ');
}

/**
 * One declaration module from tsc's per-file output. `files` maps paths
 * relative to the emit root (`src/index.d.ts`, posix separators) to their
 * text; `entry` is the entry's path in it. `banner` goes first, as comments.
 */
export function bundleDeclarations(files: ReadonlyMap<string, string>, entry: string, banner = ''): string {
  if (!files.has(entry)) throw new DtsBundleError(`invalid entry ${entry}; expected one of the emitted declaration files, got none by that name`);
  // Each package once, as a namespace import: `import X = alias.X` works for types too
  // (an alias of a bare imported interface does not).
  const external = new Map<string, string>(); // module → hoisted namespace alias
  const hoisted: string[] = [];
  const externalAlias = (module: string, name: string): string => {
    let alias = external.get(module);
    if (!alias) {
      alias = `__ext_${module.replace(/[^A-Za-z0-9]/g, '_')}`;
      external.set(module, alias);
      hoisted.push(`import * as ${alias} from ${JSON.stringify(module)};`);
    }
    return name === '*' ? alias : `${alias}.${name}`;
  };

  // Only the files the entry reaches, in the order they are reached.
  const order: string[] = [];
  const bodies = new Map<string, string[]>();
  const entryLines: string[] = [];
  const visit = (file: string): void => {
    if (bodies.has(file)) return;
    const lines: string[] = [];
    bodies.set(file, lines);
    // Where each local name is declared (a line of `lines`), for `export { name }` lists.
    const declaredAt = new Map<string, number>();
    const exportList: { name: string; as: string; where: string }[] = [];
    const source = ts.createSourceFile(file, files.get(file) as string, ts.ScriptTarget.Latest, true);
    const isEntry = file === entry;
    for (const statement of source.statements) {
      const where = `${file}:${source.getLineAndCharacterOfPosition(statement.getStart(source)).line + 1}`;
      if (ts.isImportDeclaration(statement)) {
        const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
        const clause = statement.importClause;
        if (!clause) continue; // a side-effect import carries no declarations
        const relative = specifier.startsWith('.');
        const from = relative ? target(file, specifier, files) : null;
        if (from) visit(from);
        const ref = (name: string) => (from ? `${namespaceOf(from)}.${name}` : externalAlias(specifier, name));
        if (clause.name) throw new DtsBundleError(`unsupported default import in ${where}; expected named imports`);
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) {
          declaredAt.set(bindings.name.text, lines.length);
          lines.push(`import ${bindings.name.text} = ${from ? namespaceOf(from) : externalAlias(specifier, '*')};`);
        } else if (bindings) {
          for (const el of bindings.elements) {
            declaredAt.set(el.name.text, lines.length);
            lines.push(`import ${el.name.text} = ${ref((el.propertyName ?? el.name).text)};`);
          }
        }
        continue;
      }
      if (ts.isExportDeclaration(statement)) {
        const clause = statement.exportClause;
        if (!statement.moduleSpecifier) {
          if (!clause || !ts.isNamedExports(clause)) throw new DtsBundleError(`unsupported export in ${where}; expected a named export list`);
          // `export {};` says nothing; `export { a, b as c }` is settled once the whole file is read.
          for (const el of clause.elements) exportList.push({ name: (el.propertyName ?? el.name).text, as: el.name.text, where });
          continue;
        }
        const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
        if (!clause || !ts.isNamedExports(clause)) throw new DtsBundleError(`unsupported \`export *\` in ${where}; expected named re-exports`);
        if (!specifier.startsWith('.')) throw new DtsBundleError(`unsupported re-export of package "${specifier}" in ${where}`);
        const from = target(file, specifier, files);
        visit(from);
        for (const el of clause.elements) {
          const line = `export import ${el.name.text} = ${namespaceOf(from)}.${(el.propertyName ?? el.name).text};`;
          (isEntry ? entryLines : lines).push(line);
        }
        continue;
      }
      if (ts.isExportAssignment(statement)) throw new DtsBundleError(`unsupported default export in ${where}; expected named exports`);
      if (isEntry) throw new DtsBundleError(`unsupported declaration in the entry ${where}; expected re-exports only (the entry is a barrel)`);
      for (const name of declaredNames(statement)) declaredAt.set(name, lines.length);
      lines.push(withoutDeclare(statement, source).replace(/^\n+/, ''));
    }
    for (const { name, as, where } of exportList) {
      const at = declaredAt.get(name);
      if (at === undefined) throw new DtsBundleError(`invalid export list in ${where}; expected "${name}" to be declared or imported in that file, got neither`);
      // The declaration (or import alias) itself becomes exported; a rename is an exported alias of it.
      if (as === name) lines[at] = exportLine(lines[at] as string);
      else lines.push(`export import ${as} = ${name};`);
    }
    order.push(file);
  };
  visit(entry);

  const out: string[] = [];
  if (banner) out.push(banner.trimEnd(), '');
  out.push(...hoisted, '');
  for (const file of order) {
    if (file === entry) continue;
    const body = (bodies.get(file) ?? []).join('\n').split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
    out.push(`/** ${file.replace(/\.d\.ts$/, '.ts')} */`, `declare namespace ${namespaceOf(file)} {`, body, '}');
  }
  // `export {}`: a declaration file without it exports every top-level name, the namespaces too.
  out.push('', ...entryLines, 'export {};', '');
  return out.join('\n');
}
