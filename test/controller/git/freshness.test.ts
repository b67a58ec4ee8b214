// resolveMaxAgeMs: reconciles of many apps on one repository share one fetch while it is
// fresh (on the injected clock); a change hint (invalidate: webhook, hosted push) or age makes
// the next resolve fetch again, so a pushed commit is never hidden by the window.
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import { createGitSource, type GitSource } from "../../../controller/git/index.js";
import { makeTempDir, removeTempDirs } from "../../helpers/tmp.js";
import { makeRepo } from "./fixtures.js";

const sources: GitSource[] = [];

afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.close()));
  await removeTempDirs();
});

describe("resolve with resolveMaxAgeMs", () => {
  it("reuses a fresh fetch, and fetches again after invalidate or once the window passed", async () => {
    const repo = await makeRepo({ "a.txt": "one\n" });
    const first = repo.head();
    const clock = new FakeClock(1_000);
    const fetches: string[] = [];
    const source = createGitSource({ cacheDir: await makeTempDir("berth-git-cache-"), clock, watchLocal: false, resolveMaxAgeMs: 10_000, onFetch: (e) => fetches.push(e.repoURL) });
    sources.push(source);

    expect((await source.resolve(repo.dir, "main")).sha).toBe(first);
    const second = repo.commit({ "a.txt": "two\n" }, "second");
    // Within the window and without a hint: the last fetch answers, no new git fetch.
    expect((await source.resolve(repo.dir, "main")).sha).toBe(first);
    expect(fetches).toHaveLength(1);

    source.invalidate(repo.dir);
    expect((await source.resolve(repo.dir, "main")).sha).toBe(second);
    expect(fetches).toHaveLength(2);

    const third = repo.commit({ "a.txt": "three\n" }, "third");
    clock.advance(10_001);
    expect((await source.resolve(repo.dir, "main")).sha).toBe(third);
    expect(fetches).toHaveLength(3);
    // A pinned sha the mirror holds needs no fetch at all.
    expect((await source.resolve(repo.dir, second)).sha).toBe(second);
    expect(fetches).toHaveLength(3);
  });
});
