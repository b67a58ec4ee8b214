import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addRepository, loadCachedIndex, removeRepository, updateRepositories } from "../../repo/client.js";
import { cachedIndexFile, repositoriesFile, repoPaths } from "../../repo/paths.js";
import { loadRepositories } from "../../repo/repositories.js";
import { fetchChart, resolveChart } from "../../repo/resolve.js";
import { pullChart } from "../../repo/pull.js";
import { makeTempDir } from "../helpers/tmp.js";
import { packageSpec, serveCharts, snapshot, tempRepoPaths, unreachableUrl, type ServedRepo } from "./fixtures.js";

let repo: ServedRepo;
let locked: ServedRepo;
beforeAll(async () => {
  repo = await serveCharts([
    { name: "web", version: "1.0.0" },
    { name: "web", version: "1.1.0" },
  ]);
  locked = await serveCharts([{ name: "api", version: "0.1.0" }], { auth: { username: "ci", password: "pw" } });
});
afterAll(async () => {
  await repo.server.close();
  await locked.server.close();
});

describe("repoPaths", () => {
  it("uses BERTH_*_HOME, else XDG homes, as Helm does", () => {
    expect(repoPaths({ BERTH_CONFIG_HOME: "/c", BERTH_CACHE_HOME: "/k" })).toEqual({ configHome: "/c", cacheHome: "/k" });
    expect(repoPaths({ XDG_CONFIG_HOME: "/x", XDG_CACHE_HOME: "/y" })).toEqual({ configHome: "/x/berth", cacheHome: "/y/berth" });
  });
});

describe("repo add / update / remove", () => {
  it("adds after fetching the index; caches it; stores credentials 0600", async () => {
    const paths = await tempRepoPaths();
    expect(await addRepository({ name: "main", url: repo.url }, { paths })).toBe("added");
    expect(await addRepository({ name: "main", url: repo.url }, { paths })).toBe("unchanged");
    expect((await loadCachedIndex("main", { paths })).entries.get("web")?.[0]?.version).toBe("1.1.0");
    expect(await addRepository({ name: "private", url: locked.url, username: "ci", password: "pw" }, { paths })).toBe("added");
    expect((await stat(repositoriesFile(paths))).mode & 0o777).toBe(0o600);
    expect((await loadRepositories(paths)).repositories.map((r) => r.name)).toEqual(["main", "private"]);
  });

  it("refuses a name taken by another URL unless --force-update", async () => {
    const paths = await tempRepoPaths();
    await addRepository({ name: "main", url: repo.url }, { paths });
    await expect(addRepository({ name: "main", url: locked.url }, { paths })).rejects.toThrow(/already exists/);
    await expect(addRepository({ name: "main", url: locked.url, username: "ci", password: "pw" }, { paths, forceUpdate: true })).resolves.toBe("replaced");
  });

  let closed = "";
  beforeAll(async () => {
    closed = await unreachableUrl();
  });
  const failures: [string, () => string, RegExp][] = [
    ["unreachable", () => closed, /unreachable: .*ECONNREFUSED/],
    ["no index", () => new URL("nothing/", repo.url).toString(), /HTTP 404/],
    ["wrong credentials", () => locked.url, /HTTP 401/],
    ["not http", () => "ftp://example.com/", /only http/],
  ];
  it.each(failures)("saves nothing when the repository is %s", async (_name, url, message) => {
    const paths = await tempRepoPaths();
    await expect(addRepository({ name: "x", url: url() }, { paths })).rejects.toThrow(message);
    expect(await snapshot(paths.configHome)).toEqual(new Map());
    expect(await snapshot(paths.cacheHome)).toEqual(new Map());
  });

  it("a failed update keeps the cached index byte-identical", async () => {
    const paths = await tempRepoPaths();
    const served = await serveCharts([{ name: "web", version: "1.0.0" }]);
    await addRepository({ name: "flaky", url: served.url }, { paths });
    const before = await snapshot(paths.cacheHome);
    await writeFile(path.join(served.dir, "index.yaml"), "apiVersion: v1\nentries: [broken\n");
    const [result] = await updateRepositories(["flaky"], { paths });
    expect(result?.error).toMatch(/malformed index/);
    expect(await snapshot(paths.cacheHome)).toEqual(before);
    await served.server.close();
    await expect(updateRepositories(["nope"], { paths })).rejects.toThrow(/no repository named "nope"/);
  });

  it("remove drops the entry and its cached index", async () => {
    const paths = await tempRepoPaths();
    await addRepository({ name: "main", url: repo.url }, { paths });
    await removeRepository("main", { paths });
    expect((await loadRepositories(paths)).repositories).toEqual([]);
    await expect(stat(cachedIndexFile(paths, "main"))).rejects.toThrow();
    await expect(removeRepository("main", { paths })).rejects.toThrow(/no repository named "main"/);
  });
});

describe("resolving and pulling charts", () => {
  it("resolves REPO/CHART with a constraint to a verified cached archive, with credentials", async () => {
    const paths = await tempRepoPaths();
    await addRepository({ name: "main", url: repo.url }, { paths });
    await addRepository({ name: "private", url: locked.url, username: "ci", password: "pw" }, { paths });
    const resolved = await resolveChart("main/web", { version: "~1.0", paths });
    expect(resolved.kind).toBe("repository");
    expect(resolved.download?.chart.metadata.version).toBe("1.0.0");
    expect((await readFile(resolved.path)).equals(resolved.download?.data ?? Buffer.alloc(0))).toBe(true);
    expect((await fetchChart("private/api", { paths })).chart.metadata.name).toBe("api");
    const byUrl = await fetchChart(new URL("web-1.1.0.tgz", repo.url).toString(), { paths });
    expect(byUrl.fileName).toBe("web-1.1.0.tgz");
  });

  it("names what is missing: unknown repo, unknown chart, unsatisfiable range, bad range", async () => {
    const paths = await tempRepoPaths();
    await addRepository({ name: "main", url: repo.url }, { paths });
    await expect(resolveChart("nope/web", { paths })).rejects.toThrow(/no repository named "nope"/);
    await expect(resolveChart("main/db", { paths })).rejects.toThrow(/chart "db" not found in repository "main"/);
    await expect(resolveChart("main/web", { version: "^2", paths })).rejects.toThrow(/chart "web" version "\^2" not found/);
    await expect(resolveChart("main/web", { version: "nonsense!", paths })).rejects.toThrow(/not a valid version constraint/);
  });

  it("refuses a tampered archive and writes nothing, to the cache or the destination", async () => {
    const paths = await tempRepoPaths();
    const served = await serveCharts([{ name: "web", version: "1.0.0" }]);
    await addRepository({ name: "t", url: served.url }, { paths });
    // Same name and version, different bytes: only the digest can tell.
    await packageSpec({ name: "web", version: "1.0.0", description: "tampered" }, served.dir);
    const dest = await makeTempDir();
    const cacheBefore = await snapshot(paths.cacheHome);
    await expect(pullChart("t/web", { paths, destination: dest })).rejects.toThrow(/digest mismatch/);
    await expect(pullChart("t/web", { paths, destination: dest, untar: true })).rejects.toThrow(/digest mismatch/);
    await expect(fetchChart(new URL("web-1.0.0.tgz", served.url).toString(), { paths })).rejects.toThrow(/digest mismatch/);
    expect(await snapshot(dest)).toEqual(new Map());
    expect(await snapshot(paths.cacheHome)).toEqual(cacheBefore);
    await served.server.close();
  });

  it("pulls an archive, or unpacks it with --untar", async () => {
    const paths = await tempRepoPaths();
    await addRepository({ name: "main", url: repo.url }, { paths });
    const dest = await makeTempDir();
    expect((await pullChart("main/web", { paths, destination: dest })).path).toBe(path.join(dest, "web-1.1.0.tgz"));
    const unpacked = await pullChart("main/web", { paths, destination: dest, untar: true, version: "1.0.0" });
    expect(await readFile(path.join(unpacked.path, "Chart.yaml"), "utf8")).toContain("version: 1.0.0");
  });
});

describe("the parsed index cache beside NAME-index.yaml", () => {
  const jsonFile = (paths: ReturnType<typeof repoPaths>) => cachedIndexFile(paths, "main").replace(/\.yaml$/, ".json");

  it("is written on add, used while it matches the YAML, ignored when it does not, removed with the repo", async () => {
    const paths = await tempRepoPaths();
    await addRepository({ name: "main", url: repo.url }, { paths });
    const cache = JSON.parse(await readFile(jsonFile(paths), "utf8")) as { sha256: string; document: { entries: Record<string, unknown[]> } };
    expect(cache.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(cache.document.entries)).toEqual(["web"]);

    // A cache whose hash matches is what loading reads (here: edited to show through).
    const edited = structuredClone(cache);
    edited.document.entries = { only: (cache.document.entries.web ?? []).map((v) => ({ ...(v as object), name: "only" })) };
    await writeFile(jsonFile(paths), JSON.stringify(edited));
    expect([...(await loadCachedIndex("main", { paths })).entries.keys()]).toEqual(["only"]);

    // A cache that does not match the YAML bytes (stale, tampered) is ignored.
    await writeFile(jsonFile(paths), JSON.stringify({ ...edited, sha256: "0".repeat(64) }));
    expect([...(await loadCachedIndex("main", { paths })).entries.keys()]).toEqual(["web"]);

    await removeRepository("main", { paths });
    await expect(stat(jsonFile(paths))).rejects.toThrow();
  });
});
