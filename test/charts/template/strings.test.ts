import { describe, expect, it } from "vitest";
import { renderOne } from "./fixtures.js";

const values = { name: "web", multi: "a\nb", n: 3, list: ["x", null, 2], s: "Hello World" };

describe("string helpers", () => {
  const cases: [string, string][] = [
    ['{{indent 2 "a\\nb"}}', "  a\n  b"],
    ["{{indent 2 Values.multi}}", "  a\n  b"],
    ["x:{{nindent 4 Values.multi}}", "x:\n    a\n    b"],
    ["{{quote Values.name}}", '"web"'],
    ["{{quote Values.n}}", '"3"'],
    ["{{quote Values.missing}}", ""],
    ['{{quote "a\\"b"}}', '"a\\"b"'],
    ["{{squote Values.name}}", "'web'"],
    ["{{upper Values.name}}", "WEB"],
    ['{{lower "ABC"}}', "abc"],
    ['{{title "hello wide-world foo_bar"}}', "Hello Wide-World Foo_bar"],
    ['{{trim "  x  "}}', "x"],
    ['{{trimPrefix "v" "v1.2"}}', "1.2"],
    ['{{trimSuffix "-x" "a-x"}}', "a"],
    ['{{trunc 3 "abcdef"}}', "abc"],
    ['{{trunc -2 "abcdef"}}', "ef"],
    ['{{trunc 10 "abc"}}', "abc"],
    ['{{replace "-" "_" "a-b-c"}}', "a_b_c"],
    ['{{contains "or" "World"}}', "true"],
    ['{{hasPrefix "He" Values.s}}', "true"],
    ['{{hasSuffix "x" Values.s}}', "false"],
    ['{{printf "%s-%d" Values.name Values.n}}', "web-3"],
    ['{{printf "%05d|%-4s|%4s|" 42 "ab" "ab"}}', "00042|ab  |  ab|"],
    ['{{printf "%.2f %t %x %q" 3.14159 true 255 "hi"}}', '3.14 true ff "hi"'],
    ['{{printf "%v" Values.list}}', "[x <nil> 2]"],
    ['{{printf "%d"}}', "%!d(MISSING)"],
    ['{{printf "%d" "x"}}', "%!d(string=x)"],
    ['{{printf "100%%"}}', "100%"],
    ['{{cat "a" Values.missing 1 true}}', "a 1 true"],
    ['{{join "," Values.list}}', "x,2"],
    ['{{b64enc "hello"}}', "aGVsbG8="],
    ['{{b64dec "aGVsbG8="}}', "hello"],
    ['{{sha256sum "abc"}}', "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ['{{repeat 3 "ab"}}', "ababab"],
  ];
  it.each(cases)("%s", (source, expected) => {
    expect(renderOne(source, values)).toBe(expected);
  });

  it("rejects bad base64 naming the template", () => {
    expect(() => renderOne('{{b64dec "@@@"}}')).toThrow(/template: mychart\/templates\/t.yaml:1: b64dec: illegal base64 data/);
  });
});
