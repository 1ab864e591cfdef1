// Imports a TypeScript ES module (and the relative modules it imports) from a
// Node script without a build step: each file is transpiled with the project's
// `typescript` package into a temporary directory that mirrors the repo, then
// loaded with a dynamic import. Only for generators; the product uses tsc.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/**
 * @param {string} root  repository root
 * @param {string} file  path of the .ts entry, relative to root
 * @returns {Promise<Record<string, unknown>>} the module namespace
 */
export async function importTs(root, file) {
  const out = mkdtempSync(join(tmpdir(), 'wasmdis-ts-'));
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  const seen = new Set();
  const queue = [resolve(root, file)];
  while (queue.length > 0) {
    const src = queue.pop();
    if (seen.has(src)) continue;
    seen.add(src);
    const text = readFileSync(src, 'utf8');
    for (const imp of ts.preProcessFile(text, true, true).importedFiles) {
      if (!imp.fileName.startsWith('.')) continue;
      const target = resolve(dirname(src), imp.fileName.replace(/\.js$/, '.ts'));
      if (existsSync(target)) queue.push(target);
    }
    const js = ts.transpileModule(text, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: src,
    }).outputText;
    const dest = join(out, relative(root, src)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, js);
  }
  try {
    return await import(pathToFileURL(join(out, file.replace(/\.ts$/, '.js'))).href);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
