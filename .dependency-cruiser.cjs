/**
 * The layers of docs/architecture.md, enforced by `make lint` (pre-commit hook "layers").
 * An area may import from its own folder and from the layers below it, never from a layer above
 * and never from a sibling area of its own layer unless the pair is listed in SIBLINGS.
 */
const LAYERS = [
  ["cli", "notebook"], // commands: parse flags, call one use case, print; the notebooks' API
  ["report"], // renders runs, benchmarks, costs and charts into tables, slides and the report
  ["charts"], // figures of the cost model and the profiles
  ["cost"], // the cost model fitted to benchmark rows
  ["harness", "bench", "analytics"], // use cases: run a pipeline, run a matrix, answer questions
  ["engines", "iceberg", "verify", "reference", "generator"], // engines and libraries
  ["env", "spark"], // the toolchain and the Spark install/cluster the Spark engine launches
  ["lakehouse", "spec", "input"], // the app's tables, rules and input checks (pure)
  ["geo", "profile", "parquet", "schema"], // leaf utilities and the table-definition types
  ["config"], // typed settings: imports nothing of ours
];

/** Same-layer imports that are allowed, each with its reason (docs/architecture.md). */
const SIBLINGS = [
  // the golden expected files are written in the canonical form
  ["reference", "verify"],
  // table fingerprints read the committed tables through the Iceberg reader
  ["verify", "iceberg"],
];

// bench/ (scripts behind make targets) and src/bench/ (the matrix runner) are one area.
const pathOf = (area) => (area === "bench" ? "^(src/)?bench/" : `^src/${area}/`);
const anyOf = (areas) => `(${areas.map(pathOf).join("|")})`;

const upward = LAYERS.slice(1).map((layer, i) => ({
  name: `layer-${layer.join("-")}`,
  comment: `${layer.join(", ")} may not import from a layer above (${LAYERS.slice(0, i + 1)
    .flat()
    .join(", ")}); see docs/architecture.md`,
  severity: "error",
  from: { path: anyOf(layer) },
  to: { path: anyOf(LAYERS.slice(0, i + 1).flat()) },
}));

const siblings = LAYERS.flatMap((layer) =>
  layer.flatMap((from) =>
    layer
      .filter((to) => to !== from && !SIBLINGS.some(([a, b]) => a === from && b === to))
      .map((to) => ({
        name: `sibling-${from}-${to}`,
        comment: `${from} and ${to} are siblings of one layer and do not import each other; see docs/architecture.md`,
        severity: "error",
        from: { path: pathOf(from) },
        to: { path: pathOf(to) },
      })),
  ),
);

module.exports = {
  forbidden: [
    ...upward,
    ...siblings,
    {
      name: "every-folder-in-a-layer",
      comment:
        "every folder of src/ belongs to a layer: add it to LAYERS in .dependency-cruiser.cjs and to docs/architecture.md",
      severity: "error",
      from: { path: "^src/", pathNot: anyOf(LAYERS.flat()) },
      to: {},
    },
    {
      name: "iceberg-generic",
      comment:
        "src/iceberg is a generic Iceberg library: schemas and partition specs come in as arguments, it knows no app table, rule or engine",
      severity: "error",
      from: { path: "^src/iceberg/" },
      to: { path: "^src/", pathNot: "^src/(iceberg|parquet|schema|config)/" },
    },
    {
      name: "no-circular",
      comment: "modules do not import each other, directly or through others",
      severity: "error",
      from: { path: "^(src|bench)/" },
      to: { circular: true },
    },
    {
      name: "src-not-tests",
      comment: "application code never imports tests or benchmark scripts",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(tests|bench)/" },
    },
    {
      name: "no-unresolvable",
      comment: "an import that resolves to nothing",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // type-only imports are dependencies too: a layer may not know an upper layer's types
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      extensions: [".ts", ".js", ".mjs", ".json"],
      conditionNames: ["import", "node", "default"],
      exportsFields: ["exports"],
    },
  },
};
