/**
 * The layers of docs/architecture.md, enforced by `make lint` (pre-commit hook "layers").
 * An area may import from its own folder and from the layers below it, never from a layer above
 * and never from a sibling area of its own layer unless the pair is listed in SIBLINGS.
 */
const LAYERS = [
  ["cli"], // commands: parse flags, call one use case, print
  ["harness", "report", "bench"], // use cases: run a pipeline, compare, benchmark, render
  ["engines", "iceberg", "verify", "reference", "generator"], // engines and libraries
  ["env", "spark"], // the toolchain and the Spark install/cluster the Spark engine launches
  ["lakehouse", "spec", "input"], // the app's tables, rules and input checks (pure)
  ["geo", "profile", "parquet"], // leaf utilities
  ["config"], // typed settings: imports nothing of ours
];

/** Same-layer imports that are allowed, each with its reason (docs/architecture.md). */
const SIBLINGS = [
  // the golden expected files are written in the canonical form
  ["reference", "verify"],
  // a run table renders the harness's one declared result schema
  ["report", "harness"],
  // benchmark rows carry the harness's run summary
  ["bench", "harness"],
];

const pathOf = (area) => (area === "bench" ? "^bench/" : `^src/${area}/`);
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
      name: "iceberg-generic",
      comment:
        "src/iceberg is a generic Iceberg library: schemas and partition specs come in as arguments, it knows no app table, rule or engine",
      severity: "error",
      from: { path: "^src/iceberg/" },
      to: { path: "^src/", pathNot: "^src/(iceberg|parquet|config)/" },
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
