/**
 * The stitched history as lanes, after every poll. The Skulk reader itself does the work
 * (the collector, its replay, the cluster-timeline pieces), so the live view shows exactly
 * what reopening the saved snapshot shows. What it skips is the text: entries go in as the
 * history's offsets and interned bodies (each body parsed once for the whole attach), not
 * as a snapshot document written and parsed again every two seconds.
 */

import {
  rankscopeExtras,
  entryIdentity,
  timelineRunners,
  timelineUnreachable,
} from "../formats/skulk/timeline";
import { SkulkCollector } from "../formats/skulk/runner";
import type { JsonObject, ParseContext } from "../formats/types";
import { FileReportBuilder } from "../ingest/report";
import { ModelBuilder } from "../model/builder";
import { TimeBase } from "../model/time";
import type { DatasetNote, FileReport, LaneData } from "../model/types";
import { runnersOf } from "./snapshot";
import type { Stitcher } from "./stitch";

export interface LiveLanes {
  lanes: LaneData[];
  /** One report for the attach, as its saved snapshot would get. */
  files: FileReport[];
  notes: DatasetNote[];
}

/** Parsed entry bodies kept across polls; past this many, bodies are parsed per build. */
const BODY_CACHE = 200_000;

export class LiveLaneBuilder {
  private readonly bodies = new Map<number, JsonObject | null>();

  /** `path` names the attach in the file list ("live: http://10.0.0.2:52415"). */
  constructor(private readonly path: string) {}

  private body(s: Stitcher, id: number): JsonObject | null {
    let body = this.bodies.get(id);
    if (body !== undefined) return body;
    try {
      body = JSON.parse(`{${s.strings.values[id]}}`) as JsonObject;
    } catch {
      body = null;
    }
    if (this.bodies.size < BODY_CACHE) this.bodies.set(id, body);
    return body;
  }

  build(s: Stitcher, nodeNames: Record<string, string> = {}): LiveLanes {
    const builder = new ModelBuilder();
    const report = new FileReportBuilder(this.path, "skulk.cluster-timeline", 0);
    const notes: DatasetNote[] = [];
    if (!s.time.hasOrigin) return { lanes: [], files: [report.build()], notes };
    builder.setFile(0);
    const collector = new SkulkCollector(builder, new TimeBase(s.time.originSec));
    const ctx: ParseContext = {
      builder,
      report,
      note: (n) => notes.push(n),
      sibling: () => undefined,
      fileIndex: 0,
      shared: <T extends { finish(): void }>(key: string, create: () => T): T =>
        (key === "skulk" ? collector : create()) as T,
    };
    SkulkCollector.of(ctx);
    const byRunner = timelineRunners(collector, runnersOf(s).runners, s.latest.generatedT, ctx);
    for (const runnerId of s.runnerIds()) {
      const h = s.history(runnerId)!;
      const lifted = { runnerId, nodeId: h.nodeId, deviceRank: h.deviceRank, worldSize: h.worldSize };
      const identity = entryIdentity(lifted, byRunner, ctx)!;
      const lane = collector.runner(identity).lane;
      for (let i = 0; i < h.n; i++) {
        const body = this.body(s, h.body[i]);
        if (!body) continue;
        collector.entryAt(body, h.t[i], 0, identity);
        const m = h.memoryAt(i);
        if (m) collector.memory(lane, m, m.t);
      }
    }
    timelineUnreachable(collector, s.latest.unreachableNodes, ctx);
    rankscopeExtras(
      collector,
      { rankscopeGaps: s.gaps as unknown as JsonObject[], rankscopeLive: { nodeNames } },
      ctx,
    );
    builder.setFile(-1);
    collector.finish();
    return { lanes: builder.build(), files: [report.build()], notes };
  }
}
