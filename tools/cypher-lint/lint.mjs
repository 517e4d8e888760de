#!/usr/bin/env node
// Lints Cypher files with Neo4j's own linter, @neo4j-cypher/language-support.
//
//   node tools/cypher-lint/lint.mjs FILE...
//
// Prints ONE JSON array to stdout:
//   [{"file": "<as given>", "diagnostics": [
//       {"severity": "error"|"warning"|"information"|"hint",
//        "message": "...", "line": N, "column": N}]}]
// line and column are 1-based. The exit code is 0 whenever the run itself
// worked, whatever the diagnostics say (tests/test_cypher_lint.py decides);
// it is 1 if the linter cannot be loaded. No FILE at all prints [].
// Install the linter first: npm ci --prefix tools/cypher-lint
//
// API (version 2.0.0-next.20, see node_modules/@neo4j-cypher/language-support/
// src/syntaxValidation/syntaxValidation.ts):
//   lintCypherQuery(query: string, dbSchema: DbSchema,
//                   consoleCommandsEnabled?: boolean): SyntaxDiagnostic[]
// It is synchronous (no worker needed). A SyntaxDiagnostic is an LSP
// Diagnostic: {severity: 1..4, message, range: {start: {line, character}}}
// with 0-based positions. It accepts a whole file: it splits the input into
// statements on `;` itself and reports positions in the whole file, and it
// ignores `//` and `/* */` comments. Syntax errors, semantic errors
// (undefined variables, type errors, ...) and the Neo4j 5 deprecation and
// performance notifications are all reported; semantics follow CYPHER 5
// unless a statement starts with a `CYPHER 25` prefix.
//
// dbSchema: we lint without a database, so the schema is (almost) empty:
// - labels / relationshipTypes are left out: the "Label X is not present in
//   the database" warnings only run when BOTH lists are given, so leaving them
//   out disables that check (property keys are never checked).
// - functions / procedures are left out: the "Function/Procedure X is not
//   present in the database" errors and the deprecated-function/procedure
//   warnings that come from the schema only run when those registries are
//   given. Consequence: misspelt function or procedure names (and APOC/GDS
//   calls) are NOT caught; built-in deprecations such as id() still are,
//   because those come from the semantic analysis.
// - parameters: unlike the above, the linter ALWAYS reports
//   "Parameter $x is not defined." (severity error) for every parameter that
//   is not a key of dbSchema.parameters, even with an empty schema. Our
//   queries take all their values as $parameters, so for each file we declare
//   exactly the parameters the file uses (found with the package's own
//   parseParameters) with a placeholder value. Nothing is filtered out.
//
// Console commands (`:param`, `:use`) are rejected (consoleCommandsEnabled is
// false): the application sends the files through the driver, which does not
// understand them.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The package's ESM build uses extension-less relative imports that Node's
// ESM loader cannot resolve, so load its CommonJS bundle instead.
const require = createRequire(import.meta.url);

let lintCypherQuery;
let parseParameters;
try {
  ({ lintCypherQuery, parseParameters } = require('@neo4j-cypher/language-support'));
} catch (err) {
  process.stderr.write(
    `cypher-lint: cannot load @neo4j-cypher/language-support (${err.message}).\n` +
      'Run: npm ci --prefix tools/cypher-lint\n',
  );
  process.exit(1);
}

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function lintText(text) {
  const parameters = {};
  for (const name of parseParameters(text, false)) parameters[name] = null;
  const dbSchema = { parameters };
  return lintCypherQuery(text, dbSchema, false).map((d) => ({
    severity: SEVERITY[d.severity] ?? 'error',
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
  }));
}

const files = process.argv.slice(2);
if (files.includes('--help') || files.includes('-h')) {
  process.stdout.write('usage: node tools/cypher-lint/lint.mjs FILE...\n');
  process.exit(0);
}

const results = [];
for (const file of files) {
  let text;
  try {
    // Drop a UTF-8 byte order mark so that columns on line 1 stay right.
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    results.push({
      file,
      diagnostics: [{ severity: 'error', message: `cannot read file: ${err.message}`, line: 1, column: 1 }],
    });
    continue;
  }
  let diagnostics;
  try {
    diagnostics = lintText(text);
  } catch (err) {
    diagnostics = [{ severity: 'error', message: `linter crashed: ${err.stack ?? err}`, line: 1, column: 1 }];
  }
  results.push({ file, diagnostics });
}

process.stdout.write(JSON.stringify(results) + '\n');
