// Rejects paths that leave the workspace or reach into git's files: absolute, `..`, `~`, backslashes, NUL, invisible or look-alike characters, `.git/`, symlinks.
import type { FilePatch } from "../diff.js";
import type { GateFinding } from "./changed-lines.js";

const SYMLINK_MODE = "120000";
const GITLINK_MODE = "160000";

/** Characters no file name needs and that some file systems drop (HFS+ ignores U+200C) or readers cannot see. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/** Letters of other scripts that look like ASCII letters (Cyrillic, Greek, Armenian, Latin variants). */
const LOOK_ALIKES: ReadonlyMap<string, string> = new Map(
  (
    "аa вb еe һh іi јj кk ӏl мm оo рp ԛq ѕs тt уy хx ԁd ԝw ѵv АA ВB ЕE НH ІI ЈJ КK МM ОO РP ЅS ТT УY " +
    "ХX ԌG αa βb εe ιi κk νv οo ρp τt υu χx ωw γy ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX օo սu հh " +
    "ոn ıi ȷj ɩi ɡg ɑa ꞵb ᴄc ᴅd ᴇe ɢg ʜh ᴊj ᴋk ʟl ᴍm ɴn ᴏo ᴘp ʀr ꜱs ᴛt ᴜu ᴠv ᴡw ʏy ᴢz "
  )
    .trim()
    .split(" ")
    .map((pair) => [pair.slice(0, 1), pair.slice(1)]),
);

/** Paths that need no skeleton: printable ASCII without trailing dots or spaces, `~` or `:` in any segment. */
const PLAIN_PATH = /^(?:(?![~:])[\x20-\x7e])*$/;
const TRAILING_DOT_OR_SPACE = /[. ](?:\/|$)/;

/** One path segment as a case-insensitive, normalizing file system or a reader may take it. */
function segmentSkeleton(segment: string): string {
  let name = segment.normalize("NFKD").replace(/\p{M}/gu, "");
  name = Array.from(name, (ch) => LOOK_ALIKES.get(ch) ?? ch).join("");
  const stream = name.indexOf(":");
  if (stream > 0) name = name.slice(0, stream); // NTFS alternate data stream: `.git::$INDEX_ALLOCATION`
  if (/[^. ]/.test(name)) name = name.replace(/[. ]+$/, ""); // NTFS drops trailing dots and spaces
  const shortName = /^(git|github)~\d+$/i.exec(name); // NTFS 8.3 names: GIT~1 is .git, GITHUB~1 is .github
  return shortName ? `.${(shortName[1] ?? "").toLowerCase()}` : name;
}

/**
 * The path as some file system or reader may see it: look-alike letters mapped to ASCII, accents and compatibility
 * forms folded (NFKD), trailing dots and spaces, NTFS streams and 8.3 short names of `.git`/`.github` undone.
 */
export function pathSkeleton(path: string): string {
  if (PLAIN_PATH.test(path) && !TRAILING_DOT_OR_SPACE.test(path)) return path;
  return path.split("/").map(segmentSkeleton).join("/");
}

/**
 * Non-ASCII characters a path may hold: accented Latin letters of Latin-1 and Latin Extended-A (their skeleton, the
 * plain letter, is what the protected-path check compares) without the dotless i, kra and long s, and the CJK,
 * kana and Hangul blocks, which hold no Latin look-alikes. Everything else outside ASCII is refused: Cyrillic, Greek,
 * Armenian, Cherokee, IPA and small capitals, modifier letters, letter-like symbols, mathematical alphanumerics,
 * full-width and enclosed forms; every one of Unicode's confusables for ASCII letters, digits, `.` and `/` is in them.
 */
const ALLOWED_NON_ASCII =
  /^(?:[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u0130\u0132-\u0137\u0139-\u017e]|[\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3])$/u;

/** Why a path's characters could name another file once normalised or read by a person, or null. */
function unusualCharacterProblem(path: string): string | null {
  if (/^[\x20-\x7e]*$/.test(path)) return null;
  if (path.normalize("NFC") !== path) {
    return "is not in Unicode normal form C: file systems that normalise names (macOS) store it under another name";
  }
  for (const ch of path) {
    if (ch.charCodeAt(0) < 0x80) continue;
    if (ch.normalize("NFKC") !== ch) {
      return `contains ${describeCharacter(ch)}, a compatibility form that normalises to "${ch.normalize("NFKC")}"`;
    }
    if (!ALLOWED_NON_ASCII.test(ch)) {
      return `contains ${describeCharacter(ch)} ("${ch}"), outside the accented-Latin and CJK letters a path may hold (possible look-alike)`;
    }
  }
  return null;
}

function describeCharacter(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Why `path` is unsafe, or null when it is a plain relative path inside the workspace. */
export function pathEscapeProblem(path: string): string | null {
  if (path === "") return "has an empty file name";
  if (path.includes("\0")) return "contains a NUL byte";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters in names are the thing being rejected
  if (/[\x01-\x1f\x7f]/.test(path)) return "contains control characters";
  const invisible = INVISIBLE.exec(path);
  if (invisible) {
    return `contains an invisible, bidirectional or control character (${describeCharacter(invisible[0])}), which some file systems drop`;
  }
  if (path.includes("\\")) return "contains a backslash";
  if (path.startsWith("/")) return "is an absolute path";
  if (/^[A-Za-z]:/.test(path)) return "is an absolute Windows path";
  if (path.startsWith("~")) return "starts with ~ (a home directory)";
  const segments = path.split("/");
  for (const segment of segments) {
    if (segment === "..") return "contains a .. segment that leaves the workspace";
    if (segment === ".") return "contains a . segment (git and the gate would name the file differently)";
    if (segment === "") return "contains an empty segment (// or a trailing /), which git squashes";
    if (segment.toLowerCase() === ".git") return "writes inside .git/";
    if (/^[. ]{2,}$/.test(segment)) return `has a segment of only dots and spaces ("${segment}")`;
  }
  const unusual = unusualCharacterProblem(path);
  if (unusual) return unusual;
  const skeleton = pathSkeleton(path);
  if (skeleton !== path) {
    for (const segment of skeleton.split("/")) {
      if (segment.toLowerCase() === ".git") {
        return "writes inside .git/ (a segment that some file systems or readers take for .git)";
      }
      if (segment === "..") return "contains a segment that reads as .. (look-alike dots)";
    }
  }
  return null;
}

export function checkPathEscape(patches: readonly FilePatch[]): GateFinding | null {
  for (const patch of patches) {
    for (const path of [patch.oldPath, patch.newPath]) {
      if (path === null) continue;
      const problem = pathEscapeProblem(path);
      if (problem) return { path: JSON.stringify(path).slice(1, -1), what: `path ${problem}` };
    }
    const shown = patch.newPath ?? patch.oldPath ?? "";
    if (patch.newMode === SYMLINK_MODE) {
      return {
        path: shown,
        what: "creates a symbolic link (mode 120000), which can point outside the workspace",
      };
    }
    if (patch.newMode === GITLINK_MODE) {
      return { path: shown, what: "adds a submodule link (mode 160000)" };
    }
  }
  return null;
}
