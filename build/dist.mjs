// `make install` (stamp .stamps/build): the compiled copy of src/ that bin/etl.js runs.
// 1. tsc (tsconfig.build.json) compiles src/ to dist/src/ with `.ts` imports rewritten to
//    `.js`; the .sql files are copied next to the DuckDB stages, and the generator's worker
//    entry imports the compiled worker instead of loading tsx.
// 2. The CommonJS packages loaded before an engine is ready are bundled, each into ONE
//    CommonJS file under dist/node_modules/ with V8's code cache (build/codeCache.cjs) and an
//    ES module entry for dist/src/ (Node resolves a package from the folder of the importing
//    file upwards, so dist/src/** finds these first and src/ under tsx never sees them).
//    Loading @duckdb/node-api's ~60 files cost more CPU than everything else before
//    "ready" (docs/engines.md, "Start-up"). The native addon stays in node_modules; the
//    library's own choice of addon file (platform, libc: detect-libc for DuckDB, Node's
//    diagnostic report for Polars, ~5-10 ms of CPU per run) is made here, once, by loading
//    the package, and the bundle requires that file.
// 3. The CLI itself is bundled from src/cli/runCli.ts into ONE CommonJS file,
//    dist/cli/main.cjs, that bin/etl.js (CommonJS too) runs with V8's code cache: no ES
//    module loader and no compile of the code that start-up runs. Each lazy import() of our
//    own code (an engine, the Iceberg writer, a command's action) stays lazy: esbuild wraps
//    the module in an init function that runs at the import(). Packages stay external except
//    commander and the ES-module-only ones (require() cannot load those in Node 20); the
//    three above are required from dist/node_modules/ through the code cache. `import.meta.url`
//    in a bundled module is rewritten to the URL of that module's tsc copy under dist/src/, so
//    the .sql files, worker entries and query folders it points at are found as before. The
//    cache is made by running the CLI up to "loading the engine" on a fixture: what every
//    `etl run` runs before its engine loads.
// 4. dist/.built lists every folder and file of src/, with the build's start time as its
//    mtime: bin/etl.js compares those (one stat each) to run dist/ only when it is current.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const require = createRequire(join(root, "package.json"));
// Taken before anything of src/ is read: a file edited while this runs is newer than the
// build (step 4).
const started = new Date();
const sourceList = [
  "src",
  ...readdirSync(join(root, "src"), { recursive: true })
    .map((p) => `src/${String(p).split("\\").join("/")}`)
    .sort(),
];

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

/** Package -> the file of it (or of a package it requires) that picks the native addon. */
const VENDORED = {
  "@duckdb/node-api": "node_modules/@duckdb/node-bindings/duckdb.js",
  "nodejs-polars": "node_modules/nodejs-polars/bin/native-polars.js",
  maxmind: null,
};
const loader = join(dist, "codeCache.cjs");
cpSync(join(root, "build", "codeCache.cjs"), loader);
/** Package -> { bundle, main }: what the CLI bundle requires for it (step 3). */
const vendoredFiles = {};
for (const [name, addonPicker] of Object.entries(VENDORED)) {
  const before = new Set(Object.keys(require.cache));
  const mod = require(name);
  const main = require.resolve(name);
  const addons = Object.keys(require.cache).filter((f) => f.endsWith(".node") && !before.has(f));
  if (addonPicker !== null && addons.length !== 1) {
    throw new Error(
      `${name}: expected one native addon to load, got ${addons.join(", ") || "none"}`,
    );
  }
  const names = Object.keys(mod).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
  const outdir = join(dist, "node_modules", name);
  mkdirSync(outdir, { recursive: true });
  const bundle = join(outdir, "bundle.cjs");
  // One CommonJS file; the addon file the package picked on this machine is required by
  // its absolute path (it stays in node_modules) ...
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
    external: ["*.node"],
    outfile: bundle,
    logLevel: "warning",
    plugins:
      addonPicker === null
        ? []
        : [
            {
              name: "native-addon-picked-at-build",
              setup(b) {
                // esbuild gives real paths (node_modules may be a link).
                const picker = realpathSync(join(root, addonPicker));
                b.onLoad({ filter: /\.js$/ }, (args) =>
                  args.path === picker
                    ? { contents: `module.exports = require(${JSON.stringify(addons[0])});\n` }
                    : undefined,
                );
              },
            },
          ],
  });
  if (addonPicker !== null && !readFileSync(bundle, "utf8").includes(JSON.stringify(addons[0]))) {
    throw new Error(`${name}: ${addonPicker} was not bundled: the addon choice was not replaced`);
  }
  // ... an ES module entry (for dist/src/) that runs it with V8's code cache and re-exports
  // its names; the default export is module.exports, as when Node imports a CommonJS package.
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
      "-e",
      `require(${JSON.stringify(loader)}).loadCommonJs(${JSON.stringify(bundle)}, ` +
        `${JSON.stringify(main)}, { writeCache: true });`,
    ],
    { stdio: "inherit" },
  );
  const version = require(`${name}/package.json`).version;
  writeFileSync(
    join(outdir, "package.json"),
    `${JSON.stringify({ name, version, type: "module", exports: { ".": "./index.mjs", "./package.json": "./package.json" } })}\n`,
  );
  vendoredFiles[name] = { bundle, main };
}

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
/** Bundled into the CLI: commander. */
const BUNDLED_PACKAGES = ["commander"];
/**
 * The packages require() cannot load in Node 20 (ES modules only): each is bundled into its
 * own CommonJS file under dist/cli/packages/, required by the CLI only where it is used (the
 * Iceberg commit, charts), so that start-up neither reads nor compiles them.
 */
const ES_MODULE_PACKAGES = Object.keys(pkg.dependencies).filter(
  (name) =>
    JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).type ===
    "module",
);
const cliDir = join(dist, "cli");
const cli = join(cliDir, "main.cjs");
const fromCli = (file) => JSON.stringify(relative(cliDir, file).split("\\").join("/"));
const esModulePackage = (name) => join(cliDir, "packages", `${name.replace(/[@/]/g, "_")}.cjs`);
/** The ES-module packages the CLI imports (set while it is bundled). */
const usedEsModulePackages = new Set();
await build({
  entryPoints: [join(root, "src/cli/runCli.ts")],
  outfile: cli,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // import() of a package becomes require(): the CLI runs in vm.Script (build/codeCache.cjs).
  supported: { "dynamic-import": false },
  external: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
    (name) =>
      !BUNDLED_PACKAGES.includes(name) && !ES_MODULE_PACKAGES.includes(name) && !(name in VENDORED),
  ),
  plugins: [
    {
      name: "es-module-packages-as-commonjs",
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          if (!ES_MODULE_PACKAGES.includes(args.path)) return undefined;
          usedEsModulePackages.add(args.path);
          return { path: args.path, namespace: "es-module-package" };
        });
        b.onLoad({ filter: /.*/, namespace: "es-module-package" }, (args) => ({
          contents:
            `const { join } = require("node:path");\n` +
            `module.exports = require(join(__dirname, ${fromCli(esModulePackage(args.path))}));\n`,
          loader: "js",
        }));
      },
    },
    {
      name: "vendored-packages-through-the-code-cache",
      setup(b) {
        const names = Object.keys(VENDORED);
        b.onResolve({ filter: /.*/ }, (args) =>
          names.includes(args.path) ? { path: args.path, namespace: "vendored" } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: "vendored" }, (args) => {
          const { bundle, main } = vendoredFiles[args.path];
          return {
            contents:
              `const { join } = require("node:path");\n` +
              `module.exports = require(join(__dirname, ${fromCli(loader)})).loadCommonJs(` +
              `join(__dirname, ${fromCli(bundle)}), ${JSON.stringify(main)});\n`,
            loader: "js",
          };
        });
      },
    },
    {
      name: "import-meta-url-of-the-tsc-copy",
      setup(b) {
        b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
          const text = readFileSync(args.path, "utf8");
          if (!text.includes("import.meta.url")) return undefined;
          const copy = join(dist, relative(root, args.path)).replace(/\.ts$/, ".js");
          // Own names for the helpers: the file may shadow `require` (createRequire).
          return {
            contents:
              `import { pathToFileURL as __etlFileUrl } from "node:url";\n` +
              `import { join as __etlJoin } from "node:path";\n` +
              text.replaceAll(
                "import.meta.url",
                `__etlFileUrl(__etlJoin(__dirname, ${fromCli(copy)})).href`,
              ),
            loader: "ts",
          };
        });
      },
    },
  ],
  logLevel: "warning",
});
for (const name of usedEsModulePackages) {
  await build({
    stdin: { contents: `export * from ${JSON.stringify(name)};\n`, resolveDir: root, loader: "js" },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: esModulePackage(name),
    logLevel: "warning",
  });
}
const bundled = readFileSync(cli, "utf8");
if (/\bimport\s*\(/.test(bundled.replace(/\/\/.*$/gm, ""))) {
  throw new Error(`${cli}: holds an import(), which vm.Script cannot run (build/codeCache.cjs)`);
}
// The CLI's cache: `etl run` on a fixture up to the line the harness logs before it loads the
// engine (the process exits there, before anything is written).
const scratch = mkdtempSync(join(tmpdir(), "etl-build-"));
try {
  execFileSync(
    process.execPath,
    [
      "-e",
      `const { loadCommonJs, writeCodeCache } = require(${JSON.stringify(loader)});\n` +
        `const write = process.stderr.write.bind(process.stderr);\n` +
        `process.stderr.write = (chunk, ...rest) => {\n` +
        `  if (String(chunk).includes("] loading the engine")) {\n` +
        `    writeCodeCache(${JSON.stringify(cli)});\n` +
        `    process.exit(0);\n` +
        `  }\n` +
        `  return write(chunk, ...rest);\n` +
        `};\n` +
        `loadCommonJs(${JSON.stringify(cli)}, ${JSON.stringify(cli)}).runCli([process.argv[0], "etl", ...process.argv.slice(1)])\n` +
        `  .then(() => { console.error("the CLI did not reach 'loading the engine'"); process.exit(1); });`,
      "run",
      "--engine",
      "duckdb",
      "--input",
      join(root, "tests", "fixtures", "golden", "input.csv"),
      "--warehouse",
      join(scratch, "warehouse"),
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
writeFileSync(join(dist, ".built"), `${sourceList.join("\n")}\n`);
utimesSync(join(dist, ".built"), started, started);
