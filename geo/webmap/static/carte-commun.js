/* Carte des Possibles, shared by every map script (loaded first): the map document in French, escaping,
 * links, the category symbol, popups' room, and running code once a layer is on its map. Every text from the
 * data goes through esc(); only http(s) URLs become links. */
(function (C) {
  "use strict";
  /* The map's document speaks French, has a title and lets a phone zoom (folium's header forbids it). */
  function frenchDocument() {
    try {
      document.documentElement.lang = "fr";
      document.title = "Carte des initiatives";
      Array.prototype.forEach.call(document.querySelectorAll("meta[name=viewport]"), function (viewport) {
        viewport.setAttribute("content", "width=device-width, initial-scale=1");
      });
    } catch (error) {}
  }
  frenchDocument();
  /* Leaflet focuses the map on the first press of the mouse (for its keyboard); in a frame only partly in view,
   * the browser then scrolled the page to the frame, so the page jumped and the click landed elsewhere (seen at
   * 1366×768 and 1440×900). The same focus, without scrolling anything. */
  if (window.L && L.Map.Keyboard) {
    L.Map.Keyboard.prototype._onMouseDown = function () {
      if (!this._focused) this._map._container.focus({ preventScroll: true });
    };
  }
  var STILL = !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  /* Whether the last thing the person did was a key (focus follows their path) or a pointer. */
  var byKeyboard = false;
  document.addEventListener("keydown", function () { byKeyboard = true; }, true);
  document.addEventListener("pointerdown", function () { byKeyboard = false; }, true);
  function focusQuietly(element) {
    if (element && element.focus) element.focus({ preventScroll: true });
  }
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  function safeUrl(url) {
    return /^https?:\/\/[^\s"'<>]+$/i.test(url || "") ? url : "";
  }

  /* Text with its http(s) addresses as links named by their host; everything else escaped. */
  function linkify(text) {
    return String(text == null ? "" : text).split(/(https?:\/\/[^\s"'<>()]+)/i).map(function (part, i) {
      if (i % 2 === 0 || !safeUrl(part)) return esc(part);
      var host = part.replace(/^https?:\/\/(www\.)?/i, "").split(/[/?#]/)[0];
      return '<a href="' + esc(part) + '" target="_blank" rel="noopener nofollow">' + esc(host) + NEW_WINDOW + "</a>";
    }).join("");
  }

  /* Said after every link that opens another window (RGAA 13.2). */
  var NEW_WINDOW = '<span class="carte-sr"> (nouvelle fenêtre)</span>';

  function symbol(style, approximate, ended) {
    return '<span class="carte-symbol' + (approximate ? " carte-approx" : "") + (ended ? " carte-ended" : "") + '" style="background:' +
      esc(style.color) + '">' + style.svg + "</span>";
  }


  /* Run ``then(map)`` once ``parent`` (a map, or a layer not yet on one) is on its map. */
  function whenOnMap(parent, then) {
    if (parent._map || parent instanceof L.Map) then(parent._map || parent);
    else parent.once("add", function (event) { then(event.target._map); });
  }

  /* Popups keep clear of the zoom buttons in the top-left corner (on a 320 px phone they covered them). */
  var CONTROLS = 56, POPUP = { maxWidth: 300, autoPanPaddingTopLeft: [CONTROLS, 12], autoPanPaddingBottomRight: [12, 12] };

  C.frenchDocument = frenchDocument; C.STILL = STILL; C.byKeyboard = function () { return byKeyboard; };
  C.focusQuietly = focusQuietly; C.esc = C.escape = esc; C.safeUrl = safeUrl; C.linkify = linkify;
  C.NEW_WINDOW = NEW_WINDOW; C.symbol = symbol; C.whenOnMap = whenOnMap; C.CONTROLS = CONTROLS; C.POPUP = POPUP;
})(window.Carte = window.Carte || {});
