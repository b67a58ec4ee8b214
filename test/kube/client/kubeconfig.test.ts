import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKubeConfig, type LoadKubeConfigOptions } from "../../../kube/client/index.js";
import { KubeError, NotFoundError, UsageError } from "../../../core/errors.js";
import { kubeconfigYaml } from "../fixture.js";

let dir = "";
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "berth-kubeconfig-"));
  await writeFile(file("a"), kubeconfigYaml([{ name: "alpha", server: "https://a.example:6443", namespace: "team-a" }, { name: "shared", server: "https://from-a.example" }], "alpha"));
  await writeFile(file("b"), kubeconfigYaml([{ name: "beta", server: "https://b.example" }, { name: "shared", server: "https://from-b.example" }], "beta"));
  await writeFile(file("nocurrent"), kubeconfigYaml([{ name: "gamma", server: "https://g.example" }], undefined));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("loadKubeConfig", () => {
  const env = (kubeconfig: string): NodeJS.ProcessEnv => ({ KUBECONFIG: kubeconfig, HOME: "/nonexistent" });
  it.each<{ name: string; options: () => LoadKubeConfigOptions; want: { context: string; server: string; namespace: string } }>([
    { name: "--kubeconfig, its current context and namespace", options: () => ({ kubeconfig: file("a"), env: env(file("b")) }), want: { context: "alpha", server: "https://a.example:6443", namespace: "team-a" } },
    { name: "-n overrides the context's namespace", options: () => ({ kubeconfig: file("a"), namespace: "other" }), want: { context: "alpha", server: "https://a.example:6443", namespace: "other" } },
    { name: "--context picks another context", options: () => ({ kubeconfig: file("a"), context: "shared" }), want: { context: "shared", server: "https://from-a.example", namespace: "default" } },
    { name: "KUBECONFIG: the first file's current-context wins", options: () => ({ env: env([file("a"), file("b")].join(path.delimiter)) }), want: { context: "alpha", server: "https://a.example:6443", namespace: "team-a" } },
    { name: "KUBECONFIG: the first definition of a name wins", options: () => ({ context: "shared", env: env([file("b"), file("a")].join(path.delimiter)) }), want: { context: "shared", server: "https://from-b.example", namespace: "default" } },
    { name: "KUBECONFIG: contexts of later files are usable", options: () => ({ context: "beta", env: env([file("a"), file("b")].join(path.delimiter)) }), want: { context: "beta", server: "https://b.example", namespace: "default" } },
    { name: "KUBECONFIG: missing files are skipped; current-context from a later file", options: () => ({ env: env([file("missing"), file("nocurrent"), file("b")].join(path.delimiter)) }), want: { context: "beta", server: "https://b.example", namespace: "default" } },
  ])("$name", ({ options, want }) => {
    const got = loadKubeConfig(options());
    expect({ context: got.context, server: got.server, namespace: got.namespace }).toEqual(want);
  });

  it.each<{ name: string; options: () => LoadKubeConfigOptions; error: unknown; message: RegExp }>([
    { name: "an unknown context", options: () => ({ kubeconfig: file("a"), context: "nope" }), error: NotFoundError, message: /context "nope" not found/ },
    { name: "a missing --kubeconfig file", options: () => ({ kubeconfig: file("missing") }), error: UsageError, message: /--kubeconfig .*missing: no such file/ },
    { name: "no current context", options: () => ({ kubeconfig: file("nocurrent") }), error: KubeError, message: /has no current context/ },
    { name: "no kubeconfig at all", options: () => ({ env: { HOME: "/nonexistent" } }), error: KubeError, message: /no kubeconfig/ },
    { name: "KUBECONFIG naming only missing files", options: () => ({ env: env(file("missing")) }), error: KubeError, message: /none of these files exists/ },
  ])("rejects $name", ({ options, error, message }) => {
    let caught: unknown;
    try {
      loadKubeConfig(options());
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(error);
    expect(String(caught)).toMatch(message);
  });
});
