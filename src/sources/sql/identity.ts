import type { Caller } from "../../tools/caller.js";
import { sqlError } from "./sql-error.js";

/** `user.id`, `user.roles`, `user.<attribute>`: values that come from the caller, never the planner. */
export function isIdentityParam(name: string): boolean {
  return name === "user" || name.startsWith("user.");
}

export function identityValue(name: string, caller: Caller | undefined, toolName: string): unknown {
  if (!caller) {
    throw sqlError("SQL_CALLER_REQUIRED", `Tool "${toolName}" binds :${name} but the run has no caller.`, {
      hint: "Pass `caller: { id, roles }` in the run options.",
    });
  }
  const key = name.slice("user.".length);
  if (key === "id") return caller.id;
  if (key === "roles") return caller.roles;
  const value = caller.attributes?.[key];
  if (value === undefined) {
    throw sqlError(
      "SQL_CALLER_REQUIRED",
      `Tool "${toolName}" binds :${name} but the caller has no "${key}" attribute.`,
      {
        hint: `Add "${key}" to the caller's attributes.`,
      },
    );
  }
  return value;
}
