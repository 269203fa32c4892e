// What the Action does to the world besides GitHub's API (log, outputs, job summary, artifacts, cache), passed in.
export interface ActionEffects {
  info: (message: string) => void;
  warning: (message: string) => void;
  setOutput: (name: string, value: string) => void;
  writeJobSummary: (markdown: string) => Promise<void>;
  uploadArtifact?: (name: string, files: string[], rootDir: string) => Promise<void>;
  restoreCache?: (paths: string[], key: string, restoreKeys: string[]) => Promise<string | undefined>;
  saveCache?: (paths: string[], key: string) => Promise<void>;
}
