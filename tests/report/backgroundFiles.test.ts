import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArtifactWriter } from "../../src/report/index.js";
import { tempDir } from "../engine/fixtures.js";

describe("artifacts written on a worker thread", () => {
  it("are all on disk once flushed, the last write of a file winning", async () => {
    const out = tempDir("background");
    const writer = new ArtifactWriter(out, "run-1", { background: true });
    for (let day = 1; day <= 40; day++) writer.write("why_no_trade_summary", `2020-01-${String((day % 28) + 1).padStart(2, "0")}`, { day });
    await writer.flush();
    const file = join(out, "artifacts", "why_no_trade_summary", "2020-01-13.json");
    // Days 12 and 40 both write 2020-01-13; the later one is what stays.
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ run_id: "run-1", date: "2020-01-13", day: 40 });
    await writer.close();
  });

  it("reject the flush with the file that could not be written", async () => {
    const out = tempDir("background-fail");
    const writer = new ArtifactWriter(join(out, "gone"), "run-1", { background: true });
    writer.write("halt", "2020-03-09", { reason: "x" });
    await writer.flush();
    // The folder is made at the first write; a file where it must go makes the next write fail.
    rmSync(join(out, "gone", "artifacts", "halt"), { recursive: true, force: true });
    writeFileSync(join(out, "gone", "artifacts", "halt"), "not a folder");
    writer.write("halt", "2020-03-10", { reason: "y" });
    await expect(writer.flush()).rejects.toThrow(/2020-03-10\.json/);
    expect(existsSync(join(out, "gone", "artifacts", "halt"))).toBe(true);
    await writer.close();
  });

  it("share one worker, each flush reporting only its own writer's failures", async () => {
    const out = tempDir("background-shared");
    const failing = new ArtifactWriter(join(out, "failing"), "run-1", { background: true });
    const healthy = new ArtifactWriter(join(out, "healthy"), "run-2", { background: true });
    failing.write("halt", "2020-03-09", { reason: "x" });
    await failing.flush();
    rmSync(join(out, "failing", "artifacts", "halt"), { recursive: true, force: true });
    writeFileSync(join(out, "failing", "artifacts", "halt"), "not a folder");

    // 64 files fill a message, so these reach the worker before the healthy writer's flush does.
    for (let minute = 0; minute < 64; minute++) failing.write("halt", `2020-03-10T00:${String(minute).padStart(2, "0")}`, { reason: "y" });
    healthy.write("halt", "2020-03-10", { reason: "z" });
    await expect(healthy.flush()).resolves.toBeUndefined();
    await expect(failing.flush()).rejects.toThrow(/failing.*2020-03-10T00:00\.json/);
    // A failure is reported once; the writer goes on.
    failing.write("why_no_trade_summary", "2020-03-11", { day: 11 });
    await expect(failing.close()).resolves.toBeUndefined();
    await healthy.close();
    expect(existsSync(join(out, "healthy", "artifacts", "halt", "2020-03-10.json"))).toBe(true);
    expect(existsSync(join(out, "failing", "artifacts", "why_no_trade_summary", "2020-03-11.json"))).toBe(true);
  });
});
