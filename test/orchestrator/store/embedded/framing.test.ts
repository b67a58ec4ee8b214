import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { frame, unframe } from "../../../../orchestrator/store/embedded/framing.js";

const a = frame(Buffer.from("alpha"));
const b = frame(Buffer.from("beta"));
const flipped = Buffer.from(b);
flipped[flipped.length - 1] ^= 0x01;
const zeroLength = Buffer.alloc(8);
const huge = Buffer.alloc(8);
huge.writeUInt32LE(0xffffffff, 0);

describe("unframe", () => {
  it.each([
    { name: "empty", buf: Buffer.alloc(0), payloads: [], valid: 0, problem: undefined },
    { name: "two whole records", buf: Buffer.concat([a, b]), payloads: ["alpha", "beta"], valid: a.length + b.length, problem: undefined },
    { name: "torn header", buf: Buffer.concat([a, b.subarray(0, 5)]), payloads: ["alpha"], valid: a.length, problem: "torn record header" },
    { name: "torn payload", buf: Buffer.concat([a, b.subarray(0, b.length - 1)]), payloads: ["alpha"], valid: a.length, problem: "torn record at byte 13" },
    { name: "bad checksum", buf: Buffer.concat([a, flipped]), payloads: ["alpha"], valid: a.length, problem: "checksum mismatch at byte 13" },
    { name: "zero length (preallocated zeros)", buf: Buffer.concat([a, zeroLength]), payloads: ["alpha"], valid: a.length, problem: "bad record length 0" },
    { name: "absurd length", buf: Buffer.concat([huge, a]), payloads: [], valid: 0, problem: "bad record length 4294967295" },
  ])("$name", ({ buf, payloads, valid, problem }) => {
    const result = unframe(buf);
    expect(result.payloads.map((p) => p.toString())).toEqual(payloads);
    expect(result.validLength).toBe(valid);
    if (problem === undefined) expect(result.problem).toBeUndefined();
    else expect(result.problem).toContain(problem);
  });

  it("frames as [length][crc32][payload], little-endian", () => {
    const payload = Buffer.from("xyz");
    const framed = frame(payload);
    expect(framed.readUInt32LE(0)).toBe(3);
    expect(framed.readUInt32LE(4)).toBe(crc32(payload));
    expect(framed.subarray(8).toString()).toBe("xyz");
  });
});
