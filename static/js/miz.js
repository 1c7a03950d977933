/* Miz — small enhancements on top of pages that already work without JavaScript.
 *
 * Loaded with <script defer>, so the document is parsed when this runs. No
 * dependencies, no inline handlers (the CSP forbids inline script): every
 * behaviour is wired by a data attribute.
 *
 *   textarea[data-maxlength] + [data-counter-for=<textarea id>]  live character counter
 *   button[data-copy=<element id>] [data-copied-label]           copy that element's text
 *   button[data-print]                                           window.print()
 *   input[type=checkbox][data-toggles=<element id>]              checked: hide and disable it
 *   form[data-once]                                              no double submit
 *   [data-autofocus-error]                                       focus the error summary
 *
 * Written in plain ES5 on purpose: it must run on old phone browsers as is.
 */
(function () {
  "use strict";

  var doc = document;
  // Buttons that need JavaScript (copy, print) are hidden by CSS until this class is set.
  doc.documentElement.classList.add("js");

  var PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";

  function faDigits(value) {
    return String(value).replace(/[0-9]/g, function (d) { return PERSIAN_DIGITS.charAt(+d); });
  }

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || doc).querySelectorAll(selector), fn);
  }

  // One polite live region for short announcements ("Copied").
  var liveRegion = null;
  function announce(text) {
    if (!liveRegion) {
      liveRegion = doc.createElement("div");
      liveRegion.className = "visually-hidden";
      liveRegion.setAttribute("role", "status");
      doc.body.appendChild(liveRegion);
    }
    liveRegion.textContent = "";
    setTimeout(function () { liveRegion.textContent = text; }, 50);
  }

  /* ---------- Character counter ---------- */

  function counterFor(textarea) {
    var found = null;
    if (!textarea.id) return null;
    each("[data-counter-for]", function (el) {
      if (!found && el.getAttribute("data-counter-for") === textarea.id) found = el;
    });
    return found;
  }

  // Count code points, as the server (Python) does: an emoji is one character, not two.
  function textLength(value) {
    return value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "_").length;
  }

  function updateCounter(textarea, announceChange) {
    var max = parseInt(textarea.getAttribute("data-maxlength"), 10);
    var counter = counterFor(textarea);
    if (!counter || !(max > 0)) return;
    var length = textLength(textarea.value);
    var over = length > max;
    var wasOver = counter.classList.contains("char-counter--over");
    counter.textContent = faDigits(length) + " / " + faDigits(max);
    counter.classList.toggle("char-counter--over", over);
    // Screen readers hear the count when the field is focused (aria-describedby),
    // and an announcement only when the limit is crossed, not on every key.
    if (announceChange && over !== wasOver) announce(counter.textContent);
  }

  function setupCounter(textarea) {
    var counter = counterFor(textarea);
    if (!counter) return;
    counter.removeAttribute("aria-live");
    if (!counter.id) counter.id = textarea.id + "_counter";
    var describedBy = (textarea.getAttribute("aria-describedby") || "").split(/\s+/);
    if (describedBy.indexOf(counter.id) === -1) {
      describedBy.push(counter.id);
      textarea.setAttribute("aria-describedby", describedBy.join(" ").trim());
    }
    updateCounter(textarea, false);
  }

  /* ---------- Copy to the clipboard ---------- */

  function copyWithSelection(text) {
    var area = doc.createElement("textarea");
    var ok = false;
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    doc.body.appendChild(area);
    area.select();
    try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
    doc.body.removeChild(area);
    return ok;
  }

  function selectContents(element) {
    var selection = window.getSelection && window.getSelection();
    if (!selection) return;
    var range = doc.createRange();
    range.selectNodeContents(element);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copied(button) {
    var label = button.getAttribute("data-copied-label");
    if (!label) return;
    if (button.mizLabel === undefined) button.mizLabel = button.textContent;
    clearTimeout(button.mizTimer);
    button.textContent = label;
    announce(label);
    button.mizTimer = setTimeout(function () {
      button.textContent = button.mizLabel;
      button.mizLabel = undefined;
    }, 2000);
  }

  function copy(button) {
    var source = doc.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    // "12345 67890" -> "1234567890": drop spaces and invisible direction marks.
    var text = source.textContent.replace(/[\s\u200B-\u200F\u202A-\u202E\u2066-\u2069]/g, "");
    function fallback() {
      var ok = copyWithSelection(text);
      button.focus();
      if (ok) copied(button);
      else selectContents(source); // the user can at least copy it by hand
    }
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(button); }, fallback);
    } else {
      fallback();
    }
  }

  /* ---------- Checkbox that hides a group of fields ---------- */

  function applyToggle(checkbox) {
    var target = doc.getElementById(checkbox.getAttribute("data-toggles"));
    if (!target) return;
    var hide = checkbox.checked;
    target.hidden = hide;
    // Disabled fields are not submitted. Only re-enable what we disabled ourselves.
    each("input, select, textarea, button", function (field) {
      if (hide && !field.disabled) {
        field.disabled = true;
        field.setAttribute("data-toggle-disabled", "");
      } else if (!hide && field.hasAttribute("data-toggle-disabled")) {
        field.disabled = false;
        field.removeAttribute("data-toggle-disabled");
      }
    }, target);
  }

  /* ---------- Forms submitted once ---------- */

  function isSubmitButton(el) {
    var type = (el.getAttribute("type") || "submit").toLowerCase();
    return (el.tagName === "BUTTON" && type === "submit") || (el.tagName === "INPUT" && (type === "submit" || type === "image"));
  }

  function setSubmitting(form, on) {
    if (on) form.setAttribute("data-submitting", "");
    else form.removeAttribute("data-submitting");
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!isSubmitButton(el)) return;
      if (on && !el.disabled) {
        el.disabled = true;
        el.setAttribute("data-once-disabled", "");
      } else if (!on && el.hasAttribute("data-once-disabled")) {
        el.disabled = false;
        el.removeAttribute("data-once-disabled");
      }
    });
  }

  /* ---------- Error summary ---------- */

  // A link to a field scrolls its label into view and focuses the control itself
  // (for a group of radios, the link's target is the fieldset).
  function followErrorLink(event, link) {
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    var target = doc.getElementById(id);
    if (!target) return;
    var controls = "input:not([type=hidden]), select, textarea";
    var control = target.matches(controls) ? target : target.querySelector("input:checked") || target.querySelector(controls);
    if (!control || control.disabled) return;
    event.preventDefault();
    (control.closest(".form-field") || control).scrollIntoView();
    control.focus({ preventScroll: true });
  }

  /* ---------- Wiring ---------- */

  doc.addEventListener("input", function (event) {
    var el = event.target;
    if (el.matches && el.matches("textarea[data-maxlength]")) updateCounter(el, true);
  });

  doc.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("input[data-toggles]")) applyToggle(el);
  });

  doc.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("button[data-copy], button[data-print], .error-summary a[href^='#']") : null;
    if (!el) return;
    if (el.hasAttribute("data-copy")) copy(el);
    else if (el.hasAttribute("data-print")) window.print();
    else followErrorLink(event, el);
  });

  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.hasAttribute("data-submitting")) {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) return;
    // Disable after this event: a disabled submitter would drop its name/value
    // from the data being sent.
    form.setAttribute("data-submitting", "");
    setTimeout(function () { setSubmitting(form, true); }, 0);
  });

  function applyState() {
    each("textarea[data-maxlength]", function (el) { updateCounter(el, false); });
    each("input[data-toggles]", applyToggle);
  }

  // Coming back with the Back button: the page may be restored as it was left.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) each("form[data-once]", function (form) { setSubmitting(form, false); });
    applyState();
  });

  each("textarea[data-maxlength]", setupCounter);
  applyState();

  var summary = doc.querySelector("[data-autofocus-error]");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
})();
