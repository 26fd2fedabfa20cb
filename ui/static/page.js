/* Run once in the app's own page (not in a component's frame): what Streamlit's chrome cannot be told.
   CARTE_CHROME = {exact: {...}, patterns: [[regex, replacement], ...]} comes from ui/layout.py. */
(function () {
  if (window.carteChrome) return;  // one per page, whatever the reruns
  window.carteChrome = true;

  // Streamlit 1.67 ships <html lang="en"> whatever the app says (streamlit/streamlit#15726): say French.
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
