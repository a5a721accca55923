export { Sandbox, type SandboxOptions } from "./sandbox.js";
export { SANDBOX_HOST, startSandboxServer, type SandboxKeys, type SandboxServer, type SandboxServerOptions } from "./server.js";
export { HttpFaults, type HttpFault, type HttpFaultKind } from "./faults.js";
