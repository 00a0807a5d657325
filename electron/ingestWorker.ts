// An ingest worker thread of the desktop app: it serves units of the shared driver (see
// host/ingestThreads.ts, which does the serving when loaded in a marked worker thread).
import "./host/ingestThreads";
