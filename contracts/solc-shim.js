#!/usr/bin/env node
// solc-shim.js: a stand-in for a native `solc` binary, backed by solc-js (the
// pinned npm package). forge only needs two things from a compiler binary:
//   solc --version              -> prints a native-looking version line
//   solc --standard-json [...]  -> compiles the standard-JSON input on stdin
// Imports missing from the input are read from disk relative to --base-path,
// each --include-path and the current directory.
'use strict';

const fs = require('fs');
const path = require('path');
const solc = require('solc');

const args = process.argv.slice(2);

if (args.includes('--version') || args.includes('-v')) {
  // solc-js reports "<ver>+commit.<hash>.Emscripten.clang"; forge parses the
  // last line for a semver, so report it like the native binary does.
  const long = solc.version().replace(/\.Emscripten\.clang$/, '.Linux.g++');
  process.stdout.write('solc, the solidity compiler commandline interface\nVersion: ' + long + '\n');
  process.exit(0);
}

if (!args.includes('--standard-json')) {
  process.stderr.write('solc-shim: only --version and --standard-json are supported\n');
  process.exit(2);
}

const roots = [];
for (let i = 0; i < args.length; i++) {
  if ((args[i] === '--base-path' || args[i] === '--include-path') && i + 1 < args.length) {
    roots.push(args[++i]);
  }
}
roots.push(process.cwd());

function findImport(p) {
  const candidates = path.isAbsolute(p) ? [p] : roots.map((r) => path.resolve(r, p));
  for (const c of candidates) {
    try {
      return { contents: fs.readFileSync(c, 'utf8') };
    } catch (_) {
      // try the next root
    }
  }
  return { error: 'File not found: ' + p };
}

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const input = Buffer.concat(chunks).toString('utf8');
  const output = solc.compile(input, { import: findImport });
  process.stdout.write(output);
});
