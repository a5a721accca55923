export { FlightRecorder, type FlightRecorderOptions } from "./recorder.js";
export { cycleOutcome, outcomeDifference, type CycleOutcome, type OutcomeDifference } from "./outcome.js";
export { DamagedRecordingError, readRecording, type CycleRecording, type InvocationRecording } from "./recording.js";
export { describeDivergence, Playback, RecordingEndedError, type Divergence } from "./playback.js";
export { compareFills, type FillComparison, type FillsReport, type SlippageSummary } from "./fills.js";
