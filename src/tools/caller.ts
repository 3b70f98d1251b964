/** The identity a run acts for. It flows into every tool call so sources can restrict rows. */
export interface Caller {
  id: string;
  roles: string[];
  /** Extra claims (tenant, department, ...) that sources may bind, e.g. `:user.tenant`. */
  attributes?: Record<string, string | number | boolean>;
}
