// The commented `.github/rfsn.yml` sample with the detected test command filled in.
import type { DetectedStack } from "../stack-detection.js";
import { SAMPLE_CONFIG_YAML } from "./sample.js";

const TEST_COMMAND_LINE = /^test_command: ""$/m;

/** The sample configuration whose `test_command` is the detected one (every other key stays at its default). */
export function tailoredConfigYaml(stack: DetectedStack): string {
  if (!TEST_COMMAND_LINE.test(SAMPLE_CONFIG_YAML)) return SAMPLE_CONFIG_YAML;
  return SAMPLE_CONFIG_YAML.replace(
    TEST_COMMAND_LINE,
    `# Detected from the repository (${stack.language}, ${stack.packageManager}).\ntest_command: ${JSON.stringify(stack.testCommand)}`,
  );
}
