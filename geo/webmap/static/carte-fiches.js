/* An initiative's card (popup): its content built on click from the details (inline, or fetched per chunk),
 * hours open now in Paris, practical facts and their pages, links; opened, it is a French dialog that takes
 * focus and gives it back. Needed by the initiatives' markers. */
(function (C) {
  "use strict";
  var esc = C.esc, safeUrl = C.safeUrl, linkify = C.linkify, NEW_WINDOW = C.NEW_WINDOW, symbol = C.symbol,
      focusQuietly = C.focusQuietly, CONTROLS = C.CONTROLS;
  function directionsUrl(p, from) {
    var route = (from ? from[0] + "," + from[1] : "") + ";" + p.lat + "," + p.lon;
    return "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route=" + encodeURIComponent(route);
  }

  /* Today's date and minutes since midnight in Paris, whatever the device's time zone. */
  function parisNow() {
    var parts = {};
    new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date())
      .forEach(function (part) { parts[part.type] = part.value; });
    return { date: parts.year + "-" + parts.month + "-" + parts.day, minutes: (+parts.hour) * 60 + (+parts.minute) };
  }

  function dayName(iso, withDate) {
    var name = new Date(iso + "T12:00:00Z").toLocaleDateString("fr-FR", withDate
      ? { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" } : { weekday: "long", timeZone: "UTC" });
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  function pastWeekHtml(known, texts) {
    var week = known.slice(-7), first = new Date(week[0][0] + "T12:00:00Z").toLocaleDateString("fr-FR",
      { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    return '<div class="carte-hours carte-muted"><details><summary>' + esc(texts.hoursOf.replace("{date}", first)) +
      "</summary>" + week.map(function (d) { return "<div>" + esc(dayName(d[0], true)) + " " + esc(d[1]) + "</div>"; })
      .join("") + "</details></div>";
  }

  /* Hours: today's line first with "open now", the six days after it folded (a published layer's details hold a
   * fortnight from the Monday of their week, inline ones a week from the day they were drawn). */
  function hoursHtml(p, texts) {
    if (!p.hw) return p.hx ? '<div class="carte-hours carte-muted">' + esc(texts.hours) + " : " + esc(p.hx) + "</div>" : "";
    var now = parisNow(), days = p.hw.filter(function (d) { return d[0] >= now.date; }).slice(0, 7);
    if (!days.length) return pastWeekHtml(p.hw, texts);  /* a saved map opened weeks later: the last week it knew, dated */
    var today = days[0][0] === now.date ? days.shift() : null, html = '<div class="carte-hours">';
    if (today) {
      var within = function (r) { return r[0] <= now.minutes && now.minutes < r[1]; };
      var state = today[2].some(within) ? "open" : (today[3] || []).some(within) ? "unknown" : "closed";
      var said = { open: texts.open, unknown: texts.unknown, closed: texts.closed }[state];
      html += '<span class="carte-open is-' + state + '">' + esc(said) + "</span> " + esc(texts.today) + " " +
        esc(today[1]);
    }
    if (days.length) {
      html += "<details><summary>" + esc(texts.hours) + "</summary>" + days.map(function (d) {
        return "<div>" + esc(dayName(d[0], false)) + " " + esc(d[1]) + "</div>";
      }).join("") + "</details>";
    }
    return html + "</div>";
  }

  /* « source : destimed.fr (mai 2022) », each page a link: where a practical fact was read. */
  function cites(list, texts) {
    if (!list || !list.length) return "";
    return '<span class="carte-cite">' + esc(texts.cite) + " : " + list.map(function (c) {
      var site = safeUrl(c[1]) ? '<a href="' + esc(c[1]) + '" target="_blank" rel="noopener nofollow">' + esc(c[0]) +
        NEW_WINDOW + "</a>" : esc(c[0]);
      return site + (c[2] ? " (" + esc(c[2]) + ")" : "");
    }).join(", ") + "</span>";
  }

  /* One practical fact and its pages; beyond two conditions (« … ; … ; … »), the others fold away. */
  function fact(label, value, list, texts) {
    if (!value) return "";
    var parts = value.split(" ; "), shown = parts.slice(0, 2).join(" ; "), more = parts.slice(2);
    return '<div class="carte-fact"><strong>' + esc(label) + "</strong> : " + esc(shown) +
      (more.length ? "<details><summary>" + esc(texts.more) + " (" + more.length + ")</summary>" +
        more.map(function (part) { return "<div>" + esc(part) + "</div>"; }).join("") + "</details>" : " ") +
      cites(list, texts) + "</div>";
  }

  function popup(p, style, texts, from) {
    var html = '<div class="carte-popup"><div class="carte-popup-head">' + symbol(style, p.x) +
      "<div><strong>" + esc(p.n) + '</strong><div class="carte-muted">' + esc(style.label) + "</div></div></div>";
    if (p.f) html += '<div class="carte-muted">' + esc(texts.formerly) + " : " + esc(p.f) + "</div>";
    if (p.st) html += '<div class="carte-status">' + esc(p.st) + (p.sn ? " · " + esc(p.sn) : "") + "</div>";
    else if (p.sn) html += '<div class="carte-note">' + esc(p.sn) + "</div>";
    if (p.x) html += '<div class="carte-badge" title="' + esc(p.ql) + '">' + esc(texts.approximate) + " (" + esc(p.ql) + ")</div>";
    if (p.dk != null) html += '<div class="carte-distance">' + esc(p.dk) + "</div>";
    html += hoursHtml(p, texts);
    if (p.hs && (p.hw || p.hx)) html += '<div class="carte-muted">' + cites(p.hs, texts) + "</div>";
    html += fact(texts.price, p.pr, p.ps, texts) + fact(texts.access, p.ac, p.acs, texts) +
      fact(texts.accessibility, p.ax, p.axs, texts);
    if (p.w) html += '<div class="carte-award">' + esc(texts.award) + " : " + esc(p.w) + "</div>";
    if (p.a) html += '<div class="carte-address">' + esc(p.a) + "</div>";
    if (p.an) html += '<div class="carte-muted">' + esc(p.an) + "</div>";
    if (p.d) html += "<p>" + esc(p.d) + "</p>";
    if (p.fe) html += '<div class="carte-muted">' + esc(texts.fees) + " : " + esc(p.fe) + "</div>";
    if (p.o) html += '<div class="carte-muted">' + esc(p.o) + "</div>";
    if (p.t) html += '<div class="carte-themes">' + esc(p.t) + "</div>";
    var links = [];
    if (!p.k) links.push('<a href="' + esc(directionsUrl(p, from)) + '" target="_blank" rel="noopener">' + esc(texts.directions) + NEW_WINDOW + "</a>");
    if (safeUrl(p.u)) links.push('<a href="' + esc(p.u) + '" target="_blank" rel="noopener nofollow">' + esc(texts.website) + NEW_WINDOW + "</a>" +
      (p.us ? " " + cites(p.us, texts) : ""));
    var own = ficheUrl(p.id);
    if (own) links.push('<a href="' + esc(own) + '" target="_top">' + esc(texts.link) + '</a> <button type="button" ' +
      'class="carte-copy" data-url="' + esc(own) + '">' + esc(texts.copy) + "</button>");
    if (links.length) html += '<div class="carte-links">' + links.join(" · ") + "</div>";
    html += '<div class="carte-source">' + (p.ds ? esc(texts.dataset) + " : " + esc(p.ds) + "<br>" : "") +
      esc(texts.source) + (p.y ? " (" + esc(texts.yearOfSource) + " " + esc(p.y) + ")" : "") + " : " + linkify(p.s);
    if (p.as) html += "<br>" + esc(texts.addressSource) + " : " + linkify(p.as);
    if (p.ss) html += "<br>" + esc(texts.statusSource) + " : " + linkify(p.ss);
    if (p.fr) html += "<br>" + esc(p.fr);
    return html + "</div></div>";
  }

  /* The app's own link to one initiative (the Carte page, ?fiche=<id>); none outside the app (a saved file). */
  function ficheUrl(id) {
    if (!id) return "";
    try {
      var top = window.top.location;
      if (!/^https?:$/.test(top.protocol)) return "";
      return top.origin + top.pathname.replace(/[^/]*$/, "") + "?fiche=" + encodeURIComponent(id);
    } catch (error) { return ""; }
  }

  /* "Copier le lien": the clipboard when the browser allows it, else the link selected in a field. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".carte-copy");
    if (!button) return;
    event.preventDefault();
    var url = button.getAttribute("data-url"), label = button.textContent;
    var done = function () { button.textContent = "✓"; setTimeout(function () { button.textContent = label; }, 1500); };
    var fallback = function () {
      var field = document.createElement("input");
      field.value = url; field.readOnly = true; field.className = "carte-copy-field";
      button.replaceWith(field); field.select();
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(done, fallback);
    else fallback();
  });

  var loading = {};

  /* A popup opened is where focus goes next (it sits after every marker in the page), named as a dialog, with a
   * French close button; closed, focus returns to the marker that opened it. */
  function enter(popup) {
    var element = popup.getElement(), quiet = popup.carteQuiet;
    popup.carteQuiet = false;
    if (!element) return;
    var content = element.querySelector(".carte-popup"), close = element.querySelector(".leaflet-popup-close-button");
    var title = content && content.querySelector("strong");
    element.setAttribute("role", "dialog");
    if (title) element.setAttribute("aria-label", title.textContent);
    if (close) { close.setAttribute("aria-label", "Fermer la fiche"); close.setAttribute("title", "Fermer la fiche"); }
    if (content) content.setAttribute("tabindex", "-1");
    if (content && !quiet) focusQuietly(content);  // a card the page opens by itself (?fiche=) leaves focus be
  }
  function leave(event) {
    var element = event.popup.getElement(), source = event.popup._source;
    var inside = element && element.contains(document.activeElement);
    if ((inside || C.byKeyboard()) && source && source._icon) focusQuietly(source._icon);
  }

  function withBackLink(html, texts) {
    return '<a href="#" data-back="1" class="carte-back">' + esc(texts.back) + "</a>" + html;
  }

  /* Details of marker i: inline, or fetched (and kept) from the chunk file that holds its slot. */
  function withDetails(data, i, callback) {
    if (data.details) return callback(data.details[i]);
    var slot = data.markers.r[i], size = data.detailsChunk, chunk = Math.floor(slot / size);
    var url = data.detailsUrl + "/" + chunk + ".json";
    if (!loading[url]) loading[url] = fetch(url).then(function (r) { return r.json(); });
    loading[url].then(function (records) { callback(records[slot - chunk * size] || {}); },
      function () { callback({}); });
  }

  /* A card fits its map: never taller (its content scrolls instead of being cut at the top), and narrow enough to sit
   * between the zoom buttons and the right edge (a list at 300 px went past the edge of a 390 px phone, its close
   * button with it). Leaflet's content margins take 44 px. */
  function fit(popup) {
    var size = popup._map.getSize();
    popup.options.maxHeight = Math.max(160, size.y - 90);
    popup.options.maxWidth = Math.max(160, Math.min(300, size.x - C.CONTROLS - 12 - 44));
  }
  /* Pan so that the whole popup shows once its real content is in (Leaflet pans for the first content). */
  function show(popup, html) {
    popup.setContent(html);
    intoView(popup);
    // Opened at the end of a zoom (a ?fiche= link, a cluster), the card can still move as the clusters settle:
    // looked at again once they have (its close button was left above the map on a phone).
    setTimeout(function () { intoView(popup); }, 400);
  }
  function intoView(popup) {
    var map = popup._map, element = popup.getElement();
    if (!map || !element || !popup.isOpen()) return;
    var frame = map.getContainer().getBoundingClientRect(), box = element.getBoundingClientRect(), pad = 10;
    var dx = box.left < frame.left + CONTROLS ? box.left - frame.left - CONTROLS
      : box.right > frame.right - pad ? box.right - frame.right + pad : 0;
    var dy = box.top < frame.top + pad ? box.top - frame.top - pad : 0;
    if (dx || dy) map.panBy([dx, dy], { animate: false });
  }

  C.popup = popup; C.enter = enter; C.leave = leave; C.withBackLink = withBackLink; C.withDetails = withDetails;
  C.fit = fit; C.show = show;
})(window.Carte = window.Carte || {});
