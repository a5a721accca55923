import { spawn, type ChildProcess } from "node:child_process";
import { describe, it, expect, afterEach } from "vitest";
import { AUTH, request } from "./fixtures.js";

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill("SIGTERM");
  child = undefined;
});

/** Starts `tradeguard sandbox` as a user would and resolves to the URL it prints. */
function startCli(...args: string[]): Promise<string> {
  child = spawn(process.execPath, ["src/cli/bin.js", "sandbox", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const started = child;
  return new Promise((resolve, reject) => {
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
      if (url) resolve(url[0]);
    };
    started.stdout?.on("data", collect);
    started.stderr?.on("data", collect);
    started.on("exit", (code) => reject(new Error(`sandbox exited with ${code}: ${output}`)));
  });
}

describe("tradeguard sandbox", () => {
  it("serves the CSV's history on a free port of 127.0.0.1 and moves on when told", async () => {
    const url = await startCli("--port", "0", "--data", "data/sp500-2000.csv", "--symbol", "SPX", "--from", "2008-01-02", "--capital", "5000", "--key", "cli-key", "--secret", "cli-secret");
    const auth = { "APCA-API-KEY-ID": "cli-key", "APCA-API-SECRET-KEY": "cli-secret" };

    const account = await request(url, "GET", "/v2/account", undefined, auth);
    const refused = await request(url, "GET", "/v2/account", undefined, AUTH);
    const advanced = await request(url, "POST", "/sandbox/advance", { sessions: 2 });

    expect(account).toMatchObject({ status: 200, body: { cash: "5000" } });
    expect(refused.status).toBe(401);
    expect(advanced.body).toMatchObject({ timestamp: "2008-01-04T21:00:00.000Z", next_open: "2008-01-07T14:30:00.000Z" });
  }, 60_000);
});
