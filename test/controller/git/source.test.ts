import { access, lstat, readFile, stat, symlink } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import { GitError } from "../../../core/errors.js";
import { createGitSource, type GitSource, type RepoChange } from "../../../controller/git/index.js";
import { makeTempDir, removeTempDirs } from "../../helpers/tmp.js";
import { makeRepo } from "./fixtures.js";

const sources: GitSource[] = [];

async function newSource(options: { clock?: FakeClock; watchLocal?: boolean } = {}) {
  const fetches: string[] = [];
  const clock = options.clock ?? new FakeClock(0);
  const source = createGitSource({
    cacheDir: await makeTempDir("berth-git-cache-"),
    clock,
    watchLocal: options.watchLocal ?? false,
    onFetch: (e) => fetches.push(e.repoURL),
  });
  sources.push(source);
  const changes: RepoChange[] = [];
  source.onChange((c) => changes.push(c));
  return { source, clock, fetches, changes };
}

afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.close()));
  await removeTempDirs();
});

describe("resolve", () => {
  it("resolves a branch, a tag, full and short shas and HEAD, with commit details", async () => {
    const repo = await makeRepo({ "a.txt": "one\n" });
    const first = repo.head();
    repo.git("tag", "-a", "v1", "-m", "release one");
    const second = repo.commit({ "a.txt": "two\n" }, "second change\n\nwith a body");
    const { source } = await newSource();

    const main = await source.resolve(repo.dir, "main");
    expect(main).toMatchObject({ sha: second, author: "Test Author <author@example.com>", message: "second change\n\nwith a body" });
    expect(Number.isNaN(Date.parse(main.time))).toBe(false);
    expect((await source.resolve(repo.dir, "v1")).sha).toBe(first);
    expect((await source.resolve(repo.dir, first)).sha).toBe(first);
    expect((await source.resolve(repo.dir, first.slice(0, 8))).sha).toBe(first);
    expect((await source.resolve(repo.dir, "HEAD")).sha).toBe(second);
    expect((await source.resolve(pathToFileURL(repo.dir).href, "main")).sha).toBe(second);
  });

  it("names the repository and revision for unknown revisions, repositories and bad input", async () => {
    const repo = await makeRepo();
    const { source } = await newSource();
    const unknownRev = await source.resolve(repo.dir, "no-such-branch").catch((e: unknown) => e);
    expect(unknownRev).toBeInstanceOf(GitError);
    expect(unknownRev).toMatchObject({ reason: "unknown-revision", revision: "no-such-branch" });
    expect(String((unknownRev as GitError).message)).toContain(repo.dir);

    const missing = path.join(repo.dir, "..", "nowhere");
    await expect(source.resolve(missing, "main")).rejects.toMatchObject({ reason: "unknown-repo" });
    await expect(source.resolve(repo.dir, "--upload-pack=evil")).rejects.toMatchObject({ reason: "invalid" });
    await expect(source.resolve(repo.dir, "main..other")).rejects.toMatchObject({ reason: "invalid" });
    await expect(source.resolve("http://127.0.0.1:1/none.git", "main")).rejects.toMatchObject({ reason: "unreachable" });
  });

  it("shares one fetch between concurrent resolves of the same repository", async () => {
    const repo = await makeRepo();
    const { source, fetches } = await newSource();
    const [a, b, c] = await Promise.all([
      source.resolve(repo.dir, "main"),
      source.resolve(repo.dir, "main"),
      source.resolve(pathToFileURL(repo.dir).href, "HEAD"),
    ]);
    expect(a.sha).toBe(b.sha);
    expect(c.sha).toBe(a.sha);
    expect(fetches).toHaveLength(1);
    // A full sha already in the mirror needs no fetch at all.
    await source.resolve(repo.dir, a.sha);
    expect(fetches).toHaveLength(1);
  });

  it("sees new commits and deleted branches on the next resolve", async () => {
    const repo = await makeRepo();
    repo.git("branch", "feature");
    const { source } = await newSource();
    await source.resolve(repo.dir, "feature");
    const next = repo.commit({ "b.txt": "b\n" }, "next");
    expect((await source.resolve(repo.dir, "main")).sha).toBe(next);
    repo.git("branch", "-D", "feature");
    await expect(source.resolve(repo.dir, "feature")).rejects.toMatchObject({ reason: "unknown-revision" });
  });
});

describe("checkout and log", () => {
  it("materialises a commit's tree once, read-only, and lists history newest first", async () => {
    const repo = await makeRepo({ "chart/Chart.yaml": "name: demo\n", "chart/values.yaml": "replicas: 1\n" });
    const first = repo.head();
    const second = repo.commit({ "chart/values.yaml": "replicas: 3\n", "chart/extra.yaml": "x: 1\n" }, "scale up");
    const { source } = await newSource();
    await source.resolve(repo.dir, "main");

    const dir1 = await source.checkout(repo.dir, first);
    const dir2 = await source.checkout(repo.dir, second);
    expect(await readFile(path.join(dir1, "chart/values.yaml"), "utf8")).toBe("replicas: 1\n");
    expect(await readFile(path.join(dir2, "chart/values.yaml"), "utf8")).toBe("replicas: 3\n");
    await expect(access(path.join(dir1, "chart/extra.yaml"))).rejects.toThrow();
    expect(await source.checkout(repo.dir, second)).toBe(dir2);
    // Mode bits, not a write attempt: tests may run as root, which ignores them.
    expect((await stat(path.join(dir2, "chart/values.yaml"))).mode & 0o222).toBe(0);
    expect((await stat(path.join(dir2, "chart"))).mode & 0o222).toBe(0);

    const log = await source.log(repo.dir, second);
    expect(log.map((c) => c.sha)).toEqual([second, first]);
    expect(log[0].message).toBe("scale up");
    expect(await source.log(repo.dir, second, { max: 1 })).toHaveLength(1);
  });

  it("evicts least recently used trees past the size cap, sparing recently used ones", async () => {
    const repo = await makeRepo({ "a.txt": "x".repeat(1000) });
    const first = repo.head();
    const second = repo.commit({ "a.txt": "y".repeat(1000) }, "second");
    const third = repo.commit({ "a.txt": "z".repeat(1000) }, "third");
    const clock = new FakeClock(0);
    const source = createGitSource({ cacheDir: await makeTempDir("berth-git-cache-"), clock, watchLocal: false, maxTreeBytes: 2500, treeGraceMs: 1000 });
    sources.push(source);
    const dir1 = await source.checkout(repo.dir, first);
    clock.advance(2000);
    const dir2 = await source.checkout(repo.dir, second);
    const dir3 = await source.checkout(repo.dir, third);
    await expect(access(dir1)).rejects.toThrow();
    await access(dir2);
    await access(dir3);
    expect(await source.checkout(repo.dir, first)).toBe(dir1);
    expect(await readFile(path.join(dir1, "a.txt"), "utf8")).toBe("x".repeat(1000));
  });

  it("drops symlinks that point outside the tree", async () => {
    const repo = await makeRepo({ "ok.txt": "ok\n" });
    await symlink("/etc/passwd", path.join(repo.dir, "leak.txt"));
    await symlink("ok.txt", path.join(repo.dir, "inside.txt"));
    const sha = repo.commit({}, "links");
    const { source } = await newSource();
    const dir = await source.checkout(repo.dir, sha);
    expect(await readFile(path.join(dir, "inside.txt"), "utf8")).toBe("ok\n");
    await expect(lstat(path.join(dir, "leak.txt"))).rejects.toThrow();
  });
});
