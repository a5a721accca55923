import { isMapping, type At } from "./walker.js";

/** An item written `- kind: { fields }`: returns the kind and the fields' node, or fails naming the kinds. */
export function singleKeyItem<K extends string>(at: At, kinds: readonly K[]): { kind: K; body: At } {
  const keys = isMapping(at.value) ? Object.keys(at.value) : [];
  if (keys.length !== 1) return at.fail(`a mapping with one key, one of ${kinds.join(", ")}`);
  const kind = keys[0] as K;
  if (!kinds.includes(kind)) at.key(kind).problem(`unknown kind; expected one of ${kinds.join(", ")}`);
  return { kind, body: at.key(kind) };
}
