// The staff performance screen: signs in with a staff token, reads GET /v1/office/performance
// (this month and last) and the overdue list, and refreshes itself every minute.
"use strict";
(function () {
  var REFRESH_MS = 60000;
  var TOKEN_KEY = "shobbak-staff-token";
  var state = { token: null, claims: null, district: null, cursor: null, timer: null };

  function $(id) { return document.getElementById(id); }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function iso(day) { return day.toISOString().slice(0, 10); }
  function cairoToday() {
    // The Cairo calendar day, whatever the screen's own time zone.
    var parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Africa/Cairo" }).format(new Date());
    return new Date(parts + "T00:00:00Z");
  }
  function rate(value) { return value === null ? "—" : Math.round(value * 100) + "%"; }
  function number(value) { return value === null || value === undefined ? "—" : String(value); }

  function claimsOf(token) {
    try {
      var payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(decodeURIComponent(escape(atob(payload))));
    } catch (error) {
      return null;
    }
  }
  function roleOf(claims) {
    var groups = claims && claims["cognito:groups"];
    return Array.isArray(groups) && groups.length === 1 ? groups[0] : null;
  }

  function status(text) { $("status").textContent = text; }

  function api(path) {
    return fetch(path, { headers: { Authorization: "Bearer " + state.token }, cache: "no-store" }).then(
      function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            var error = new Error((body.error && body.error.message_ar) || "تعذّر تحميل الأرقام.");
            error.status = response.status;
            throw error;
          }
          return body;
        });
      }
    );
  }

  function periods() {
    var today = cairoToday();
    var first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
    var lastMonthEnd = new Date(first.getTime() - 86400000);
    var lastMonthStart = new Date(Date.UTC(lastMonthEnd.getUTCFullYear(), lastMonthEnd.getUTCMonth(), 1));
    return {
      now: "from=" + iso(first) + "&to=" + iso(today),
      before: "from=" + iso(lastMonthStart) + "&to=" + iso(lastMonthEnd),
    };
  }

  // As console/figures_views.py counts them: 1 نقطة واحدة، 2 نقطتان، 3 to 10 نقاط، then نقطة.
  function pointsAr(count) {
    if (count === 1) return "نقطة واحدة";
    if (count === 2) return "نقطتان";
    return count + (count % 100 >= 3 && count % 100 <= 10 ? " نقاط" : " نقطة");
  }
  var MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];
  // "2026-11-27" as every other page shows a day: "27 نوفمبر 2026".
  function day(isoDay) {
    var parts = isoDay.split("-");
    return Number(parts[2]) + " " + MONTHS[Number(parts[1]) - 1] + " " + parts[0];
  }
  // A tracking number grouped for reading, as elsewhere: 4 4 4 1.
  function grouped(number) { return number.replace(/^(\d{4})(\d{4})(\d{4})(\d)$/, "$1 $2 $3 $4"); }

  function comparison(now, before) {
    if (now === null || before === null) return "الشهر الماضي: " + rate(before);
    // Between the percentages shown, so that "86%" and "86%" never read as a point apart.
    var points = Math.round(now * 100) - Math.round(before * 100);
    var word = points > 0 ? "أعلى" : points < 0 ? "أقل" : "مثل";
    return points === 0 ? "مثل الشهر الماضي" : pointsAr(Math.abs(points)) + " " + word + " من الشهر الماضي (" + rate(before) + ")";
  }

  function figure(list, label, value, note) {
    var item = el("div", null, "figure");
    item.appendChild(el("dt", label));
    var dd = el("dd", value);
    if (note) dd.appendChild(el("span", note, "note"));
    item.appendChild(dd);
    list.appendChild(item);
  }

  function renderGlance(now, before) {
    var cards = $("cards");
    cards.textContent = "";
    var previous = {};
    before.districts.forEach(function (district) { previous[district.code] = district; });
    now.districts.forEach(function (district) {
      var last = previous[district.code] || { on_time_rate: null, received: 0 };
      var card = el("li", null, "card" + (district.code === state.district ? " chosen" : ""));
      var button = el("button", district.name_ar, "card-title");
      button.type = "button";
      button.setAttribute("aria-pressed", district.code === state.district ? "true" : "false");
      button.addEventListener("click", function () { choose(district.code); });
      card.appendChild(button);
      var list = el("dl", null, "figures");
      figure(list, "في موعده هذا الشهر", rate(district.on_time_rate), comparison(district.on_time_rate, last.on_time_rate));
      figure(list, "مفتوح", number(district.open));
      figure(list, "متأخر", number(district.overdue));
      figure(list, "الوسيط (أيام عمل)", number(district.median_working_days));
      figure(list, "وارد هذا الشهر", number(district.received), "الشهر الماضي: " + number(last.received));
      card.appendChild(list);
      cards.appendChild(card);
    });
    $("period").textContent = "من " + day(now.from) + " إلى " + day(now.to) + " (بتوقيت القاهرة)";
    // A district's manager sees their district, not the governorate.
    $("glance-title").textContent = roleOf(state.claims) === "hq" ? "المحافظة في لمحة" : "أداء " + now.districts[0].name_ar;
  }

  function row(cells, header) {
    var tr = el("tr");
    cells.forEach(function (cell, index) {
      var td = el(index === 0 && header ? "th" : "td", cell);
      if (index === 0 && header) td.scope = "row";
      tr.appendChild(td);
    });
    return tr;
  }

  function fillTable(id, rows) {
    var body = $(id);
    body.textContent = "";
    if (!rows.length) {
      var empty = el("tr");
      var cell = el("td", "لا طلبات في هذه الفترة.");
      cell.colSpan = 7;
      empty.appendChild(cell);
      body.appendChild(empty);
      return;
    }
    rows.forEach(function (item) {
      body.appendChild(
        row([item.name_ar, item.received, item.completed, rate(item.on_time_rate), item.open, item.overdue,
             number(item.median_working_days)], true)
      );
    });
  }

  function renderDistrict(district) {
    $("district").hidden = false;
    $("district-title").textContent = "حي " + district.name_ar + ": الإدارات والخدمات";
    fillTable("departments", district.by_department);
    fillTable("services", district.by_service);
  }

  function loadOverdue(append) {
    var query = "../office/performance/overdue?page_size=20&district=" + encodeURIComponent(state.district);
    if (append && state.cursor) query += "&cursor=" + encodeURIComponent(state.cursor);
    return api(query).then(function (page) {
      var body = $("overdue");
      if (!append) body.textContent = "";
      page.requests.forEach(function (request) {
        var tr = row(["", request.service_name_ar, request.status_ar, day(request.sla_due_date),
                      request.days_overdue], false);
        // Each row opens its request in the console (signed in there as well).
        var link = el("a", grouped(request.tracking_number));
        link.href = "../console/requests/" + request.tracking_number;
        link.dir = "ltr";
        tr.firstChild.appendChild(link);
        body.appendChild(tr);
      });
      if (!append && !page.requests.length) {
        var cell = el("td", "لا طلبات متأخرة.");
        cell.colSpan = 5;
        body.appendChild(el("tr")).appendChild(cell);
      }
      state.cursor = page.next_cursor;
      $("more").hidden = !page.next_cursor;
    });
  }

  function refresh() {
    var range = periods();
    var one = state.claims && roleOf(state.claims) !== "hq" ? "&district=" + encodeURIComponent(state.district) : "";
    status("جارٍ التحديث…");
    return Promise.all([api("../office/performance?" + range.now + one), api("../office/performance?" + range.before + one)])
      .then(function (answers) {
        $("sign-in").hidden = true;
        $("glance").hidden = false;
        $("sign-out").hidden = false;
        if (!state.district) state.district = answers[0].districts[0].code;
        renderGlance(answers[0], answers[1]);
        var chosen = answers[0].districts.filter(function (d) { return d.code === state.district; })[0];
        if (chosen) renderDistrict(chosen);
        return loadOverdue(false);
      })
      .then(function () {
        var time = new Intl.DateTimeFormat("ar-EG", { timeZone: "Africa/Cairo", hour: "2-digit", minute: "2-digit" });
        status("آخر تحديث " + time.format(new Date()) + "، ويتحدّث كل دقيقة.");
      })
      .catch(function (error) {
        if (error.status === 401 || error.status === 403) {
          signOut(error.status === 403 ? error.message : "انتهت صلاحية رمز الدخول؛ ادخل مرة أخرى.");
        } else {
          status(error.message + " سنحاول مرة أخرى بعد دقيقة.");
        }
      });
  }

  function choose(code) {
    state.district = code;
    state.cursor = null;
    refresh().then(function () { $("district-title").focus(); });
  }

  function start(token) {
    state.token = token;
    state.claims = claimsOf(token);
    state.district = state.claims && roleOf(state.claims) !== "hq" ? state.claims["custom:district"] : null;
    sessionStorage.setItem(TOKEN_KEY, token);
    refresh();
    clearInterval(state.timer);
    state.timer = setInterval(function () { if (!document.hidden) refresh(); }, REFRESH_MS);
  }

  function signOut(message) {
    clearInterval(state.timer);
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    $("glance").hidden = true;
    $("district").hidden = true;
    $("sign-out").hidden = true;
    $("sign-in").hidden = false;
    var error = $("token-error");
    error.hidden = !message;
    error.textContent = message || "";
    status("");
    if (message) $("token").focus();
  }

  function init() {
    var signInUrl = document.body.getAttribute("data-sign-in-url");
    if (signInUrl) {
      var back = location.origin + location.pathname;
      $("cognito-link").href = signInUrl + (signInUrl.indexOf("?") < 0 ? "?" : "&") + "redirect_uri=" + encodeURIComponent(back);
      $("cognito").hidden = false;
    }
    $("token-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var token = $("token").value.trim();
      if (!claimsOf(token)) {
        signOut("هذا ليس رمز دخول صالحًا؛ انسخه كاملًا.");
        return;
      }
      start(token);
    });
    $("sign-out").addEventListener("click", function () { signOut(""); $("token").focus(); });
    $("more").addEventListener("click", function () { loadOverdue(true); });
    // Back from the staff pool's sign-in page: the token comes in the fragment.
    var fragment = new URLSearchParams(location.hash.slice(1));
    var token = fragment.get("id_token") || sessionStorage.getItem(TOKEN_KEY);
    if (fragment.get("id_token")) history.replaceState(null, "", location.pathname);
    if (token) start(token);
    else signOut("");
  }

  init();
})();
