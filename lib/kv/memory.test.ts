import { afterEach, describe, expect, it } from "vitest";
import { runKvContract } from "../../test/contracts/kv.contract.ts";
import { createMemoryKv, type MemoryKv } from "./memory.ts";

const open: MemoryKv[] = [];
afterEach(() => {
  for (const kv of open.splice(0)) kv.close();
});

// One clock shared by every store of the suite: the contract's `elapse` advances it, so TTL tests
// run instantly while exercising the same expiry code as real time.
let clock = 1_700_000_000_000;
runKvContract(
  "memory (injected clock)",
  async ({ prefix }) => {
    const kv = createMemoryKv({ prefix, now: () => clock });
    open.push(kv);
    return kv;
  },
  {
    elapse: async (ms) => {
      clock += ms;
    },
  },
);

describe("memory kv", () => {
  it("expires on the real clock by default", async () => {
    const kv = createMemoryKv();
    open.push(kv);
    await kv.set("k", "v", { ttlSeconds: 0.05 });
    expect(await kv.get("k")).toBe("v");
    await new Promise((r) => setTimeout(r, 80));
    expect(await kv.get("k")).toBeNull();
  });

  it("sweeps expired keys nobody reads again", async () => {
    let now = 0;
    const kv = createMemoryKv({ now: () => now, sweepIntervalMs: 10 });
    open.push(kv);
    await kv.set("a", 1, { ttlSeconds: 1 });
    await kv.incrWindow("b", 1);
    await kv.set("c", 3);
    now = 5_000;
    await new Promise((r) => setTimeout(r, 40));
    // Moving the clock back would resurrect unswept entries; swept ones stay gone.
    now = 0;
    expect(await kv.exists("a")).toBe(false);
    expect(await kv.exists("b")).toBe(false);
    expect(await kv.get("c")).toBe(3);
  });

  it("does not keep the process alive", () => {
    const timers = () =>
      (process as unknown as { getActiveResourcesInfo(): string[] })
        .getActiveResourcesInfo()
        .filter((h) => h === "Timeout").length;
    const before = timers();
    const kv = createMemoryKv({ sweepIntervalMs: 1_000 });
    open.push(kv);
    // Node lists only ref'd timers as active resources, so an unref'd sweep adds nothing.
    expect(timers()).toBe(before);
  });

  it("defaults to the imbi: prefix and stays per instance", async () => {
    const a = createMemoryKv();
    const b = createMemoryKv();
    open.push(a, b);
    await a.set("k", 1);
    expect(await b.get("k")).toBeNull();
    expect(a.kind).toBe("memory");
  });
});
