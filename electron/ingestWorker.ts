// An ingest worker thread of the desktop app: it serves units of the shared driver (see
// node/ingestThreads.ts, which does the serving when loaded in a marked worker thread).
import "./node/ingestThreads";
