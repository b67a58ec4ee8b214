// `berth pull`: download a chart from a repository (or URL) into a folder, as an archive or
// unpacked. The archive is verified before the destination is touched, and written
// atomically, so a refused download leaves nothing behind.
import path from "node:path";
import { extractChartArchive } from "../charts/package/index.js";
import { writeFileAtomic } from "./fsutil.js";
import { fetchChart, type ResolveOptions } from "./resolve.js";

export interface PullOptions extends ResolveOptions {
  /** Folder to write into; default the current folder. */
  destination?: string;
  /** Unpack into DESTINATION/NAME instead of writing the archive. */
  untar?: boolean;
}

export interface PullResult {
  name: string;
  version: string;
  /** The archive written, or the folder unpacked. */
  path: string;
}

export async function pullChart(ref: string, options: PullOptions = {}): Promise<PullResult> {
  const download = await fetchChart(ref, options);
  const destination = options.destination ?? process.cwd();
  const { name, version } = download.chart.metadata;
  if (options.untar) {
    const dir = await extractChartArchive(download.data, destination, { source: download.fileName });
    return { name, version, path: dir };
  }
  const target = path.join(destination, download.fileName);
  await writeFileAtomic(target, download.data);
  return { name, version, path: target };
}
