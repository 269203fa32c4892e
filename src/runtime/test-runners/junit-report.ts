// Reads the test cases of a JUnit XML report (pytest `--junitxml`, node's junit reporter) with a small tag scanner.

export interface JunitTestCase {
  name: string;
  classname: string;
  file?: string;
  line?: number;
  timeSeconds?: number;
  status: "passed" | "failed" | "skipped";
  /** The `message` attribute of the failure, error or skipped element. */
  message?: string;
  /** The text inside the failure or error element (a traceback or stack). */
  details?: string;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (whole, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}

function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(/([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    const name = match[1];
    if (name) attributes[name] = decodeEntities(match[3] ?? match[4] ?? "");
  }
  return attributes;
}

/** All `<testcase>` elements of a JUnit report; malformed input yields what could be read. */
export function parseJunitReport(xml: string): JunitTestCase[] {
  const cases: JunitTestCase[] = [];
  let current: JunitTestCase | undefined;
  let textTarget: "details" | undefined;
  let text = "";
  let index = 0;
  while (index < xml.length) {
    const open = xml.indexOf("<", index);
    if (open < 0) break;
    if (textTarget) text += decodeEntities(xml.slice(index, open));
    if (xml.startsWith("<!--", open)) {
      const close = xml.indexOf("-->", open);
      index = close < 0 ? xml.length : close + 3;
      continue;
    }
    if (xml.startsWith("<![CDATA[", open)) {
      const close = xml.indexOf("]]>", open);
      if (textTarget) text += xml.slice(open + 9, close < 0 ? xml.length : close);
      index = close < 0 ? xml.length : close + 3;
      continue;
    }
    const close = xml.indexOf(">", open);
    if (close < 0) break;
    const tag = xml.slice(open + 1, close);
    index = close + 1;
    if (tag.startsWith("?") || tag.startsWith("!")) continue;
    const closing = tag.startsWith("/");
    const selfClosing = tag.endsWith("/");
    const name = (closing ? tag.slice(1) : tag).split(/[\s/]/, 1)[0] ?? "";
    if (name === "testcase") {
      if (closing) {
        if (current) cases.push(current);
        current = undefined;
        continue;
      }
      const attributes = parseAttributes(tag);
      current = { name: attributes.name ?? "", classname: attributes.classname ?? "", status: "passed" };
      if (attributes.file) current.file = attributes.file;
      if (attributes.line) current.line = Number(attributes.line);
      if (attributes.time) current.timeSeconds = Number(attributes.time);
      if (selfClosing) {
        cases.push(current);
        current = undefined;
      }
      continue;
    }
    if (!current) continue;
    if (name === "failure" || name === "error" || name === "skipped") {
      if (closing) {
        if (textTarget) current.details = `${current.details ? `${current.details}\n` : ""}${text.trim()}`;
        textTarget = undefined;
        text = "";
        continue;
      }
      const attributes = parseAttributes(tag);
      if (name === "skipped") {
        if (current.status !== "failed") current.status = "skipped";
      } else {
        current.status = "failed";
      }
      if (attributes.message !== undefined && current.message === undefined)
        current.message = attributes.message;
      if (!selfClosing && name !== "skipped") {
        textTarget = "details";
        text = "";
      }
    }
  }
  return cases;
}
