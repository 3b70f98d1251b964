/** The comparison workload lives with the Chinook eval suite (src/eval/suites/), which also scores it. */
export * from "../../src/eval/suites/chinook-workload.js";
