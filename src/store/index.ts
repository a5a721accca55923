export { openExistingStore, openStore } from "./store.js";
export { SCHEMA_VERSION } from "./schema.js";
export { StoreOpenError } from "./errors.js";
export type {
  CycleEnd,
  EquityRecord,
  EventFilter,
  FillRecord,
  NewFill,
  NewOrderIntent,
  NewRun,
  NewSignal,
  OrderIntentRecord,
  OrderRecord,
  RecordedCall,
  RecordedCycle,
  RecordedInvocation,
  RecordIntentResult,
  RunRecord,
  RunStatus,
  SignalRecord,
  Store,
  StoredEvent,
  StoredEventText,
  StoredOrder,
} from "./records.js";
