export { buildCostModel, defaultOptions, type CostModel } from "./buildCostModel.ts";
export { findCrossovers, type Crossover, type EngineCrossovers } from "./crossovers.ts";
export { fitEngine, jobSeconds, peakBytes, type EngineFit } from "./fitScaling.ts";
export { decisionFlowchart } from "./flowchart.ts";
export * from "./format.ts";
export { readBenchRows, summariseCells, type MeasuredCell } from "./measuredCells.ts";
export { findInstance, loadPriceTable, type PriceTable } from "./PriceTable.ts";
export {
  configs,
  engineModels,
  estimate,
  priceMeasured,
  projectAll,
  type ModelOptions,
  type ProjectedPoint,
} from "./project.ts";
export { runCost } from "./runCost.ts";
