// Chart packaging: deterministic NAME-VERSION.tgz archives and their safe extraction.
export { packageChart, packageChartWithInfo, type PackageOptions, type PackagedChart } from "./package.js";
export { extractChartArchive, type ExtractOptions } from "./extract.js";
export { deterministicTgz, deterministicTar, type TarFile } from "./tarWriter.js";
