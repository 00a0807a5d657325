import { parseArgs } from "../model/builder";
import { compareLanes } from "../model/dataset";
import { markerKindName, SpanFlag, type MarkerKindValue, type Model } from "../model/types";

/** Trace Event Format, as Perfetto, chrome://tracing and speedscope read it. */
export interface ChromeTrace {
  traceEvents: Record<string, unknown>[];
  displayTimeUnit: "ms" | "ns";
  otherData: Record<string, unknown>;
}

/**
 * What Rankscope loaded, as a Chrome trace: a process per group, a thread per lane (named,
 * sorted by rank), `X` events for spans, `i` for markers, `C` for counters. Times are epoch
 * microseconds. Each thread's metadata carries the lane's identity under `args.rankscope`
 * and each counter event its series name in `cat`, so importing the export rebuilds the
 * same lanes.
 */
export function toChromeTrace(model: Model): ChromeTrace {
  const events: Record<string, unknown>[] = [];
  const lanes = [...model.lanes].sort((a, b) => compareLanes(a.info, b.info));
  const pids = new Map<string, number>();
  lanes.forEach((lane, index) => {
    const info = lane.info;
    const originUs = lane.originSec * 1e6;
    const us = (offsetNs: number) => originUs + offsetNs / 1e3;
    let pid = pids.get(info.group);
    if (pid === undefined) {
      pid = pids.size + 1;
      pids.set(info.group, pid);
      events.push({ ph: "M", name: "process_name", pid, tid: 0, args: { name: info.group } });
      events.push({ ph: "M", name: "process_sort_index", pid, tid: 0, args: { sort_index: pid } });
    }
    const tid = index + 1;
    events.push({ ph: "M", name: "thread_name", pid, tid, args: { name: info.label, rankscope: info } });
    events.push({ ph: "M", name: "thread_sort_index", pid, tid, args: { sort_index: info.rank ?? index } });
    const { spans, markers, strings } = lane;
    for (let i = 0; i < spans.start.length; i++) {
      const args: Record<string, unknown> = parseArgs(strings[spans.args[i]]);
      if (spans.flags[i] & SpanFlag.Open) args.open = true;
      if (spans.flags[i] & SpanFlag.TruncatedStart) args.truncatedStart = true;
      if (spans.flags[i] & SpanFlag.Inferred) args.inferred = true;
      if (spans.flags[i] & SpanFlag.Error) args.error = true;
      if (spans.depth[i]) args.depth = spans.depth[i];
      events.push({
        ph: "X",
        name: strings[spans.name[i]],
        cat: info.source,
        ts: us(spans.start[i]),
        dur: (spans.end[i] - spans.start[i]) / 1e3,
        pid,
        tid,
        args,
      });
    }
    for (let i = 0; i < markers.t.length; i++) {
      const args = {
        ...parseArgs(strings[markers.args[i]]),
        kind: markerKindName[markers.kind[i] as MarkerKindValue],
      };
      events.push({
        ph: "i",
        s: "t",
        name: strings[markers.name[i]],
        cat: info.source,
        ts: us(markers.t[i]),
        pid,
        tid,
        args,
      });
    }
    for (const c of lane.counters) {
      // One track per lane and series in viewers (counters are per process there).
      const name = `${c.name} · ${info.label}`;
      for (let i = 0; i < c.t.length; i++)
        events.push({ ph: "C", name, cat: c.name, ts: us(c.t[i]), pid, tid, args: { value: c.v[i] } });
    }
  });
  return {
    traceEvents: events,
    displayTimeUnit: "ms",
    otherData: {
      exporter: "rankscope",
      originSec: model.originSec,
      files: model.files.map((f) => ({ path: f.path, format: f.format })),
    },
  };
}
