import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import { createGitSource, normalizeRepoUrl, type RepoChange, type SimpleGitSourceApi } from "../../../controller/git/index.js";
import { makeTempDir, removeTempDirs } from "../../helpers/tmp.js";
import { eventually, git, makeBareClone, makeRepo } from "./fixtures.js";

const sources: SimpleGitSourceApi[] = [];

async function newSource(options: { watchLocal: boolean }) {
  const clock = new FakeClock(0);
  const fetches: string[] = [];
  const source = createGitSource({
    cacheDir: await makeTempDir("berth-git-cache-"),
    clock,
    watchLocal: options.watchLocal,
    onFetch: (e) => fetches.push(e.repoURL),
  });
  sources.push(source);
  const changes: RepoChange[] = [];
  source.onChange((c) => changes.push(c));
  return { source, clock, changes, fetches };
}

afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.close()));
  await removeTempDirs();
});

describe("follow: polling on the clock", () => {
  it("polls at the repository's interval and emits only when a ref moved", async () => {
    const repo = await makeRepo();
    const bare = await makeBareClone(repo);
    const { source, clock, changes, fetches } = await newSource({ watchLocal: false });
    await source.resolve(bare, "main");
    source.follow(bare, { pollIntervalMs: 60_000 });

    clock.advance(59_999);
    expect(fetches).toHaveLength(1);
    clock.advance(1);
    await eventually(() => fetches.length === 2 && clock.pending() === 1);
    expect(changes).toEqual([]);

    repo.commit({ "b.txt": "b\n" }, "second");
    repo.git("push", "--quiet", bare, "main");
    repo.git("tag", "v2");
    repo.git("push", "--quiet", bare, "v2");
    clock.advance(60_000);
    await eventually(() => changes.length === 2);
    const key = normalizeRepoUrl(bare);
    expect(changes).toEqual([
      { repoURL: key, ref: "main", via: "poll" },
      { repoURL: key, ref: "v2", via: "poll" },
    ]);

    clock.advance(60_000);
    await eventually(() => fetches.length === 4 && clock.pending() === 1);
    expect(changes).toHaveLength(2);

    source.unfollow(bare);
    expect(clock.pending()).toBe(0);
  });

  it("a resolve that sees a move tells the other followers too", async () => {
    const repo = await makeRepo();
    const { source, changes } = await newSource({ watchLocal: false });
    await source.resolve(repo.dir, "main");
    const next = repo.commit({ "c.txt": "c\n" }, "third");
    expect((await source.resolve(repo.dir, "main")).sha).toBe(next);
    expect(changes).toEqual([{ repoURL: normalizeRepoUrl(repo.dir), ref: "main", via: "poll" }]);
  });
});

describe("follow: watching local repositories", () => {
  it("emits a change for a commit in a local work tree without any clock movement", async () => {
    const repo = await makeRepo();
    const { source, changes } = await newSource({ watchLocal: true });
    const url = pathToFileURL(repo.dir).href;
    await source.resolve(url, "main");
    source.follow(url, { pollIntervalMs: 3_600_000 });
    await source.whenWatching(url);
    const sha = repo.commit({ "d.txt": "d\n" }, "local commit");
    await eventually(() => changes.some((c) => c.ref === "main"), 10_000);
    expect(changes[0]).toEqual({ repoURL: normalizeRepoUrl(repo.dir), ref: "main", via: "watch" });
    expect((await source.resolve(url, "main")).sha).toBe(sha);
  });

  it("watches a bare repository's refs", async () => {
    const repo = await makeRepo();
    const bare = await makeBareClone(repo);
    const { source, changes } = await newSource({ watchLocal: true });
    await source.resolve(bare, "main");
    source.follow(bare, { pollIntervalMs: 3_600_000 });
    await source.whenWatching(bare);
    repo.commit({ "e.txt": "e\n" }, "pushed");
    git(repo.dir, ["push", "--quiet", bare, "main:feature"]);
    await eventually(() => changes.some((c) => c.ref === "feature"), 10_000);
    expect(changes.find((c) => c.ref === "feature")).toEqual({ repoURL: normalizeRepoUrl(bare), ref: "feature", via: "watch" });
  });
});
