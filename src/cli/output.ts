// The CLI's only window to the terminal: results on stdout, progress on stderr (a live line on a TTY).

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const terminalIo: CliIo = {
  stdout: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
};

/** Progress reporter: rewrites one status line on a TTY, prints plain lines otherwise. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): {
  update: (message: string) => void;
  done: () => void;
} {
  if (!stream.isTTY) {
    return { update: (message) => stream.write(`rfsn: ${message}\n`), done: () => {} };
  }
  const started = Date.now();
  let last = "";
  return {
    update: (message) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
      const firstLine = message.split("\n")[0] ?? "";
      const width = Math.max(20, (stream.columns ?? 100) - 12);
      last = `\r\x1b[2K${seconds}s  ${firstLine.slice(0, width)}`;
      stream.write(last);
    },
    done: () => {
      if (last) stream.write("\n");
    },
  };
}
