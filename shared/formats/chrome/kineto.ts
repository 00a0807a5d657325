/**
 * PyTorch profiler traces (libkineto's `output_json.cpp`): what the envelope says about the
 * file (rank, world size, time base), how its threads and GPU streams are named, and the
 * grouping of one job's rank files, which needs every file of the ingest.
 */
import { baseName, dirName } from "../../ingest/source";
import type { LaneBuilder } from "../../model/builder";
import { formatNs } from "../../model/time";
import type { LaneInfo, Scalar } from "../../model/types";
import type { JsonObject } from "../types";
import { int, isObject, str } from "../types";
import { exactNs } from "./clock";

/** Marks a lane read from a PyTorch profiler trace (analysis reads collectives there). */
export const PYTORCH_PROFILER = "pytorch";

export interface KinetoInfo {
  rank: number | null;
  worldSize: number | null;
  backend: string | null;
  /** `baseTimeNanoseconds`: `ts` counts from it. Null in older traces (epoch µs). */
  baseNs: bigint | null;
}

/** The Kineto facts of a trace's top-level fields, or null when it is not Kineto's. */
export function kinetoInfo(envelope: JsonObject): KinetoInfo | null {
  const dist = isObject(envelope.distributedInfo) ? envelope.distributedInfo : null;
  const baseNs = exactNs(envelope.baseTimeNanoseconds);
  const kineto =
    dist !== null ||
    baseNs !== null ||
    ("schemaVersion" in envelope &&
      ("deviceProperties" in envelope || "computeProperties" in envelope || "traceName" in envelope));
  if (!kineto) return null;
  return {
    rank: dist ? intOf(dist.rank) : null,
    worldSize: dist ? intOf(dist.world_size) : null,
    backend: dist ? str(dist.backend) : null,
    baseNs,
  };
}

/** Kineto writes rank as a number; on-demand traces have written it as text. */
function intOf(v: unknown): number | null {
  if (typeof v === "string" && /^\d+$/.test(v.trim())) return Number(v);
  return int(v);
}

export interface ThreadNames {
  pid: string;
  tid: string;
  process: string | null;
  processLabel: string | null;
  thread: string | null;
}

/**
 * "GPU 0 stream 7" for a GPU stream (older Kineto: tid "stream 7"; newer: a numeric tid named
 * "stream 7" by metadata, on pid = device), "thread 24572" for a CPU thread, and the tid for
 * Kineto's own rows ("Spans" / "PyTorch Profiler").
 */
export function kinetoLabel(n: ThreadNames): { label: string; device: string | null } {
  const stream = /^stream\s*(\d+)/i.exec(n.tid) ?? /^stream\s*(\d+)/i.exec(n.thread ?? "");
  if (stream) {
    const device = /GPU\s*(\d+)/i.exec(n.processLabel ?? "")?.[1] ?? (/^\d+$/.test(n.pid) ? n.pid : null);
    const gpu = device !== null ? `GPU ${device}` : "GPU";
    return { label: `${gpu} stream ${stream[1]}`, device: gpu };
  }
  if (/^\d+$/.test(n.tid) && /^-?\d+$/.test(n.pid)) return { label: `thread ${n.tid}`, device: null };
  return { label: n.tid || n.pid || "trace", device: null };
}

/**
 * The clock a rank's times are on: the host, from tensorboard_trace_handler's file name
 * (`{host}_{pid}.{epoch ms or ns}.pt.trace.json`), else the rank itself. Ranks of one host share a clock.
 */
export function kinetoNode(path: string, rank: number): string {
  const m = /^(.+)_\d+\.\d{10,}\.pt\.trace\.json(?:\.gz)?$/i.exec(baseName(path));
  return m ? m[1] : `rank ${rank}`;
}

/** Identity of one Kineto lane; `group` is provisional for ranked files (see KinetoJobs). */
export function kinetoLane(path: string, info: KinetoInfo, names: ThreadNames): Partial<LaneInfo> {
  const { label, device } = kinetoLabel(names);
  const state: Record<string, Scalar> = { profiler: PYTORCH_PROFILER };
  if (names.process) state.process = names.process;
  if (names.thread) state.thread = names.thread;
  if (info.backend) state.backend = info.backend;
  const ranked = info.rank !== null;
  return {
    label: ranked ? `rank ${info.rank} · ${label}` : label,
    group: `trace:${baseName(path)}`,
    rank: info.rank,
    worldSize: info.worldSize,
    node: ranked ? kinetoNode(path, info.rank!) : null,
    device,
    state,
  };
}

interface JobFile {
  dir: string;
  worldSize: number | null;
  startNs: bigint;
  endNs: bigint;
  lanes: LaneBuilder[];
}

/** Rank files further apart than this are not one profiling window. */
const SAME_JOB_GAP_NS = 10n * 60n * 1_000_000_000n;

/**
 * One job's rank files (`tensorboard_trace_handler` writes one per rank into one folder)
 * become one group, ordered by rank. A folder often also holds older runs: files whose
 * time ranges do not meet (within a few minutes) are separate jobs. Times are absolute ns,
 * so files of any time origin compare.
 */
export class KinetoJobs {
  private readonly files: JobFile[] = [];

  static of(ctx: { shared<T extends { finish(): void }>(key: string, create: () => T): T }): KinetoJobs {
    return ctx.shared("chrome-trace:pytorch-jobs", () => new KinetoJobs());
  }

  add(path: string, worldSize: number | null, startNs: bigint, endNs: bigint, lanes: LaneBuilder[]): void {
    this.files.push({ dir: dirName(path), worldSize, startNs, endNs, lanes });
  }

  finish(): void {
    const byKey = new Map<string, JobFile[]>();
    for (const f of this.files) {
      const key = `${f.dir}\u0000${f.worldSize ?? ""}`;
      if (!byKey.has(key)) byKey.set(key, []);
      byKey.get(key)!.push(f);
    }
    for (const files of byKey.values()) {
      files.sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
      let job: JobFile[] = [];
      let end = 0n;
      const close = () => {
        if (!job.length) return;
        const { dir, worldSize, startNs } = job[0];
        const world = worldSize !== null ? `${worldSize} ranks` : "ranks";
        const group = `pytorch:${dir || "."} · ${world} · ${formatNs(startNs).slice(0, 19).replace("T", " ")}`;
        for (const f of job) for (const lane of f.lanes) lane.info.group = group;
        job = [];
      };
      for (const f of files) {
        if (job.length && f.startNs > end + SAME_JOB_GAP_NS) close();
        if (!job.length || f.endNs > end) end = f.endNs;
        job.push(f);
      }
      close();
    }
  }
}
