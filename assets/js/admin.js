/* The form editor: Decap CMS with a file format, a date field and Swedish phrases of ours.
 * Each course is its own file (content/courses/<kommun>/<utbildning>.yaml); the format writes it
 * as a person would (course-file.js), so saving one course changes only its own lines. */
import { parse } from "/admin/yaml/index.js";

const script = document.querySelector("script[data-course-file]");
const { formatCourse, formatFields, leadingComments, COMMENTS_KEY } = await import(script.dataset.courseFile);
const spec = await (await fetch("/admin/course-file.json")).json();
const CMS = window.CMS;

CMS.registerCustomFormat("course-file", "yaml", {
  fromFile(text) {
    const course = parse(text) || {};
    for (const intake of course.intakes || []) {
      // Which kind of start the form shows: continuous, a common period, or its own last application day.
      intake[spec.kind_key] = intake.continuous === true ? "continuous"
        : "period" in intake && !("apply_by" in intake) ? "period" : "apply_by";
    }
    if (course.contact && !Array.isArray(course.contact)) course.contact = [course.contact];
    return { ...course, [COMMENTS_KEY]: leadingComments(text) };
  },
  toFile(data) {
    return formatCourse(data, data[COMMENTS_KEY] || [], spec);
  },
});

/* An infobrev (content/infobrev/*.md): its fields between two lines "---", in the schema's order
 * and written like a course file's (Decap's own front matter format wraps long lines), then the text. */
const FRONT = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/;
CMS.registerCustomFormat("infobrev", "md", {
  fromFile(text) {
    const found = FRONT.exec(text.replace(/\r\n?/g, "\n"));
    return found ? { ...(parse(found[1]) || {}), body: found[2] } : { body: text };
  },
  toFile(data) {
    const { body = "", ...fields } = data;
    const text = body && !body.endsWith("\n") ? `${body}\n` : body;
    return `---\n${formatFields(fields, spec.infobrev, spec).join("\n")}\n---\n${text}`;
  },
});

/* Dates typed as 2027-03-15 (how the site and the files write them) and read back in words
 * ("måndag 15 mars 2027") below the field, whatever language the browser speaks. */
const words = new Intl.DateTimeFormat("sv-SE", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

function realDate(text) {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text)) return null;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text ? date : null;
}

function dateText(value) {
  return value instanceof Date ? value.toISOString().slice(0, 10) : value ? String(value) : "";
}

const h = window.h;
const DateControl = window.createClass({
  handleChange(event) {
    this.props.onChange(event.target.value.trim());
  },
  isValid() {
    const text = dateText(this.props.value);
    return !text || realDate(text) ? true : { error: { message: "Skriv datumet som år-månad-dag med siffror, t.ex. 2027-03-15." } };
  },
  render() {
    const { forID, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
    const text = dateText(this.props.value);
    const date = realDate(text);
    return h("div", { className: "datum" },
      h("input", {
        id: forID, type: "text", inputMode: "numeric", autoComplete: "off", placeholder: "ÅÅÅÅ-MM-DD",
        value: text, className: classNameWrapper, onChange: this.handleChange, onFocus: setActiveStyle, onBlur: setInactiveStyle,
        "aria-describedby": `${forID}-i-ord`,
      }),
      h("p", { id: `${forID}-i-ord`, className: "datum-i-ord", style: { margin: "0.4rem 0 0", fontSize: "0.95rem" } },
        date ? words.format(date) : text ? "Inget riktigt datum ännu." : ""),
    );
  },
});
CMS.registerWidget("datum", DateControl, ({ value }) => h("span", {}, dateText(value)));

/* Decap's Swedish phrases lack a few strings (they showed in English: "Add utbildning") and say
 * others in a way our editors would not; ours are added, Decap's own translations are kept. */
const sv = CMS.getLocale("sv");
if (sv && sv.editor && sv.editor.editorWidgets) {
  const widgets = sv.editor.editorWidgets;
  CMS.registerLocale("sv", {
    ...sv,
    collection: {
      ...sv.collection,
      collectionTop: { ...(sv.collection || {}).collectionTop, newButton: "Lägg till %{collectionLabel}", newButtonAriaLabel: "Lägg till %{collectionLabel}" },
    },
    editor: {
      ...sv.editor,
      editorControlPane: {
        ...sv.editor.editorControlPane,
        widget: { ...(sv.editor.editorControlPane || {}).widget, required: "Fyll i %{fieldLabel}." },
      },
      editorWidgets: {
        ...widgets,
        list: { ...widgets.list, add: "Lägg till %{item}", addType: "Lägg till %{item}" },
        object: { expand: "Fäll ut", collapse: "Fäll ihop", ...widgets.object },
      },
    },
    ui: {
      ...sv.ui,
      toast: {
        ...(sv.ui || {}).toast, missingRequiredField: "Det saknas något som måste fyllas i.",
        onFailToPersist: "Det gick inte att spara. %{details}",
      },
    },
  });
}

/* What the schema asks that Decap's fields cannot: at least one start, and a length in weeks or
 * points. Checked before saving; the message names the fields. */
CMS.registerEventListener({
  name: "preSave",
  handler: ({ entry }) => {
    if (entry.get("collection") === "infobrev") return;
    const data = entry.get("data");
    const filled = (key) => { const value = data.get(key); return value !== undefined && value !== null && value !== ""; };
    const missing = [];
    if (!data.get("intakes") || data.get("intakes").size === 0) missing.push(`minst en start under ${spec.titles.intakes}`);
    if (!filled("weeks") && !filled("points")) missing.push(`${spec.titles.weeks} eller ${spec.titles.points}`);
    if (missing.length) throw new Error(`Fyll i ${missing.join(" och ")}.`);
  },
});

/* The message after a save with an empty required field names the fields, read from the
 * messages Decap puts beside them ("Fyll i Ort."). */
const MISSING = "Det saknas något som måste fyllas i.";
new MutationObserver(() => {
  for (const toast of document.querySelectorAll("[role=alert], [class*=toast], [class*=Toast]")) {
    if (!toast.textContent.includes(MISSING) || toast.dataset.named) continue;
    const names = [...document.querySelectorAll("[class*=ControlErrorsList] li")]
      .map((item) => item.textContent.replace(/^Fyll i /, "").replace(/\.$/, ""))
      .filter((name, i, all) => name && all.indexOf(name) === i);
    if (!names.length) continue;
    const node = [...toast.querySelectorAll("*")].find((el) => el.childElementCount === 0 && el.textContent.includes(MISSING));
    if (node) {
      node.textContent = `Fyll i ${names.join(", ")} innan du sparar.`;
      toast.dataset.named = "1";
    }
  }
}).observe(document.body, { childList: true, subtree: true });

CMS.init();
