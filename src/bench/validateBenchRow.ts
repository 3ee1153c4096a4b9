import { Ajv } from "ajv";
import type { BenchRow } from "./BenchRow.ts";
import schema from "./benchRow.schema.json" with { type: "json" };

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const check = ajv.compile(schema);

/** Throws naming the row and every rule it breaks when `row` is not a valid BenchRow. */
export function validateBenchRow(row: unknown, where = "row"): asserts row is BenchRow {
  if (!check(row)) {
    const errs = (check.errors ?? [])
      .map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}`)
      .join("; ");
    throw new Error(`${where} does not match src/bench/benchRow.schema.json: ${errs}`);
  }
}

export { schema as benchRowSchema };
