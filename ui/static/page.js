/* Run once in the app's own page (not in a component's frame): what Streamlit's chrome cannot be told.
   CARTE_CHROME = {exact: {...}, patterns: [[regex, replacement], ...]} comes from ui/chrome.py. */
(function () {
  if (window.carteChrome) return;  // one per page, whatever the reruns
  window.carteChrome = true;

  // Streamlit 1.67 ships an html element with lang="en" whatever the app says (streamlit/streamlit#15726): say French.
  document.documentElement.lang = "fr";

  /* French for Streamlit's own dialogs and toolbars, as they are drawn. */
  var exact = CARTE_CHROME.exact;
  var patterns = CARTE_CHROME.patterns.map(function (p) { return [new RegExp(p[0]), p[1]]; });
  function french(text) {
    var key = text.trim();
    if (Object.prototype.hasOwnProperty.call(exact, key)) return exact[key];
    for (var i = 0; i < patterns.length; i++) {
      if (patterns[i][0].test(key)) return key.replace(patterns[i][0], patterns[i][1]);
    }
    return null;
  }
  function translateText(node) {
    var said = french(node.nodeValue);
    if (said !== null) node.nodeValue = said;
  }
  function translate(root) {
    if (root.nodeType === 3) return translateText(root);
    if (root.nodeType !== 1) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), node;
    while ((node = walker.nextNode())) translateText(node);
    [root].concat(Array.prototype.slice.call(root.querySelectorAll("[aria-label],[title],[placeholder]")))
      .forEach(function (element) {
        ["aria-label", "title", "placeholder"].forEach(function (name) {
          var value = element.getAttribute && element.getAttribute(name), said;
          if (value && (said = french(value)) !== null) element.setAttribute(name, said);
        });
      });
  }
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      if (change.type === "characterData") translateText(change.target);
      else if (change.type === "attributes") translate(change.target);
      else change.addedNodes.forEach(translate);
    });
  }).observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true,
                             attributeFilter: ["aria-label", "title", "placeholder"]});
  translate(document.body);

  /* Names and roles Streamlit leaves out, applied as it draws: a title for each frame (a map is not
     "streamlit_folium.st_folium"), frames of no height out of the Tab order, the value a slider says as it
     reads on screen ("10 km", not its index), and its navigation list as lists of items. */
  var FRAME_TITLES = [[/streamlit_folium/, "Carte interactive des initiatives (liste équivalente sous la carte)"],
                      [/streamlit_js_eval/, "Localisation du navigateur"]];
  function repair() {
    if (document.documentElement.lang !== "fr") document.documentElement.lang = "fr";  // whatever resets it
    Array.prototype.forEach.call(document.querySelectorAll("iframe"), function (frame) {
      var src = frame.getAttribute("src") || "";
      FRAME_TITLES.forEach(function (t) {
        if (t[0].test(src) && frame.getAttribute("title") !== t[1]) frame.setAttribute("title", t[1]);
      });
      var hidden = frame.getBoundingClientRect().height < 2;
      if (hidden && frame.getAttribute("tabindex") !== "-1") {
        frame.setAttribute("tabindex", "-1");
        frame.setAttribute("aria-hidden", "true");
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll("[role=slider]"), function (slider) {
      var widget = slider.closest("[data-testid=stSlider]");
      var shown = widget && widget.querySelector("[data-testid=stSliderThumbValue]");
      var text = shown && shown.textContent.trim();
      if (text && slider.getAttribute("aria-valuetext") !== text) slider.setAttribute("aria-valuetext", text);
    });
    // Autour de moi's start address may be the visitor's own: the browser may fill it in (RGAA 11.13).
    Array.prototype.forEach.call(document.querySelectorAll("input[aria-label='Adresse']"), function (field) {
      if (field.getAttribute("autocomplete") !== "street-address") field.setAttribute("autocomplete", "street-address");
    });
    Array.prototype.forEach.call(document.querySelectorAll("ul[data-testid=stSidebarNavItems]"), function (list) {
      if (list.getAttribute("role") !== "none") list.setAttribute("role", "none");
      Array.prototype.forEach.call(list.children, function (group) {
        if (group.tagName === "DIV" && group.getAttribute("role") !== "list") group.setAttribute("role", "list");
      });
    });
  }
  /* One polite live region for the whole visit: the counts a page marks with data-annonce are said there when
     they change (Streamlit redraws its elements, and a region drawn anew is not heard). */
  var live = document.createElement("div"), said = null;
  live.id = "carte-annonce";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap";
  document.body.appendChild(live);
  function speak() {
    var text = Array.prototype.map.call(document.querySelectorAll("[data-annonce]"), function (element) {
      return element.getAttribute("data-annonce").trim();
    }).join(" ");
    if (text && text !== said) { said = text; live.textContent = text; }
  }
  /* A signed-in staff browser keeps its pass's secret in a cookie (ui/auth.py), renewed at every run: sent when the
     connection is made again, it is what a stranger naming the session's id lacks. */
  function keepPass() {
    var element = document.querySelector("[data-carte-cookie]");
    if (!element) return;
    var cookie = element.getAttribute("data-carte-cookie") + "; Path=/; SameSite=Strict; Max-Age=" +
      element.getAttribute("data-carte-cookie-age") + (location.protocol === "https:" ? "; Secure" : "");
    document.cookie = cookie;
  }
  /* The staff pages never work inside another site's frame (clickjacking: a hidden frame over a decoy button);
     the proxy says so with frame-ancestors (deploy/nginx/site.conf), this covers a page reached inside a frame. */
  function guardFrame() {
    var framed;
    try { framed = window.top !== window.self; } catch (error) { framed = true; }
    var staff = framed && /\/(equipe|contribuer)\/?$/.test(location.pathname);
    var cover = document.getElementById("carte-hors-cadre");
    if (staff && !cover) {
      cover = document.createElement("div");
      cover.id = "carte-hors-cadre";
      cover.setAttribute("role", "alert");
      cover.style.cssText = "position:fixed;inset:0;z-index:1000000;background:#fff;color:#1f1f1f;padding:2rem;" +
        "font:1.1rem/1.5 sans-serif";
      var link = document.createElement("a");
      link.href = location.origin + location.pathname;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = "Ouvrir l'espace équipe dans un nouvel onglet";
      cover.appendChild(document.createTextNode("L'espace équipe ne s'ouvre pas dans une page d'un autre site. "));
      cover.appendChild(link);
      document.body.appendChild(cover);
    } else if (!staff && cover) {
      cover.remove();
    }
  }
  var repairQueued = false;
  var repairs = new MutationObserver(function () {
    if (repairQueued) return;
    repairQueued = true;
    requestAnimationFrame(function () { repairQueued = false; repair(); speak(); keepPass(); guardFrame(); });
  });
  repairs.observe(document.body, {childList: true, subtree: true, characterData: true});
  repairs.observe(document.documentElement, {attributes: true, attributeFilter: ["lang"]});
  repair();
  keepPass();
  guardFrame();

  /* On a phone the menu covers the page: once a page is chosen in it, it closes. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-testid=stSidebarNavLink]");
    if (!link || window.innerWidth > 640) return;
    setTimeout(function () {
      var close = document.querySelector("[data-testid=stSidebarCollapseButton] button, " +
                                         "[data-testid=stSidebar] [data-testid=stBaseButton-headerNoPadding]");
      if (close) close.click();
    }, 50);
  });

  /* « Plein écran » in presentation mode: the Fullscreen API on the page (ui/layout.py draws the button). */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#plein-ecran");
    if (!button) return;
    if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
  });
  document.addEventListener("fullscreenchange", function () {
    var button = document.getElementById("plein-ecran");
    if (button) button.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
  });

  /* Back and Forward show what was on screen. Following a link to another page, Streamlit writes three
     history entries in a row: the page being left without its filters (the new run clears the address), the new
     page, the new page with its own settings. One click should make one entry: the first write of such a burst
     is pushed (so the entry before it, the page as it was shown, stays as it was) and the writes that follow
     within a second replace that new entry instead of stacking. Nothing Streamlit writes is dropped: a button
     that clears the filters or turns presentation mode on reaches the address, so a reload or a copied link
     shows what the screen shows. Widgets bound to the address use replaceState and are left alone. */
  var push = history.pushState.bind(history), replace = history.replaceState.bind(history);
  var burstUntil = 0;
  history.pushState = function (state, title, url) {
    var now = Date.now(), inBurst = now < burstUntil;
    burstUntil = now + 1000;
    return inBurst ? replace(state, title, url) : push(state, title, url);
  };
})();
