import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import { createGitSource, type GitSource } from "../../../controller/git/index.js";
import { makeTempDir, removeTempDirs } from "../../helpers/tmp.js";
import { git, makeBareClone, makeRepo } from "./fixtures.js";

const sources: GitSource[] = [];

async function newSource(): Promise<GitSource> {
  const source = createGitSource({ cacheDir: await makeTempDir("berth-git-cache-"), clock: new FakeClock(0), watchLocal: false });
  sources.push(source);
  return source;
}

afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.close()));
  await removeTempDirs();
});

describe("revert", () => {
  it("reverts a commit in a local work tree with the branch checked out, updating its files", async () => {
    const repo = await makeRepo({ "values.yaml": "replicas: 1\n" });
    const bad = repo.commit({ "values.yaml": "replicas: 5\n" }, "scale to 5");
    const source = await newSource();
    await source.resolve(repo.dir, "main");

    const reverted = await source.revert(repo.dir, { commit: bad, branch: "main", author: "Ops Bot <ops@example.com>" });
    expect(reverted.message).toContain(`This reverts commit ${bad}`);
    expect(reverted.author).toBe("Ops Bot <ops@example.com>");
    expect(repo.head()).toBe(reverted.sha);
    expect(repo.git("rev-parse", `${reverted.sha}^`)).toBe(bad);
    expect(await readFile(path.join(repo.dir, "values.yaml"), "utf8")).toBe("replicas: 1\n");
    expect(repo.git("status", "--porcelain")).toBe("");
    expect((await source.resolve(repo.dir, "main")).sha).toBe(reverted.sha);
  });

  it("reverts on a bare repository by pushing, leaving other branches alone", async () => {
    const repo = await makeRepo({ "a.txt": "a\n" });
    const bad = repo.commit({ "a.txt": "broken\n" }, "break it");
    const bare = await makeBareClone(repo);
    const source = await newSource();
    const reverted = await source.revert(bare, { commit: bad, branch: "main" });
    expect(git(bare, ["rev-parse", "main"])).toBe(reverted.sha);
    expect(git(bare, ["show", "main:a.txt"])).toBe("a");
    expect(reverted.author).toBe("berth <berth@localhost>");
  });

  it("refuses with a clear error when the revert conflicts, leaving the branch as it was", async () => {
    const repo = await makeRepo({ "a.txt": "one\n" });
    const first = repo.commit({ "a.txt": "two\n" }, "two");
    const head = repo.commit({ "a.txt": "three\n" }, "three");
    const source = await newSource();
    const err = await source.revert(repo.dir, { commit: first, branch: "main" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "conflict", revision: first });
    expect(String(err)).toMatch(new RegExp(`cannot revert ${first} on main .*conflicts with later commits in a.txt`));
    expect(repo.head()).toBe(head);
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  it("refuses a commit that is not on the branch, and an unknown branch", async () => {
    const repo = await makeRepo();
    repo.git("checkout", "-q", "-b", "side");
    const side = repo.commit({ "s.txt": "s\n" }, "side");
    repo.git("checkout", "-q", "main");
    const source = await newSource();
    await expect(source.revert(repo.dir, { commit: side, branch: "main" })).rejects.toMatchObject({ reason: "invalid" });
    await expect(source.revert(repo.dir, { commit: side, branch: "nope" })).rejects.toMatchObject({ reason: "unknown-revision" });
  });
});
