import { cliReferenceMarkdown } from "./cli-reference.js";
import {
  configReferenceMarkdown,
  configSchemaFile,
  EVAL_SCHEMA_FILE,
  evalSuiteSchemaFile,
  SCHEMA_FILE,
} from "./config-reference.js";
import { entityTypesReferenceMarkdown } from "./entity-types-reference.js";
import { errorsReferenceMarkdown } from "./errors-reference.js";

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

/** Every file `npm run docs:gen` writes, generated from the code as it is now. */
export function generatedFiles(): GeneratedFile[] {
  return [
    { path: SCHEMA_FILE, content: configSchemaFile() },
    { path: EVAL_SCHEMA_FILE, content: evalSuiteSchemaFile() },
    { path: "docs/reference/config.md", content: configReferenceMarkdown() },
    { path: "docs/reference/cli.md", content: cliReferenceMarkdown() },
    { path: "docs/reference/errors.md", content: errorsReferenceMarkdown() },
    { path: "docs/reference/entity-types.md", content: entityTypesReferenceMarkdown() },
  ];
}
