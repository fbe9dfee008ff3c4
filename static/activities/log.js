/* The activity form: add opinion lines, find other deputies, keep a draft in this browser
   (localStorage) until the activity is recorded, and block a second tap on "record".
   No library, no CDN. */
(function () {
  "use strict";
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }

  // The page shown after recording clears the station's draft.
  var done = document.querySelector("[data-clear-draft]");
  if (done && store) { store.removeItem(done.getAttribute("data-clear-draft")); }

  var form = document.getElementById("activity-form");
  if (!form) { return; }
  var lines = document.getElementById("opinion-lines");
  var lineTemplate = document.getElementById("opinion-line-template");
  var choices = document.getElementById("deputy-choices");
  var key = form.getAttribute("data-draft-key");

  function addLine(value) {
    var node = lineTemplate.content.firstElementChild.cloneNode(true);
    var input = node.querySelector("textarea");
    input.value = value || "";
    lines.appendChild(node);
    return input;
  }

  document.getElementById("add-opinion").addEventListener("click", function () {
    addLine("").focus();
  });

  function addDeputy(id, name, checked) {
    var existing = choices.querySelector('input[name="deputies"][value="' + id + '"]');
    if (existing) { existing.checked = checked; return; }
    var label = document.createElement("label");
    label.className = "check";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = "deputies";
    box.value = id;
    box.checked = checked;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + name));
    choices.appendChild(label);
  }

  // Find deputies of other stations.
  var search = document.getElementById("deputy-search");
  var results = document.getElementById("deputy-results");
  function runSearch() {
    var q = search.value.trim();
    results.innerHTML = "";
    if (!q) { return; }
    fetch(form.getAttribute("data-search-url") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) {
        data.results.forEach(function (d) {
          var li = document.createElement("li");
          var b = document.createElement("button");
          b.type = "button";
          b.textContent = d.name + (d.stations ? "（" + d.stations + "）" : "");
          b.addEventListener("click", function () {
            addDeputy(String(d.id), d.name, true);
            results.innerHTML = "";
            search.value = "";
            save();
          });
          li.appendChild(b);
          results.appendChild(li);
        });
      })
      .catch(function () { results.innerHTML = ""; });
  }
  document.getElementById("deputy-search-go").addEventListener("click", runSearch);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); runSearch(); }
  });

  // The draft: every field but the files and the CSRF token, the deputies with their names.
  function collect() {
    var draft = { fields: {}, opinions: [], deputies: [] };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.name === "csrfmiddlewaretoken") { return; }
      if (el.name === "opinions") { if (el.value.trim()) { draft.opinions.push(el.value); } return; }
      if (el.name === "deputies") {
        if (el.checked) { draft.deputies.push([el.value, el.parentNode.textContent.trim()]); }
        return;
      }
      draft.fields[el.name] = el.value;
    });
    return draft;
  }
  function save() {
    if (!store || !key) { return; }
    try { store.setItem(key, JSON.stringify(collect())); } catch (e) { /* storage full: no draft */ }
  }
  function restore(draft) {
    Object.keys(draft.fields || {}).forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (el && el.type !== "file" && "value" in el) { el.value = draft.fields[name]; }
    });
    (draft.deputies || []).forEach(function (pair) { addDeputy(pair[0], pair[1], true); });
    var existing = lines.querySelectorAll("textarea");
    (draft.opinions || []).forEach(function (text, i) {
      if (existing[i]) { existing[i].value = text; } else { addLine(text); }
    });
  }

  if (store && key) {
    // A page sent back with errors already holds what was typed: only a fresh form restores.
    var raw = form.getAttribute("data-bound") === "1" ? null : store.getItem(key);
    if (raw) {
      try {
        restore(JSON.parse(raw));
        var notice = document.getElementById("draft-notice");
        notice.hidden = false;
        document.getElementById("draft-discard").addEventListener("click", function () {
          store.removeItem(key);
          window.location.reload();
        });
      } catch (e) { store.removeItem(key); }
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  }

  var submit = document.getElementById("activity-submit");
  form.addEventListener("submit", function () {
    save();
    // One tap records one activity; the hidden key covers a resend after a lost connection.
    window.setTimeout(function () { submit.disabled = true; }, 0);
  });
})();
