/* Miz — a Jalali (Persian calendar) date picker for input[data-jalali-picker].
 *
 * The input keeps working on its own (the server parses what is typed); this
 * script only adds a calendar button beside it. No dependencies, no build, no
 * inline styles: the look is in css/jalali-datepicker.css.
 *
 *   <input data-jalali-picker
 *          data-picker-label="…" data-picker-prev="…" data-picker-next="…"
 *          data-picker-today="…" data-picker-close="…">
 *
 * The data-picker-* attributes name the buttons for screen readers (the Django
 * widget fills them through gettext); without them Persian defaults are used.
 *
 * window.MizJalali exposes the conversion used here:
 *   toGregorian(jy, jm, jd) -> [gy, gm, gd]      toJalali(gy, gm, gd) -> [jy, jm, jd]
 *   isLeapYear(jy), monthLength(jy, jm), parse(text) -> [jy, jm, jd] or null,
 *   format(jy, jm, jd) -> "۱۴۰۵/۰۹/۰۸", faDigits(value), MONTHS
 *
 * The calendar arithmetic is the 33-year cycle rule (as in FarsiWeb's jalali.c),
 * the same rule jdatetime applies on the server, so both always agree.
 *
 * Plain ES5 like miz.js: it must run on old phone browsers as is.
 */
(function () {
  "use strict";

  var doc = document;
  var PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  var MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];
  // The Iranian week starts on Saturday.
  var WEEKDAYS = ["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنج‌شنبه", "جمعه"];
  var WEEKDAYS_SHORT = ["ش", "ی", "د", "س", "چ", "پ", "ج"];
  var DEFAULT_LABELS = {
    label: "انتخاب تاریخ",
    prev: "ماه قبل",
    next: "ماه بعد",
    today: "امروز",
    close: "بستن"
  };
  var SVG_NS = "http://www.w3.org/2000/svg";

  /* ---------- Calendar arithmetic (Julian day numbers) ---------- */

  // Floor division and modulo, correct for negative numbers too.
  function div(a, b) { return Math.floor(a / b); }
  function mod(a, b) { return a - b * Math.floor(a / b); }

  function gregorianToJdn(gy, gm, gd) {
    var a = div(14 - gm, 12);
    var y = gy + 4800 - a;
    var m = gm + 12 * a - 3;
    return gd + div(153 * m + 2, 5) + 365 * y + div(y, 4) - div(y, 100) + div(y, 400) - 32045;
  }

  function jdnToGregorian(jdn) {
    var a = jdn + 32044;
    var b = div(4 * a + 3, 146097);
    var c = a - div(146097 * b, 4);
    var d = div(4 * c + 3, 1461);
    var e = c - div(1461 * d, 4);
    var m = div(5 * e + 2, 153);
    return [100 * b + d - 4800 + div(m, 10), m + 3 - 12 * div(m, 10), e - div(153 * m + 2, 5) + 1];
  }

  // 1 Farvardin 979 (20 March 1600) starts a 33-year cycle of 12053 days: eight
  // four-year blocks (a leap year, then three common ones) and one common year.
  var EPOCH_YEAR = 979;
  var EPOCH_JDN = gregorianToJdn(1600, 3, 20);
  var CYCLE_DAYS = 33 * 365 + 8;
  var BLOCK_DAYS = 4 * 365 + 1;

  function isLeapYear(jy) {
    var r = mod(jy - EPOCH_YEAR, 33);
    return r < 32 && r % 4 === 0;
  }

  function monthLength(jy, jm) {
    if (jm <= 6) return 31;
    if (jm <= 11) return 30;
    return isLeapYear(jy) ? 30 : 29;
  }

  function jalaliToJdn(jy, jm, jd) {
    var y = jy - EPOCH_YEAR;
    var r = mod(y, 33);
    var dayOfYear = jm <= 7 ? (jm - 1) * 31 : 186 + (jm - 7) * 30;
    // Leap years before jy in its cycle: those at offsets 0, 4, 8, … below r.
    return EPOCH_JDN + 365 * y + 8 * div(y, 33) + div(r + 3, 4) + dayOfYear + jd - 1;
  }

  function jdnToJalali(jdn) {
    var days = jdn - EPOCH_JDN;
    var rest = mod(days, CYCLE_DAYS);
    var jy = EPOCH_YEAR + 33 * div(days, CYCLE_DAYS) + 4 * div(rest, BLOCK_DAYS);
    rest = mod(rest, BLOCK_DAYS);
    if (rest >= 366) { // past the leap year that opens the block
      jy += div(rest - 1, 365);
      rest = mod(rest - 1, 365);
    }
    if (rest < 186) return [jy, 1 + div(rest, 31), 1 + mod(rest, 31)];
    return [jy, 7 + div(rest - 186, 30), 1 + mod(rest - 186, 30)];
  }

  function toGregorian(jy, jm, jd) { return jdnToGregorian(jalaliToJdn(jy, jm, jd)); }
  function toJalali(gy, gm, gd) { return jdnToJalali(gregorianToJdn(gy, gm, gd)); }

  // Saturday = 0 … Friday = 6 (a Julian day number modulo 7 is 0 on a Monday).
  function weekdayIndex(jdn) { return mod(jdn + 2, 7); }

  /* ---------- Text ---------- */

  function faDigits(value) {
    return String(value).replace(/[0-9]/g, function (d) { return PERSIAN_DIGITS.charAt(+d); });
  }

  function latinDigits(text) {
    return String(text)
      .replace(/[۰-۹]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); })
      .replace(/[٠-٩]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); });
  }

  function pad2(n) { return n < 10 ? "0" + n : String(n); }

  function format(jy, jm, jd) { return faDigits(jy + "/" + pad2(jm) + "/" + pad2(jd)); }

  // The same forms the server accepts; null when the text is not a real date.
  function parse(text) {
    var clean = latinDigits(text).replace(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\u061C]/g, "").trim();
    var m = /^(\d{4})(?:\s*[\/\-.\u066B]\s*|\s+)(\d{1,2})(?:\s*[\/\-.\u066B]\s*|\s+)(\d{1,2})$/.exec(clean) ||
      /^(\d{4})(\d{2})(\d{2})$/.exec(clean);
    if (!m) return null;
    var jy = +m[1], jm = +m[2], jd = +m[3];
    if (jy < 1300 || jy > 1500 || jm < 1 || jm > 12 || jd < 1 || jd > monthLength(jy, jm)) return null;
    return [jy, jm, jd];
  }

  function longDate(jy, jm, jd) { return faDigits(jd + " " + MONTHS[jm - 1] + " " + jy); }

  window.MizJalali = {
    toGregorian: toGregorian,
    toJalali: toJalali,
    isLeapYear: isLeapYear,
    monthLength: monthLength,
    parse: parse,
    format: format,
    faDigits: faDigits,
    MONTHS: MONTHS.slice()
  };

  /* ---------- DOM helpers ---------- */

  var uid = 0;

  function el(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function icon(pathData) {
    var svg = doc.createElementNS(SVG_NS, "svg");
    var path = doc.createElementNS(SVG_NS, "path");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "jalali-picker__icon");
    path.setAttribute("d", pathData);
    svg.appendChild(path);
    return svg;
  }

  function fire(target, type) {
    var event;
    if (typeof Event === "function") {
      event = new Event(type, { bubbles: true });
    } else {
      event = doc.createEvent("Event");
      event.initEvent(type, true, false);
    }
    target.dispatchEvent(event);
  }

  function todayJdn() {
    var now = new Date();
    return gregorianToJdn(now.getFullYear(), now.getMonth() + 1, now.getDate());
  }

  /* ---------- The picker ---------- */

  var openPicker = null;

  function Picker(input) {
    var labels = {};
    var key;
    for (key in DEFAULT_LABELS) {
      labels[key] = input.getAttribute("data-picker-" + key) || DEFAULT_LABELS[key];
    }
    this.input = input;
    this.labels = labels;
    this.id = (input.id || "jalali-picker-" + (++uid)) + "_picker";
    this.dialog = null;

    var wrapper = el("div", "jalali-picker");
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    this.wrapper = wrapper;

    var button = el("button", "jalali-picker__toggle");
    button.type = "button";
    button.setAttribute("aria-label", labels.label);
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", this.id);
    button.disabled = input.disabled || input.readOnly;
    // A calendar: frame, two rings and a line under the header.
    button.appendChild(icon("M7 3v3M17 3v3M4 9h16M5 5h14a1 1 0 0 1 1 1v13a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1z"));
    wrapper.appendChild(button);
    this.button = button;

    var self = this;
    button.addEventListener("click", function () {
      if (self.isOpen()) self.close(true);
      else self.open();
    });
  }

  Picker.prototype.isOpen = function () {
    return !!this.dialog && !this.dialog.hidden;
  };

  Picker.prototype.build = function () {
    var self = this;
    var labels = this.labels;
    var dialog = el("div", "jalali-picker__dialog");
    dialog.id = this.id;
    dialog.hidden = true;
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-label", labels.label);
    // The calendar is Persian whatever the page language is.
    dialog.setAttribute("dir", "rtl");
    dialog.setAttribute("lang", "fa");

    var header = el("div", "jalali-picker__header");
    var prev = el("button", "jalali-picker__nav jalali-picker__prev");
    prev.type = "button";
    prev.setAttribute("aria-label", labels.prev);
    prev.appendChild(icon("M9 5l7 7-7 7")); // points right: back in time, in RTL
    var title = el("h2", "jalali-picker__title");
    title.id = this.id + "_title";
    title.setAttribute("aria-live", "polite");
    var next = el("button", "jalali-picker__nav jalali-picker__next");
    next.type = "button";
    next.setAttribute("aria-label", labels.next);
    next.appendChild(icon("M15 5l-7 7 7 7"));
    header.appendChild(prev);
    header.appendChild(title);
    header.appendChild(next);

    var table = el("table", "jalali-picker__grid");
    table.setAttribute("role", "grid");
    table.setAttribute("aria-labelledby", title.id);
    var thead = el("thead");
    var headRow = el("tr");
    for (var i = 0; i < 7; i++) {
      var th = el("th", "", WEEKDAYS_SHORT[i]);
      th.setAttribute("scope", "col");
      th.setAttribute("abbr", WEEKDAYS[i]);
      headRow.appendChild(th);
    }
    thead.appendChild(headRow);
    table.appendChild(thead);
    var tbody = el("tbody");
    table.appendChild(tbody);

    var footer = el("div", "jalali-picker__footer");
    var today = el("button", "jalali-picker__action", labels.today);
    today.type = "button";
    var close = el("button", "jalali-picker__action", labels.close);
    close.type = "button";
    footer.appendChild(today);
    footer.appendChild(close);

    dialog.appendChild(header);
    dialog.appendChild(table);
    dialog.appendChild(footer);
    this.wrapper.appendChild(dialog);

    this.dialog = dialog;
    this.title = title;
    this.tbody = tbody;

    prev.addEventListener("click", function () { self.moveMonth(-1, false); });
    next.addEventListener("click", function () { self.moveMonth(1, false); });
    today.addEventListener("click", function () { self.show(todayJdn(), true); });
    close.addEventListener("click", function () { self.close(true); });
    tbody.addEventListener("click", function (event) {
      var day = event.target.closest ? event.target.closest("button[data-jdn]") : null;
      if (day) self.pick(+day.getAttribute("data-jdn"));
    });
    tbody.addEventListener("keydown", function (event) { self.onGridKey(event); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") {
        event.preventDefault();
        event.stopPropagation();
        self.close(true);
      }
    });
    // Leaving the dialog with Tab or a tap elsewhere closes it, without taking focus back.
    dialog.addEventListener("focusout", function (event) {
      var to = event.relatedTarget;
      if (to && !self.wrapper.contains(to)) self.close(false);
    });
  };

  // Shows the month of `jdn`, with the day `jdn` as the focusable one.
  Picker.prototype.show = function (jdn, focus) {
    var j = jdnToJalali(jdn);
    var jy = j[0], jm = j[1];
    var first = jalaliToJdn(jy, jm, 1);
    var length = monthLength(jy, jm);
    var lead = weekdayIndex(first);
    var selected = parse(this.input.value);
    var selectedJdn = selected ? jalaliToJdn(selected[0], selected[1], selected[2]) : null;
    var today = todayJdn();
    var tbody = this.tbody;
    var row = null;
    var target = null;

    this.focusJdn = jdn;
    this.title.textContent = MONTHS[jm - 1] + " " + faDigits(jy);
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);

    for (var cell = 0; cell < lead + length; cell++) {
      if (cell % 7 === 0) {
        row = el("tr");
        tbody.appendChild(row);
      }
      var td = el("td");
      td.setAttribute("role", "gridcell");
      row.appendChild(td);
      if (cell < lead) continue;
      var day = cell - lead + 1;
      var dayJdn = first + day - 1;
      var button = el("button", "jalali-picker__day", faDigits(day));
      button.type = "button";
      button.tabIndex = dayJdn === jdn ? 0 : -1;
      button.setAttribute("data-jdn", String(dayJdn));
      button.setAttribute("aria-label", longDate(jy, jm, day));
      if (dayJdn === today) {
        button.className += " jalali-picker__day--today";
        button.setAttribute("aria-current", "date");
      }
      if (dayJdn === selectedJdn) {
        button.className += " jalali-picker__day--selected";
        td.setAttribute("aria-selected", "true");
      }
      if (dayJdn === jdn) target = button;
      td.appendChild(button);
    }
    // Complete the last week so every row has seven cells.
    while (row && row.children.length < 7) {
      var filler = el("td");
      filler.setAttribute("role", "gridcell");
      row.appendChild(filler);
    }
    if (focus && target) target.focus();
  };

  Picker.prototype.moveMonth = function (delta, focus) {
    var j = jdnToJalali(this.focusJdn);
    var month = j[1] - 1 + delta;
    var jy = j[0] + div(month, 12);
    var jm = mod(month, 12) + 1;
    this.show(jalaliToJdn(jy, jm, Math.min(j[2], monthLength(jy, jm))), focus);
  };

  Picker.prototype.onGridKey = function (event) {
    var jdn = this.focusJdn;
    switch (event.key) {
      // Right to left: the day on the left is the next one.
      case "ArrowLeft": case "Left": jdn += 1; break;
      case "ArrowRight": case "Right": jdn -= 1; break;
      case "ArrowDown": case "Down": jdn += 7; break;
      case "ArrowUp": case "Up": jdn -= 7; break;
      case "Home": jdn -= weekdayIndex(jdn); break;
      case "End": jdn += 6 - weekdayIndex(jdn); break;
      case "PageUp": this.moveMonth(event.shiftKey ? -12 : -1, true); event.preventDefault(); return;
      case "PageDown": this.moveMonth(event.shiftKey ? 12 : 1, true); event.preventDefault(); return;
      default: return; // Enter and Space press the focused day button
    }
    event.preventDefault();
    this.show(jdn, true);
  };

  Picker.prototype.open = function () {
    if (openPicker && openPicker !== this) openPicker.close(false);
    if (!this.dialog) this.build();
    var selected = parse(this.input.value);
    this.dialog.hidden = false;
    this.button.setAttribute("aria-expanded", "true");
    openPicker = this;
    this.show(selected ? jalaliToJdn(selected[0], selected[1], selected[2]) : todayJdn(), false);
    this.fitViewport();
    var focusable = this.tbody.querySelector("button[tabindex='0']");
    if (focusable) focusable.focus();
  };

  // Keeps the dialog inside the screen: it hangs from the button's side of the
  // field and is shifted back if a narrow field leaves it sticking out.
  Picker.prototype.fitViewport = function () {
    var dialog = this.dialog;
    var margin = 8;
    dialog.style.transform = "";
    var rect = dialog.getBoundingClientRect();
    var width = doc.documentElement.clientWidth;
    var shift = 0;
    if (rect.left < margin) shift = margin - rect.left;
    else if (rect.right > width - margin) shift = width - margin - rect.right;
    if (shift) dialog.style.transform = "translateX(" + Math.round(shift) + "px)";
    if (dialog.scrollIntoView) dialog.scrollIntoView({ block: "nearest" });
  };

  Picker.prototype.close = function (returnFocus) {
    if (!this.isOpen()) return;
    this.dialog.hidden = true;
    this.button.setAttribute("aria-expanded", "false");
    if (openPicker === this) openPicker = null;
    if (returnFocus) this.button.focus();
  };

  Picker.prototype.pick = function (jdn) {
    var j = jdnToJalali(jdn);
    this.input.value = format(j[0], j[1], j[2]);
    fire(this.input, "input");
    fire(this.input, "change");
    // Focus goes to the button, not the input, so a phone does not pop up its keyboard.
    this.close(true);
  };

  /* ---------- Wiring ---------- */

  // A tap or click outside the open picker closes it.
  doc.addEventListener("click", function (event) {
    if (openPicker && !openPicker.wrapper.contains(event.target)) openPicker.close(false);
  });

  Array.prototype.forEach.call(doc.querySelectorAll("input[data-jalali-picker]"), function (input) {
    if (!input.mizJalaliPicker) input.mizJalaliPicker = new Picker(input);
  });
})();
