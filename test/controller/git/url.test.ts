import { describe, expect, it } from "vitest";
import { normalizeRepoUrl, redactRepoUrl } from "../../../controller/git/index.js";

describe("normalizeRepoUrl", () => {
  it.each([
    ["https://github.com/Org/Repo.git", "https://github.com/Org/Repo"],
    ["https://GitHub.com/Org/Repo/", "https://github.com/Org/Repo"],
    ["https://user:secret@github.com/Org/Repo.git", "https://github.com/Org/Repo"],
    ["HTTPS://github.com:443/Org/Repo", "https://github.com/Org/Repo"],
    ["http://127.0.0.1:8080/git/demo.git", "http://127.0.0.1:8080/git/demo"],
    ["git@github.com:Org/Repo.git", "ssh://github.com/Org/Repo"],
    ["ssh://git@GitHub.com:22/Org/Repo.git", "ssh://github.com/Org/Repo"],
    ["file:///srv/repos/demo/", "/srv/repos/demo"],
    ["/srv/repos/demo/.git", "/srv/repos/demo"],
    // Local paths keep a .git suffix: /srv/a.git and /srv/a are different folders.
    ["/srv/repos/demo.git", "/srv/repos/demo.git"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeRepoUrl(input)).toBe(expected);
  });

  it("redacts credentials for messages", () => {
    expect(redactRepoUrl("https://x:tok@host/r.git")).toBe("https://host/r.git");
  });
});
