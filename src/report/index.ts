export { ArtifactWriter, ARTIFACT_SCHEMA_VERSION, type ArtifactSink } from "./artifacts.js";
export { maxDrawdown, TIMELINE_HEADER, writeRunFiles, type RunSummary } from "./runFiles.js";
