// Entry point of `make golden` (mk/rules.mk): regenerates input.parquet and expected/*.csv
// of tests/fixtures/golden from input.csv with the reference pipeline and the default
// IP database (or ETL_GEO_DB). The output must then be reviewed by eye (README there).
import { join } from "node:path";
import { loadSettings, projectRoot } from "../config/settings.ts";
import { GeoDb } from "../geo/GeoDb.ts";
import { writeGolden } from "./writeGolden.ts";

const dir = process.argv[2] ?? join(projectRoot, "tests", "fixtures", "golden");
const geo = GeoDb.open(loadSettings().geoDb);
const counts = await writeGolden(dir, geo);
console.error(
  `golden: ${dir} with ${geo.info.path} (built ${geo.info.buildDate}): ${JSON.stringify(counts)}`,
);
