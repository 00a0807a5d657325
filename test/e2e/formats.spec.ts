import { expect, test } from "@playwright/test";
import { generateSkulkDemo } from "../../shared/demo/skulkDemo";
import { kineto } from "../unit/kinetoTrace";
import { dropFolder, freshPage, writeFolder } from "./support";

/** One rank's PyTorch profiler trace: a training step with an all_reduce, on CPU and GPU. */
function rankTrace(rank: number, lateUs: number): string {
  const events = [
    { ph: "M", name: "process_name", pid: 4242 + rank, tid: 0, args: { name: "python" } },
    { ph: "M", name: "thread_name", pid: 4242 + rank, tid: 4242 + rank, args: { name: "MainThread" } },
    { ph: "X", cat: "cpu_op", name: "aten::mm", pid: 4242 + rank, tid: 4242 + rank, ts: 10.5, dur: 200.25 },
    {
      ph: "X",
      cat: "cpu_op",
      name: "nccl:all_reduce",
      pid: 4242 + rank,
      tid: 4242 + rank,
      ts: 300 + lateUs,
      dur: 40,
    },
    { ph: "X", cat: "kernel", name: "ampere_sgemm_128x64_nn", pid: 0, tid: "stream 7", ts: 20, dur: 150 },
    {
      ph: "X",
      cat: "kernel",
      name: "ncclDevKernel_AllReduce_Sum_f32_RING_LL",
      pid: 0,
      tid: "stream 7",
      ts: 310 + lateUs,
      dur: 500 - lateUs,
    },
  ];
  return kineto({ rank, world: 2, base: "1721065959525586016", events });
}

test("a cluster bundle and two PyTorch rank files: lanes by node name and by rank", async ({ page }) => {
  const bundle = generateSkulkDemo().find((f) => f.path === "cluster/diagnostics.json")!;
  const dir = writeFolder("hang-and-training", {
    "skulk/cluster-diagnostics.json": bundle.content,
    "train/rank0.pt.trace.json": rankTrace(0, 0),
    "train/rank1.pt.trace.json": rankTrace(1, 5000),
  });
  await freshPage(page);
  await dropFolder(page, dir);
  await expect(page.getByTestId("timeline")).toBeVisible({ timeout: 30_000 });
  // The files are read as what they are.
  const files = page.getByTestId("files-panel");
  await page.getByRole("button", { name: "Files", exact: true }).click();
  await expect(files).toContainText("skulk.cluster-diagnostics");
  await expect(files.getByTestId("file-row").filter({ hasText: "rank1.pt.trace.json" })).toContainText(
    "chrome-trace",
  );
  // Runs: the Skulk instances of July's cluster bundle, and the training job of 2024.
  await page.getByTestId("tab-runs").click();
  await page.getByTestId("run-all").click();
  // Skulk lanes by the nodes' friendly names, with rank / world size.
  const skulk = page.locator(".lane-header", { hasText: "rank 2/4" });
  await expect(skulk.locator(".lane-node")).toHaveText("Ben's Mac mini");
  // PyTorch: a lane per CPU thread and per GPU stream, under their rank, ranks in order.
  const torch = page.locator(".lane-header").filter({ hasText: /thread|stream/ });
  await expect(torch).toHaveCount(4);
  await expect(torch.nth(0)).toContainText("rank 0");
  await expect(torch.nth(1)).toContainText("rank 0");
  await expect(torch.nth(2)).toContainText("rank 1");
  await expect(torch.nth(3)).toContainText("rank 1");
  await expect(page.locator(".lane-header").filter({ hasText: "stream 7" })).toHaveCount(2);
  await expect(page.locator(".group-header").filter({ hasText: "2 ranks" })).toHaveCount(1);
  // The all_reduce: rank 1 came last, 5 ms after rank 0.
  await page.getByTestId("run").filter({ hasText: "2 ranks" }).locator(".run-name").click();
  await page.getByRole("button", { name: "Findings" }).click();
  await expect(page.getByTestId("stragglers").locator("li").first()).toContainText(
    /rank 1 .*5(\.00)? ms late/,
  );
  await page.screenshot({ path: "test-results/formats-bundle-pytorch.png" });
});
