// WeGO's additions to Decap CMS at /admin/ (shipped by wego_site/admin.py).
//
// 1. Decap saves a field that was typed into and then cleared as "" (decap-cms
//    #7120), which the models reject ("time: '' is not a time"): before saving,
//    "" and null are dropped, so the field is simply absent.
// 2. Rules no widget can express are checked before saving, with the loader's
//    own messages; a failed check cancels the save and Decap shows the message.
//    `python build.py check` stays the authority (CI runs it on every change).
// 3. The preview pane reads like the site: the site's stylesheet, the title as
//    a heading, and every value as readers see it (labels for vocabularies,
//    member and project names for references, "Q3 2025" for 2025-Q3), not keys.
// 4. "Events" opens on a year folder, not on the empty root folder, and the
//    button for a new entry says "New Event".
"use strict";

// A partial date as WeGO writes it: 2024-09-19, 2024-09, 2024-Q3 or 2024.
const WEGO_DATE = /^([0-9]{4})(?:-(?:(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?|Q([1-4])))?$/;

// The first day of a partial date as YYYY-MM-DD (strings compare as dates), or null.
function wegoFirstDay(value) {
  const m = WEGO_DATE.exec(String(value ?? "").trim());
  if (!m) return null;
  const month = m[4] ? String(3 * Number(m[4]) - 2).padStart(2, "0") : m[2] || "01";
  return `${m[1]}-${month}-${m[3] || "01"}`;
}

const WEGO_MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

// A partial date as a person says it (dates.PartialDate.label): "19 September
// 2024", "September 2024", "Q3 2024", "2024"; anything else as written.
function wegoDateLabel(value) {
  const text = String(value ?? "").trim();
  const m = WEGO_DATE.exec(text);
  if (!m) return text;
  if (m[4]) return `Q${m[4]} ${m[1]}`;
  if (m[3]) return `${Number(m[3])} ${WEGO_MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  if (m[2]) return `${WEGO_MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  return m[1];
}

// The loader's messages (as `build.py check` words them) for one entry's data, a
// plain object; the year folder's is addressed to the editor's "Year folder" field.
function wegoChecks(collection, folder, data) {
  const problems = [];
  if (collection !== "events") return problems;
  const start = wegoFirstDay(data.date);
  if (start && folder && folder !== start.slice(0, 4)) {
    problems.push(
      `date: the event is in folder '${folder}' but its date is in ${start.slice(0, 4)}; ` +
        `set Year folder to ${start.slice(0, 4)}`,
    );
  }
  const end = data.end == null ? null : wegoFirstDay(data.end);
  if (start && end && end < start) {
    problems.push(`end (${String(data.end).trim()}) is before date (${String(data.date).trim()})`);
  }
  if (start && data.year_round === true && !/^[0-9]{4}$/.test(String(data.date).trim())) {
    problems.push(`year_round: true needs a year as date (e.g. ${start.slice(0, 4)})`);
  }
  if (start && data.time != null && !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(String(data.date).trim())) {
    problems.push("time is only allowed with a full day date such as 2024-09-19");
  }
  return problems;
}

// Immutable.js values (Decap's entry data) without "" and null, at every depth.
function wegoPrune(value) {
  if (value && value["@@__IMMUTABLE_MAP__@@"]) {
    return value.filter((x) => x !== "" && x !== null).map(wegoPrune);
  }
  if (value && value["@@__IMMUTABLE_LIST__@@"]) return value.map(wegoPrune);
  return value;
}

// --- the preview pane ------------------------------------------------------

// A field of the generated config (a plain object) that holds a partial date:
// its pattern is the loader's date pattern (cms.py writes it for every date).
function wegoIsDate(field) {
  const pattern = Array.isArray(field.pattern) ? field.pattern[0] : field.pattern;
  return typeof pattern === "string" && pattern.includes("-Q[1-4]");
}

function wegoEmpty(value) {
  return value == null || value === "" || value === false || (Array.isArray(value) && !value.length);
}

// One value of one field as readers read it: a string, a list, or a record
// ({pairs: [[label, value], ...]}) for an object or a list item with fields.
// `labels` names referenced entries: {members: {slug: name}, projects: {...}}.
function wegoShow(field, value, labels) {
  if (wegoEmpty(value)) return null;
  // a list's items as shown, without the empty ones
  const many = (f) => (Array.isArray(value) ? value : [value]).map(f).filter((x) => x !== null);
  switch (field.widget) {
    case "boolean":
      return "Yes";
    case "select": {
      const label = (v) => {
        const option = (field.options || []).find((o) => (o && o.value !== undefined ? o.value : o) === v);
        return option && option.label !== undefined ? option.label : String(v);
      };
      return Array.isArray(value) ? value.map(label) : label(value);
    }
    case "relation": {
      const names = (labels && labels[field.collection]) || {};
      const name = (v) => names[v] || String(v);
      return Array.isArray(value) ? value.map(name) : name(value);
    }
    case "object": {
      const record = wegoRecord(field.fields || [], value, labels);
      return record.pairs.length ? record : null;
    }
    case "list":
      if (field.fields) {
        return many((item) => {
          const record = wegoRecord(field.fields, item, labels);
          return record.pairs.length ? record : null;
        });
      }
      if (field.field) return many((item) => wegoShow(field.field, item, labels));
      return many((item) => (wegoEmpty(item) ? null : String(item)));
    default:
      if (wegoIsDate(field)) return wegoDateLabel(value);
      return Array.isArray(value) ? value.map(String) : String(value);
  }
}

// An object's fields that have a value, as a record. `sources` (at any depth)
// are notes for editors that no page shows, so the preview leaves them out.
function wegoRecord(fields, data, labels) {
  const pairs = [];
  for (const field of fields) {
    if (field.name === "sources") continue;
    const shown = wegoShow(field, (data || {})[field.name], labels);
    if (shown !== null) pairs.push([field.label || field.name, shown]);
  }
  return { pairs };
}

// What the preview shows for one entry: its title, its summary and the other
// fields' record; the body is drawn by Decap.
function wegoPreviewParts(fields, data, identifier, labels) {
  const skip = new Set([identifier, "summary", "body"]);
  return {
    title: String(data[identifier] || "").trim(),
    summary: String(data.summary || "").trim(),
    pairs: wegoRecord(fields.filter((f) => !skip.has(f.name) && f.widget !== "markdown"), data, labels).pairs,
  };
}

// What the build knows that the editor needs (admin.py writes wego-data.json):
// member and project names by slug, for references, the events' year folders,
// and the names of the generated config's collections.
let wegoData = { names: {}, event_years: [], collections: [] };
const wegoDataLoaded =
  typeof fetch === "undefined"
    ? Promise.resolve()
    : fetch("wego-data.json")
        .then((r) => (r.ok ? r.json() : wegoData))
        .then((data) => {
          wegoData = data;
        })
        .catch(() => {});

// --- the events collection's first view ----------------------------------

// Decap lists a nested collection's root folder only, and content/events/ holds
// year folders, so "Events" would open on "No Entries". It opens on a year
// instead: this year's folder if there is one, else the latest.
function wegoEventsYear(years, thisYear) {
  const sorted = [...years].map(String).sort();
  if (sorted.includes(String(thisYear))) return String(thisYear);
  return sorted.length ? sorted[sorted.length - 1] : null;
}

function wegoOpenEventsOnAYear() {
  if (!/^#\/collections\/events\/?$/.test(window.location.hash)) return;
  const year = wegoEventsYear(wegoData.event_years || [], new Date().getFullYear());
  if (year) window.location.replace(`#/collections/events/filter/${year}`);
}

function wegoPreviewTemplate(h) {
  const value = (shown) => {
    if (typeof shown === "string") return shown;
    if (!Array.isArray(shown)) return pairsList(shown.pairs);
    if (shown.every((x) => typeof x === "string")) return shown.join(", ");
    return h("ul", null, shown.map((x, i) => h("li", { key: i }, value(x))));
  };
  const pairsList = (pairs) =>
    h(
      "dl",
      { className: "wego-fields" },
      pairs.flatMap(([label, shown], i) => [
        h("dt", { key: `t${i}` }, label),
        h("dd", { key: `d${i}` }, value(shown)),
      ]),
    );
  return createClass({
    componentDidMount() {
      wegoDataLoaded.then(() => this.forceUpdate());
    },
    render() {
      const { entry, collection, widgetFor } = this.props;
      const fields = this.props.fields.toJS();
      const identifier = collection.get("identifier_field") || "title";
      const parts = wegoPreviewParts(fields, entry.get("data").toJS(), identifier, wegoData.names);
      const body = fields.some((f) => f.name === "body") ? widgetFor("body") : null;
      return h(
        "article",
        { className: "wego-preview" },
        h("p", { className: "wego-preview-note" }, "Preview: the page's layout comes from the site's templates."),
        h("h1", null, parts.title || "Untitled"),
        parts.summary ? h("p", { className: "lead" }, parts.summary) : null,
        parts.pairs.length ? pairsList(parts.pairs) : null,
        body ? h("div", { className: "wego-body" }, body) : null,
      );
    },
  });
}

if (typeof CMS !== "undefined") {
  CMS.registerPreviewStyle(new URL("../assets/css/site.css", document.baseURI).href);
  CMS.registerPreviewStyle(new URL("preview.css", document.baseURI).href);
  // "New Event", not "＋ Event": the fullwidth plus is missing from many fonts
  const top = CMS.getLocale("en")?.collection?.collectionTop;
  if (top) top.newButton = "New %{collectionLabel}";
  const template = wegoPreviewTemplate(window.h);
  window.addEventListener("hashchange", wegoOpenEventsOnAYear);
  wegoDataLoaded.then(() => {
    // every collection of the generated config (Decap looks a template up when
    // it draws a preview, so registering once the data is in is soon enough)
    for (const name of wegoData.collections || []) CMS.registerPreviewTemplate(name, template);
    wegoOpenEventsOnAYear();
  });
  CMS.registerEventListener({
    name: "preSave",
    handler: ({ entry }) => {
      const data = wegoPrune(entry.get("data"));
      const folder = entry.getIn(["meta", "path"]);
      const problems = wegoChecks(entry.get("collection"), folder, data.toJS());
      if (problems.length) throw new Error(problems.join("; "));
      return data;
    },
  });
}

if (typeof module !== "undefined") {
  module.exports = { wegoChecks, wegoDateLabel, wegoEventsYear, wegoFirstDay, wegoPreviewParts, WEGO_DATE };
}
