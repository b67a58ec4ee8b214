import { createHash } from "node:crypto";
import { mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { deterministicTgz } from "../../charts/package/index.js";
import { parseIndex } from "../../repo/indexFile.js";
import { writeIndexDirectory } from "../../repo/indexDirectory.js";
import { makeTempDir, removeTempDirs } from "../helpers/tmp.js";
import { packageSpec } from "./fixtures.js";

afterEach(removeTempDirs);

const withoutGenerated = (text: string): string => text.replace(/^generated: .*$/m, "");

describe("repo index", () => {
  it("lists every archive (top level and one folder down) with digest, urls and metadata", async () => {
    const dir = await makeTempDir();
    const web = await packageSpec({ name: "web", version: "1.0.0", appVersion: "2.0", description: "Web server", keywords: ["http"] }, dir);
    await packageSpec({ name: "web", version: "1.2.0" }, dir);
    await packageSpec({ name: "db", version: "0.3.0" }, path.join(dir, "db"));
    const { index } = await writeIndexDirectory(dir, { url: "https://charts.example.com/stable/" });
    expect([...index.entries.keys()].sort()).toEqual(["db", "web"]);
    expect(index.entries.get("web")?.map((v) => v.version)).toEqual(["1.2.0", "1.0.0"]);
    const oldest = index.entries.get("web")?.[1];
    expect(oldest?.digest).toBe(createHash("sha256").update(await readFile(web)).digest("hex"));
    expect(oldest?.urls).toEqual(["https://charts.example.com/stable/web-1.0.0.tgz"]);
    expect(oldest?.fields).toMatchObject({ apiVersion: "v2", appVersion: "2.0", description: "Web server", keywords: ["http"] });
    expect(index.entries.get("db")?.[0]?.urls).toEqual(["https://charts.example.com/stable/db/db-0.3.0.tgz"]);
    const written = parseIndex(await readFile(path.join(dir, "index.yaml"), "utf8"), "index.yaml");
    expect(written.entries.get("web")?.[0]?.version).toBe("1.2.0");
  });

  it("uses relative URLs without --url", async () => {
    const dir = await makeTempDir();
    await packageSpec({ name: "web", version: "1.0.0" }, dir);
    const { index } = await writeIndexDirectory(dir);
    expect(index.entries.get("web")?.[0]?.urls).toEqual(["web-1.0.0.tgz"]);
  });

  it("is deterministic except `generated`", async () => {
    const dir = await makeTempDir();
    await packageSpec({ name: "web", version: "1.0.0" }, dir);
    await packageSpec({ name: "api", version: "0.1.0" }, dir);
    await writeIndexDirectory(dir, { now: new Date("2024-01-01T00:00:00Z") });
    const first = await readFile(path.join(dir, "index.yaml"), "utf8");
    await writeIndexDirectory(dir, { now: new Date("2025-01-01T00:00:00Z") });
    const second = await readFile(path.join(dir, "index.yaml"), "utf8");
    expect(second).not.toBe(first);
    expect(withoutGenerated(second)).toBe(withoutGenerated(first));
  });

  it("--merge keeps entries only the old index has, and the `created` of unchanged archives", async () => {
    const dir = await makeTempDir();
    await packageSpec({ name: "web", version: "1.0.0" }, dir);
    await writeIndexDirectory(dir);
    const old = path.join(await makeTempDir(), "old-index.yaml");
    const withGone = (await readFile(path.join(dir, "index.yaml"), "utf8")).replace(
      "entries:\n",
      `entries:\n  gone:\n  - name: gone\n    version: 0.0.1\n    urls: [https://elsewhere.example/gone-0.0.1.tgz]\n    digest: ${"b".repeat(64)}\n    created: "2020-01-01T00:00:00Z"\n`,
    );
    await writeFile(old, withGone);
    const created = parseIndex(withGone, old).entries.get("web")?.[0]?.created;
    // A later mtime must not change `created` while the archive's bytes are the same.
    await utimes(path.join(dir, "web-1.0.0.tgz"), new Date("2030-01-01"), new Date("2030-01-01"));
    const { index } = await writeIndexDirectory(dir, { merge: old });
    expect(index.entries.get("gone")?.[0]?.created).toBe("2020-01-01T00:00:00Z");
    expect(index.entries.get("web")?.[0]?.created).toBe(created);
  });

  it("refuses a hostile archive, naming it, and leaves index.yaml as it was", async () => {
    const dir = await makeTempDir();
    await packageSpec({ name: "web", version: "1.0.0" }, dir);
    await writeIndexDirectory(dir);
    const before = await readFile(path.join(dir, "index.yaml"));
    await mkdir(dir, { recursive: true });
    const evil = deterministicTgz([
      { path: "evil/Chart.yaml", data: Buffer.from("apiVersion: v2\nname: evil\nversion: 1.0.0\n") },
      { path: "evil/../../escape.txt", data: Buffer.from("x") },
    ]);
    await writeFile(path.join(dir, "evil-1.0.0.tgz"), evil);
    await expect(writeIndexDirectory(dir)).rejects.toThrow(/evil-1\.0\.0\.tgz/);
    expect((await readFile(path.join(dir, "index.yaml"))).equals(before)).toBe(true);
  });
});
