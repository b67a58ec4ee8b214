import { describe, expect, it } from "vitest";
import { createTokenFileAuthenticator, parseTokenFile, splitCsvLine } from "../../../orchestrator/auth/authn/tokenFile.js";

describe("splitCsvLine", () => {
  it.each([
    { line: "a,b,c", want: ["a", "b", "c"] },
    { line: 'tok,alice,1,"dev,ops"', want: ["tok", "alice", "1", "dev,ops"] },
    { line: 'tok, alice, 1, "a ""quoted"" group"', want: ["tok", "alice", "1", 'a "quoted" group'] },
    { line: "tok,alice,,", want: ["tok", "alice", "", ""] },
  ])("$line", ({ line, want }) => {
    expect(splitCsvLine(line)).toEqual(want);
  });
});

describe("parseTokenFile", () => {
  it.each([
    { name: "user with groups", text: 'secret1,alice,u1,"dev,ops"\n', want: [{ username: "alice", uid: "u1", groups: ["dev", "ops"] }] },
    { name: "no groups column", text: "secret2,bob,u2\n", want: [{ username: "bob", uid: "u2", groups: [] }] },
    { name: "blank lines skipped", text: "\nsecret3,carol,u3\n\n", want: [{ username: "carol", uid: "u3", groups: [] }] },
    { name: "empty token skipped", text: ",dave,u4\nsecret5,erin,u5\n", want: [{ username: "erin", uid: "u5", groups: [] }] },
    { name: "duplicate: the later wins", text: "same,first,u1\nsame,second,u2\n", want: [{ username: "second", uid: "u2", groups: [] }] },
  ])("$name", ({ text, want }) => {
    expect(parseTokenFile(text, "tokens.csv").map((e) => e.user)).toEqual(want);
  });

  it.each([
    { text: "ok,alice,1\nonly,two\n", message: "tokens.csv:2: must have at least 3 columns (token, user name, user uid), found 2" },
    { text: 'tok,alice,1,"open\n', message: 'tokens.csv:1: extraneous or missing " in quoted-field' },
  ])("rejects $message", ({ text, message }) => {
    expect(() => parseTokenFile(text, "tokens.csv")).toThrow(message);
  });

  it("keeps only digests, never the token text", () => {
    const entries = parseTokenFile("s3cr3t-token,alice,1\n", "tokens.csv");
    expect(JSON.stringify(entries)).not.toContain("s3cr3t-token");
  });
});

describe("token file authenticator", () => {
  const authn = createTokenFileAuthenticator(parseTokenFile('s3cr3t,alice,u1,"dev"\n', "tokens.csv"));
  it.each([
    { name: "known token", authorization: "Bearer s3cr3t", want: { kind: "authenticated", user: { username: "alice", uid: "u1", groups: ["dev"] } } },
    { name: "scheme is case-insensitive", authorization: "bearer s3cr3t", want: { kind: "authenticated", user: { username: "alice", uid: "u1", groups: ["dev"] } } },
    { name: "unknown token", authorization: "Bearer nope", want: { kind: "no-opinion" } },
    { name: "prefix of a token", authorization: "Bearer s3cr3", want: { kind: "no-opinion" } },
    { name: "basic auth", authorization: "Basic YTpi", want: { kind: "no-opinion" } },
    { name: "no header", authorization: undefined, want: { kind: "no-opinion" } },
  ])("$name", async ({ authorization, want }) => {
    expect(await authn.authenticate({ headers: authorization === undefined ? {} : { authorization } })).toEqual(want);
  });
});
