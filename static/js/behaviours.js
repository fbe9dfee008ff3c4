/* Small page behaviours, declared in the markup with data attributes so that no page needs an
   inline script (the Content-Security-Policy allows scripts from our own static files only).

   data-confirm="question"   on a form (or its submit button): ask before submitting
   data-busy                 on a form: disable its submit buttons once sent, show .import-busy
   data-autosubmit           on a select: submit its form when the choice changes
   data-print                on a button: print the page
   data-select-toggle        django-import-export's "select all fields" box (export page)
   data-add-row="target"     on a button: append the <template id="target-template"> to
                             #target-rows, numbering the Django formset by its TOTAL_FORMS
                             input (data-total="id_of_TOTAL_FORMS")
*/
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-busy")) {
      form.querySelectorAll("[type=submit]").forEach(function (button) { button.disabled = true; });
      var note = form.querySelector(".import-busy");
      if (note) { note.hidden = false; }
    }
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
    if (field.hasAttribute && field.hasAttribute("data-select-toggle") && window.onSelectToggleChange) {
      window.onSelectToggleChange(event);  // django-import-export's "select all" on its export page
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print], [data-add-row]") : null;
    if (!button) { return; }
    if (button.hasAttribute("data-print")) {
      window.print();
      return;
    }
    var name = button.getAttribute("data-add-row");
    var total = document.getElementById(button.getAttribute("data-total"));
    var template = document.getElementById(name + "-template");
    var rows = document.getElementById(name + "-rows");
    if (!total || !template || !rows) { return; }
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, total.value));
    total.value = parseInt(total.value, 10) + 1;
  });
})();
