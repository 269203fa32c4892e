// Decides which variables an untrusted command may see: an allowlist, minus anything that looks like a secret.
import { describe, expect, it } from "vitest";
import {
  isSecretVariableName,
  scrubbedEnvironment,
  trustedEnvironment,
} from "../../src/runtime/environment.js";

describe("isSecretVariableName", () => {
  it.each([
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "ACTIONS_RUNTIME_TOKEN",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    "ACTIONS_CACHE_URL",
    "NPM_TOKEN",
    "node_auth_token",
    "AWS_SECRET_ACCESS_KEY",
    "OPENAI_API_KEY",
    "MY_APIKEY_VALUE",
    "DB_PASSWORD",
    "GITHUB_PAT",
    "PRIVATE_KEY",
    "PRIVATE_KEY_PATH",
    "APP_PRIVATE_KEY",
    "WEBHOOK_SECRET",
    "INPUT_TOKEN",
    "INPUT_GITHUB-TOKEN",
    "GOOGLE_APPLICATION_CREDENTIALS",
  ])("treats %s as secret", (name) => {
    expect(isSecretVariableName(name)).toBe(true);
  });

  it.each([
    "PATH",
    "HOME",
    "LANG",
    "CI",
    "NODE_ENV",
    "GIT_AUTHOR_NAME",
    "KEYBOARD",
    "TOKENIZERS_PARALLELISM",
  ])("treats %s as harmless", (name) => {
    expect(isSecretVariableName(name)).toBe(false);
  });
});

describe("scrubbedEnvironment", () => {
  const source = {
    PATH: "/usr/bin",
    HOME: "/home/runner",
    LC_ALL: "C.UTF-8",
    CI: "true",
    PYTHONPATH: "src",
    NODE_OPTIONS: "--require ./inject.js",
    SHELL: "/bin/bash",
    GITHUB_REPOSITORY: "octo/repo",
    GITHUB_TOKEN: "ghs_0123456789abcdef",
    INPUT_TOKEN: "ghs_0123456789abcdef",
    FOO_API_KEY: "key-0123456789",
    UNSET: undefined,
  };

  it("keeps allowlisted variables, the LC_ family included", () => {
    expect(scrubbedEnvironment(source)).toEqual({
      PATH: "/usr/bin",
      HOME: "/home/runner",
      LC_ALL: "C.UTF-8",
      CI: "true",
      PYTHONPATH: "src",
    });
  });

  it("drops NODE_OPTIONS, SHELL and other variables that are not allowlisted", () => {
    const result = scrubbedEnvironment(source);
    expect(result.NODE_OPTIONS).toBeUndefined();
    expect(result.SHELL).toBeUndefined();
    expect(result.GITHUB_REPOSITORY).toBeUndefined();
  });

  it("adds extra variables but never secret names or copies of secret values", () => {
    const result = scrubbedEnvironment(source, {
      FORCE: "1",
      NODE_OPTIONS: "--max-old-space-size=2048",
      EXTRA_TOKEN: "abc",
      INNOCENT: "ghs_0123456789abcdef",
      CI: undefined,
    });
    expect(result.FORCE).toBe("1");
    expect(result.NODE_OPTIONS).toBe("--max-old-space-size=2048");
    expect(result.EXTRA_TOKEN).toBeUndefined();
    expect(result.INNOCENT).toBeUndefined();
    expect(result.CI).toBeUndefined();
  });

  it("drops an allowlisted variable whose value is a secret's value", () => {
    expect(scrubbedEnvironment({ HOME: "key-0123456789", FOO_API_KEY: "key-0123456789" })).toEqual({});
  });

  it("reads process.env when no source is given", () => {
    expect(scrubbedEnvironment().PATH).toBe(process.env.PATH);
  });
});

describe("trustedEnvironment", () => {
  it("keeps everything, then applies extra values and removals", () => {
    expect(trustedEnvironment({ A: "1", GITHUB_TOKEN: "t", B: "2" }, { B: undefined, C: "3" })).toEqual({
      A: "1",
      GITHUB_TOKEN: "t",
      C: "3",
    });
  });
});
