#!/usr/bin/env node
// The public API report of @krate/core: every export of the built declarations
// (packages/core/dist/index.d.ts) with its kind and its declaration text, normalized
// by the TypeScript printer (comments dropped), plus the declarations the exports
// refer to without exporting them. A change to the public API shows up as a diff
// of api/core.api.md in review.
//
//   node scripts/api-report.mjs           write api/core.api.md
//   node scripts/api-report.mjs --check   fail when the build differs from api/core.api.md
//
// Run after `pnpm --filter @krate/core build`.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, loadTypeScript, rel } from './lib/workspace.mjs';

const PACKAGE = '@krate/core';
const ENTRY = join(ROOT, 'packages', 'core', 'dist', 'index.d.ts');
const ENTRY_CJS = join(ROOT, 'packages', 'core', 'dist', 'index.d.cts');
const REPORT = join(ROOT, 'api', 'core.api.md');
const UPDATE = 'node scripts/api-report.mjs';

const ts = loadTypeScript();
const check = process.argv.includes('--check');

function fail(message) {
  console.error(`api-report: ${message}`);
  process.exit(1);
}

for (const file of [ENTRY, ENTRY_CJS]) {
  if (!existsSync(file)) fail(`${rel(file)} does not exist: run \`pnpm --filter ${PACKAGE} build\` first`);
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** Declaration text without comments, `export`/`declare`/`default` modifiers, or trailing blanks. */
function printDeclaration(node) {
  let statement = node;
  let prefix = '';
  if (ts.isVariableDeclaration(node)) {
    const list = node.parent;
    prefix = list.flags & ts.NodeFlags.Const ? 'const ' : list.flags & ts.NodeFlags.Let ? 'let ' : 'var ';
    statement = node;
  }
  const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
  const stripped =
    modifiers && modifiers.some((m) => [ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.DeclareKeyword, ts.SyntaxKind.DefaultKeyword].includes(m.kind))
      ? stripModifiers(statement)
      : statement;
  const text = printer.printNode(ts.EmitHint.Unspecified, stripped, statement.getSourceFile());
  return `${prefix}${text}${ts.isVariableDeclaration(node) ? ';' : ''}`.replace(/[ \t]+$/gm, '');
}

function stripModifiers(node) {
  const keep = (ts.getModifiers(node) ?? []).filter(
    (m) => ![ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.DeclareKeyword, ts.SyntaxKind.DefaultKeyword].includes(m.kind),
  );
  const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
  const modifiers = [...decorators, ...keep];
  const f = ts.factory;
  if (ts.isClassDeclaration(node)) return f.updateClassDeclaration(node, modifiers, node.name, node.typeParameters, node.heritageClauses, node.members);
  if (ts.isFunctionDeclaration(node)) return f.updateFunctionDeclaration(node, modifiers, node.asteriskToken, node.name, node.typeParameters, node.parameters, node.type, node.body);
  if (ts.isInterfaceDeclaration(node)) return f.updateInterfaceDeclaration(node, modifiers, node.name, node.typeParameters, node.heritageClauses, node.members);
  if (ts.isTypeAliasDeclaration(node)) return f.updateTypeAliasDeclaration(node, modifiers, node.name, node.typeParameters, node.type);
  if (ts.isEnumDeclaration(node)) return f.updateEnumDeclaration(node, modifiers, node.name, node.members);
  if (ts.isModuleDeclaration(node)) return f.updateModuleDeclaration(node, modifiers, node.name, node.body);
  return node;
}

function kindOf(node) {
  if (ts.isClassDeclaration(node)) return 'class';
  if (ts.isFunctionDeclaration(node)) return 'function';
  if (ts.isInterfaceDeclaration(node)) return 'interface';
  if (ts.isTypeAliasDeclaration(node)) return 'type';
  if (ts.isEnumDeclaration(node)) return 'enum';
  if (ts.isModuleDeclaration(node)) return 'namespace';
  if (ts.isVariableDeclaration(node)) return node.parent.flags & ts.NodeFlags.Const ? 'const' : node.parent.flags & ts.NodeFlags.Let ? 'let' : 'var';
  return ts.SyntaxKind[node.kind];
}

const KIND_ORDER = ['class', 'function', 'const', 'let', 'var', 'enum', 'namespace', 'interface', 'type'];

/** Reads the API of one declaration entry file. */
function extract(entry) {
  const program = ts.createProgram([entry], {
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) fail(`${rel(entry)} is not a module`);
  const distDir = dirname(entry);
  const ours = (node) => node.getSourceFile().fileName.startsWith(`${distDir}/`);

  const exported = [];
  const exportedDeclarations = new Set();
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const typeOnly = (symbol.declarations ?? []).some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent?.parent?.isTypeOnly));
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declarations = (target.declarations ?? []).filter(ours);
    for (const d of declarations) exportedDeclarations.add(d);
    const reexport = (symbol.declarations ?? []).find(
      (d) => ts.isExportSpecifier(d) && d.parent.parent.moduleSpecifier && !d.parent.parent.moduleSpecifier.text.startsWith('.'),
    );
    if (reexport && declarations.length === 0) {
      const from = reexport.parent.parent.moduleSpecifier.text;
      const original = reexport.propertyName ? ` (as \`${reexport.propertyName.text}\`)` : '';
      exported.push({ name: symbol.name, kind: `re-export from '${from}'${original}`, typeOnly, text: printer.printNode(ts.EmitHint.Unspecified, reexport.parent.parent, reexport.getSourceFile()).replace(/"/g, "'") });
      continue;
    }
    const kinds = [...new Set(declarations.map(kindOf))].sort((a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b));
    const localName = target.name;
    exported.push({
      name: symbol.name,
      kind: kinds.join(' + ') || 'unknown (no declaration in the package)',
      typeOnly,
      localName: localName !== symbol.name && localName !== 'default' ? localName : undefined,
      text: declarations.map(printDeclaration).join('\n'),
    });
  }
  exported.sort((a, b) => compare(a.name, b.name));

  // Declarations in our files that exports refer to but that are not exported themselves.
  const referenced = [];
  const imports = [];
  for (const file of program.getSourceFiles().filter((f) => f.fileName.startsWith(`${distDir}/`))) {
    for (const statement of file.statements) {
      if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) continue;
      if (ts.isImportDeclaration(statement)) {
        const from = statement.moduleSpecifier.text;
        if (!from.startsWith('.')) imports.push(printer.printNode(ts.EmitHint.Unspecified, statement, file).replace(/"/g, "'"));
        continue;
      }
      const declarations = ts.isVariableStatement(statement) ? statement.declarationList.declarations : [statement];
      for (const d of declarations) {
        if (!d.name || exportedDeclarations.has(d) || ts.isExportDeclaration(d) || ts.isExportAssignment(d)) continue;
        referenced.push({ name: d.name.getText(file), kind: kindOf(d), text: printDeclaration(d) });
      }
    }
  }
  referenced.sort((a, b) => compare(a.name, b.name) || compare(a.text, b.text));
  return { exported, referenced, imports: [...new Set(imports)].sort() };
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function render(api) {
  const counts = new Map();
  for (const e of api.exported) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const countText = [...counts]
    .sort((a, b) => KIND_ORDER.indexOf(a[0]) - KIND_ORDER.indexOf(b[0]) || compare(a[0], b[0]))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const lines = [
    `# API report: ${PACKAGE}`,
    '',
    `Generated by \`${UPDATE}\` from \`packages/core/dist/index.d.ts\` (the CommonJS declarations are checked to be the same).`,
    '`node scripts/api-report.mjs --check` fails when the built API differs from this file: review the diff, then',
    'regenerate it. Do not edit by hand.',
    '',
    `${api.exported.length} exports: ${countText}.`,
    '',
    '## Imports',
    '',
    '```ts',
    ...api.imports,
    '```',
    '',
    '## Exports',
    '',
    '| name | kind |',
    '| --- | --- |',
    ...api.exported.map((e) => `| \`${e.name}\` | ${e.kind}${e.typeOnly ? ' (type-only export)' : ''}${e.localName ? ` (declared as \`${e.localName}\`)` : ''} |`),
    '',
    '## Declarations',
    '',
  ];
  for (const e of api.exported) {
    lines.push(`### ${e.name} (${e.kind})`, '', '```ts', e.text, '```', '');
  }
  lines.push('## Referenced, not exported', '', 'Declarations the exports use without exporting them; a change here changes the API too.', '');
  for (const r of api.referenced) {
    lines.push(`### ${r.name} (${r.kind}, not exported)`, '', '```ts', r.text, '```', '');
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

/** `### name (kind)` -> block text, for a readable summary of what changed. */
function sections(markdown) {
  const map = new Map();
  for (const block of markdown.split(/^(?=### )/m).slice(1)) {
    const title = block.split('\n', 1)[0].slice(4);
    map.set(title.replace(/ \(.*$/, '') + (title.includes('not exported') ? ' (not exported)' : ''), block.split(/^## /m)[0].trim());
  }
  return map;
}

const api = extract(ENTRY);
const apiCjs = extract(ENTRY_CJS);
const report = render(api);

const cjsDiffers = render(apiCjs) !== report;
if (cjsDiffers) {
  const esmNames = new Set(api.exported.map((e) => e.name));
  const cjsNames = new Set(apiCjs.exported.map((e) => e.name));
  const onlyEsm = [...esmNames].filter((n) => !cjsNames.has(n));
  const onlyCjs = [...cjsNames].filter((n) => !esmNames.has(n));
  fail(
    `${rel(ENTRY_CJS)} declares a different API than ${rel(ENTRY)} (only ESM: ${onlyEsm.join(', ') || '-'}; only CJS: ${onlyCjs.join(', ') || '-'}): rebuild with \`pnpm --filter ${PACKAGE} build\``,
  );
}

if (!check) {
  mkdirSync(dirname(REPORT), { recursive: true });
  const before = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : undefined;
  writeFileSync(REPORT, report);
  console.log(
    `api-report: ${before === report ? 'unchanged' : 'wrote'} ${rel(REPORT)} (${api.exported.length} exports, ${api.referenced.length} referenced declarations)`,
  );
  process.exit(0);
}

if (!existsSync(REPORT)) fail(`${rel(REPORT)} does not exist: run \`${UPDATE}\` and commit it`);
const committed = readFileSync(REPORT, 'utf8').replace(/\r\n/g, '\n');
if (committed !== report) {
  const was = sections(committed);
  const now = sections(report);
  const added = [...now.keys()].filter((k) => !was.has(k));
  const removed = [...was.keys()].filter((k) => !now.has(k));
  const changed = [...now.keys()].filter((k) => was.has(k) && was.get(k) !== now.get(k));
  const detail = [
    added.length ? `  added:   ${added.join(', ')}` : '',
    removed.length ? `  removed: ${removed.join(', ')}` : '',
    changed.length ? `  changed: ${changed.join(', ')}` : '',
    !added.length && !removed.length && !changed.length ? '  (the summary or layout differs)' : '',
  ].filter(Boolean);
  fail(
    `the public API of ${PACKAGE} differs from ${rel(REPORT)}:\n${detail.join('\n')}\n` +
      `If the change is intended, run \`${UPDATE}\`, review \`git diff ${rel(REPORT)}\` and commit it (and add a changeset).`,
  );
}
console.log(`api-report: ${PACKAGE} public API matches ${rel(REPORT)} (${api.exported.length} exports)`);
