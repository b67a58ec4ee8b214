// The values half of the chart engine: user values from files and the --set family, Helm's
// coalescing over chart defaults, dependency processing, and schema validation.
export { parseSet, parseSetInto, typedValue, type SetFlag, type SetParseOptions } from "./setParser.js";
export { parseValuesYaml, readValuesFile, type ParseValuesOptions, type ReadValuesFileOptions } from "./valuesFile.js";
export { readUserValues, type ReadUserValuesOptions, type ValueOverride } from "./userValues.js";
export { coalesceTables, coalesceValues, GLOBAL_KEY, type CoalesceOptions } from "./coalesce.js";
export { dependencyName, isCompatibleVersion, processDependencies, type ProcessedDependencies } from "./dependencies.js";
export { schemaViolations, validateValues, type SchemaViolation } from "./schema.js";
export { prepareValues, type PreparedValues } from "./prepare.js";
export { mergeMaps, pathValue } from "./tree.js";
