/* The form editor: Decap CMS with one file format of ours.
 * A course file (content/courses/<kommun>.yaml) is a YAML list at its root, which Decap cannot edit
 * directly: this format reads the list into a `courses` field and writes it back as a list,
 * keeping the line that lets editors' YAML tools check the file against the schema. */
import { parse, stringify } from "/admin/yaml/index.js";

const SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/course.schema.json\n";

window.CMS.registerCustomFormat("yaml-course-list", "yaml", {
  fromFile(text) {
    const courses = parse(text);
    return { courses: Array.isArray(courses) ? courses : [] };
  },
  toFile(data) {
    const courses = (data && data.courses) || [];
    return SCHEMA_LINE + stringify(courses, { lineWidth: 0 });
  },
});
/* Decap's Swedish phrases lack a few strings, which then show in English ("Add utbildning").
 * Add them to the Swedish set; a phrase a later Decap version translates itself wins. */
const sv = window.CMS.getLocale("sv");
if (sv && sv.editor && sv.editor.editorWidgets) {
  const widgets = sv.editor.editorWidgets;
  window.CMS.registerLocale("sv", {
    ...sv,
    editor: {
      ...sv.editor,
      editorWidgets: {
        ...widgets,
        list: { add: "Lägg till %{item}", addType: "Lägg till %{item}", ...widgets.list },
        object: { expand: "Fäll ut", collapse: "Fäll ihop", ...widgets.object },
      },
    },
  });
}

window.CMS.init();
