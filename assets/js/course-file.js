/* A per-course file (content/courses/<kommun>/<utbildning>.yaml) written as a person would write
 * it, byte for byte the format of dalawux_site/course_file.py (see its format_course): the schema
 * line, the course's own comments, the keys in the schema's order, short lists in flow style,
 * texts with several lines as literal blocks. The same data always gives the same bytes, so a
 * save that changes nothing changes no byte. */

export const COMMENTS_KEY = "_comments";  // the course's comment lines, kept between reading and writing

// What YAML 1.1 (PyYAML, which the build reads with) would take for something other than a text;
// a date (YYYY-MM-DD) is written plain, as the date it is.
const NOT_TEXT = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:~|null|Null|NULL|<<|=)?$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?$/,
];
const INDICATOR_FIRST = /^[-?:,[\]{}#&*!|>'"%@`]/;
const SPACE = "[\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";  // Python's str.strip
const EDGE_SPACE = new RegExp(`^${SPACE}|${SPACE}$`);
const ONLY_SPACE = new RegExp(`^${SPACE}*$`);
// What YAML may not hold as it is, or reads as a line break: escaped as \uXXXX in quotes.
const UNPRINTABLE = /[^\x09\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]|[\x85\u2028\u2029]/u;
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, "gu");
const FLOW_UNSAFE = /[,[\]{}]/;

/** The comment lines of a course file: those after the schema line and before the first key. */
export function leadingComments(text) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const found = [];
  for (const [i, line] of lines.entries()) {
    if (i === 0 && line.startsWith("# yaml-language-server:")) continue;
    if (line.trim() === "") continue;
    if (!line.startsWith("#")) break;
    found.push(line);
  }
  return found;
}

/** The lines of a mapping's keys in the order given (an infobrev's front matter), as in a course file. */
export function formatFields(object, order, spec) {
  const lines = [];
  mapping(lines, object, order, "", spec);
  return lines;
}

/** The file's text for one course (a plain object), with the comment lines given. */
export function formatCourse(course, comments, spec) {
  const lines = [spec.schema_line, ...comments];
  mapping(lines, course, spec.course, "", spec);
  return lines.join("\n") + "\n";
}

function present(value) {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

function ordered(object, order) {
  const keys = Object.keys(object).filter((key) => !key.startsWith("_") && present(object[key]));
  return [...order.filter((key) => keys.includes(key)), ...keys.filter((key) => !order.includes(key))];
}

function mapping(lines, object, order, indent, spec, first = null) {
  for (const key of ordered(object, order)) {
    const lead = first !== null && lines.length === first ? indent.slice(0, -2) + "- " : indent;
    entry(lines, lead, indent, key, object[key], spec);
  }
}

function entry(lines, lead, indent, key, value, spec) {
  const nested = (spec.nested || {})[key] || [];
  if (Array.isArray(value) && value.every((item) => typeof item !== "object" || item === null)) {
    lines.push(`${lead}${key}: [${value.map((item) => scalar(item, true)).join(", ")}]`);
  } else if (Array.isArray(value) && key === "contact" && value.length === 1) {
    entry(lines, lead, indent, key, value[0], spec);  // the form holds the one contact person in a list
  } else if (Array.isArray(value)) {
    lines.push(`${lead}${key}:`);
    for (const item of value) mapping(lines, item, nested, indent + "    ", spec, lines.length);
  } else if (typeof value === "object") {
    lines.push(`${lead}${key}:`);
    mapping(lines, value, nested, indent + "  ", spec);
  } else if (typeof value === "string" && value.includes("\n") && blockable(value)) {
    lines.push(`${lead}${key}: |${value.endsWith("\n") ? "" : "-"}`);
    const body = value.endsWith("\n") ? value.slice(0, -1) : value;
    for (const line of body.split("\n")) lines.push(line === "" ? "" : `${indent}  ${line}`);
  } else {
    lines.push(`${lead}${key}: ${scalar(value, false)}`);
  }
}

/** A literal block keeps the text exactly, unless its first line is empty or starts with a
 * space or tab (read as the block's indentation), it ends with more than one line break, a line
 * holds only spaces, or it holds what YAML must escape: then it is quoted. */
function blockable(text) {
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  const lines = body.split("\n");
  return !body.endsWith("\n") && !UNPRINTABLE.test(text) && !text.includes("\r") && !/^[ \t]|^$/.test(lines[0])
    && !lines.some((line) => /[ \t]$/.test(line) && ONLY_SPACE.test(line));
}

function scalar(value, inFlow) {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = String(value);
  const plain = text !== "" && !INDICATOR_FIRST.test(text) && !EDGE_SPACE.test(text) && !text.endsWith(":")
    && !text.includes(": ") && !text.includes(" #") && !text.includes("\t") && !UNPRINTABLE.test(text)
    && !text.includes("\n") && !text.includes("\r") && !(inFlow && FLOW_UNSAFE.test(text))
    && !NOT_TEXT.some((pattern) => pattern.test(text));
  return plain ? text : quoted(text);
}

/** Double quotes with JSON's escapes (YAML reads them the same), \uXXXX for what YAML may not hold. */
function quoted(text) {
  return JSON.stringify(text).replace(UNPRINTABLE_ALL, (ch) => `\\u${ch.codePointAt(0).toString(16).padStart(4, "0")}`);
}
