// `make install` (stamp .stamps/build): the compiled copy of src/ that bin/etl.js runs.
// 1. tsc (tsconfig.build.json) compiles src/ to dist/src/ with `.ts` imports rewritten to
//    `.js`; the .sql files are copied next to the DuckDB stages, and the generator's worker
//    entry imports the compiled worker instead of loading tsx.
// 2. The CommonJS packages loaded before an engine is ready are bundled, each into ONE
//    ES module under dist/node_modules/ (esbuild; their native addons stay external and load
//    from node_modules as before). Node resolves a package from the folder of the importing
//    file upwards, so dist/src/** finds these first and src/ under tsx never sees them.
//    Loading @duckdb/node-api's ~60 files cost more CPU than everything else before
//    "ready" (docs/engines.md, "Start-up").
// 3. The CLI itself is bundled from src/cli/main.ts into dist/cli/ (esbuild, ES modules with
//    code splitting): main.js holds the CLI and every command's `register`, and each lazy
//    import() (an engine, the Iceberg writer, a command's action) becomes a chunk loaded only
//    when it runs, so start-up reads a few files instead of ~60. Packages stay external
//    (the three above resolve to dist/node_modules/) except commander. `import.meta.url` in
//    a bundled module is rewritten to the URL of that module's tsc copy under dist/src/, so
//    the .sql files, worker entries and query folders it points at are found as before.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const require = createRequire(join(root, "package.json"));

rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")],
  { stdio: "inherit" },
);
for (const file of readdirSync(join(root, "src"), { recursive: true })) {
  if (String(file).endsWith(".sql")) cpSync(join(root, "src", file), join(dist, "src", file));
}
for (const worker of ["generator/chunkWorker", "profile/samplerWorker"]) {
  writeFileSync(
    join(dist, `src/${worker}.mjs`),
    `// Worker entry of the compiled copy: no TypeScript loader needed.\nawait import("./${worker.split("/")[1]}.js");\n`,
  );
}

/** Package -> its native addon packages, left external. */
const VENDORED = {
  "@duckdb/node-api": ["@duckdb/node-bindings"],
  "nodejs-polars": ["nodejs-polars-*"],
  maxmind: [],
};
const loader = join(dist, "codeCache.mjs");
cpSync(join(root, "build", "codeCache.mjs"), loader);
for (const [name, external] of Object.entries(VENDORED)) {
  const mod = require(name);
  const main = require.resolve(name);
  const names = Object.keys(mod).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
  const outdir = join(dist, "node_modules", name);
  mkdirSync(outdir, { recursive: true });
  // One CommonJS file (native addons external: they are required from the package's own
  // folder, see build/codeCache.mjs) ...
  await build({
    stdin: {
      contents: `module.exports = require(${JSON.stringify(name)});\n`,
      resolveDir: root,
      loader: "js",
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external,
    outfile: join(outdir, "bundle.cjs"),
    logLevel: "warning",
  });
  // ... and an ES module entry that runs it with V8's code cache and re-exports its names.
  // The default export is module.exports, as when Node imports a CommonJS package.
  const entry = join(outdir, "index.mjs");
  const args = `new URL("./bundle.cjs", import.meta.url), ${JSON.stringify(pathToFileURL(main).href)}`;
  writeFileSync(
    entry,
    `import { loadCommonJs } from ${JSON.stringify(pathToFileURL(loader).href)};\n` +
      `const m = loadCommonJs(${args});\nexport default m;\n` +
      (names.length > 0 ? `export const { ${names.join(", ")} } = m;\n` : ""),
  );
  // The cache: made by running the bundle once in a fresh process (it holds the functions
  // that ran, which is what start-up runs).
  execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { loadCommonJs } from ${JSON.stringify(pathToFileURL(loader).href)};\n` +
        `loadCommonJs(new URL(${JSON.stringify(pathToFileURL(join(outdir, "bundle.cjs")).href)}), ` +
        `${JSON.stringify(pathToFileURL(main).href)}, { writeCache: true });`,
    ],
    { stdio: "inherit" },
  );
  const version = require(`${name}/package.json`).version;
  writeFileSync(
    join(outdir, "package.json"),
    `${JSON.stringify({ name, version, type: "module", exports: { ".": "./index.mjs", "./package.json": "./package.json" } })}\n`,
  );
}

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const BUNDLED_PACKAGES = ["commander"];
const cliDir = join(dist, "cli");
await build({
  entryPoints: { main: join(root, "src/cli/main.ts") },
  outdir: cliDir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "chunk-[hash]",
  external: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
    (name) => !BUNDLED_PACKAGES.includes(name),
  ),
  // commander is CommonJS: its bundled require() calls of Node built-ins need a require.
  banner: {
    js: 'import { createRequire as __etlRequire } from "node:module"; const require = __etlRequire(import.meta.url);',
  },
  plugins: [
    {
      name: "import-meta-url-of-the-tsc-copy",
      setup(b) {
        b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
          const text = readFileSync(args.path, "utf8");
          if (!text.includes("import.meta.url")) return undefined;
          const copy = join(dist, relative(root, args.path)).replace(/\.ts$/, ".js");
          const rel = relative(cliDir, copy).split("\\").join("/");
          return {
            contents: text.replaceAll(
              "import.meta.url",
              `new URL(${JSON.stringify(rel)}, import.meta.url).href`,
            ),
            loader: "ts",
          };
        });
      },
    },
  ],
  logLevel: "warning",
});
writeFileSync(join(dist, ".built"), "");
