/* A very large selection: supercluster's aggregates of what is in view, and markers made only for the view
 * (Leaflet.markercluster makes a marker for every initiative and clusters them all in the page: 17 s and 386 MB
 * of the tab at 220,000). Clusters look and answer as Leaflet.markercluster's do: a click, Enter or Space zooms
 * to where they split, focus going to what they held; at the last zoom, initiatives still too close to tell apart
 * are listed in a card. Needs supercluster.js (vendored), carte-badges.js (the list cards); needed by carte.js. */
(function (C) {
  "use strict";
  var focusQuietly = C.focusQuietly, POPUP = C.POPUP, STILL = C.STILL;
  /* The whole selection is clustered up to this zoom; closer in, only what is around the view (the levels above it
   * cost as much as all the others together: 1.2 s instead of 0.5 s for 200,000 initiatives). */
  var FAR = 16;
  var RADIUS = 40;  // screen pixels, as Leaflet.markercluster's (Leaflet's tiles are 256 pixels wide)
  var MARGIN = 0.25;  // what is drawn: the view and a quarter of it on each side

  function bbox(bounds) { return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]; }
  function isCluster(feature) { return !!(feature.properties && feature.properties.cluster); }

  C.ViewClusters = L.FeatureGroup.extend({
    /* ``m``: the marker columns; ``skip[i]``: initiative i is not drawn at a point (a badge holds it);
     * ``marker(i)``: its marker; ``clusterIcon(count)``: a cluster's icon. */
    initialize: function (m, skip, marker, clusterIcon, texts) {
      L.FeatureGroup.prototype.initialize.call(this);
      this._m = m; this._skip = skip; this._marker = marker; this._clusterIcon = clusterIcon; this._texts = texts;
      this._drawn = new Map();  // what is on the map now: "p" + initiative, or the cluster's index and id
      this._near = null;  // the index of what is around the view, closer than FAR
      this._generation = 0;
    },

    onAdd: function (map) {
      if (!this._far) {
        var m = this._m, points = [];
        for (var i = 0; i < m.lat.length; i++) {
          if (!this._skip[i]) points.push({ geometry: { coordinates: [m.lon[i], m.lat[i]] }, i: i });
        }
        this._last = isFinite(map.getMaxZoom()) ? map.getMaxZoom() : 18;
        this._far = this._indexOf(points, Math.max(0, map.getMinZoom()), Math.min(FAR, this._last));
      }
      L.FeatureGroup.prototype.onAdd.call(this, map);
      map.on("moveend", this._update, this);
      this._update();
    },

    onRemove: function (map) {
      map.off("moveend", this._update, this);
      this._drawn.forEach(function (layer) { layer.closePopup(); });
      L.FeatureGroup.prototype.onRemove.call(this, map);
    },

    _indexOf: function (points, minZoom, maxZoom) {
      var index = new Supercluster({ radius: RADIUS, extent: 256, minZoom: minZoom, maxZoom: maxZoom }).load(points);
      index.carteName = "c" + this._generation++ + "-";
      return index;
    },

    /* The index that clusters ``view`` at ``zoom``: the whole selection's far out; closer, one of the initiatives
     * around the view, built again when the view leaves it. */
    _indexAt: function (zoom, view) {
      if (zoom <= FAR) return this._far;
      if (!this._near || !this._near.around.contains(view)) {
        var around = view.pad(1);
        this._near = { around: around, index: this._indexOf(this._far.getClusters(bbox(around), FAR + 1), FAR + 1,
                                                            this._last) };
      }
      return this._near.index;
    },

    /* The view at ``zoom`` centred on ``center``, with a margin (what is drawn). */
    _viewAt: function (center, zoom) {
      var map = this._map, middle = map.project(center, zoom), half = map.getSize().divideBy(2);
      return L.latLngBounds(map.unproject(middle.subtract(half), zoom), map.unproject(middle.add(half), zoom))
        .pad(MARGIN);
    },

    _keyOf: function (feature, index) {
      return isCluster(feature) ? index.carteName + feature.properties.cluster_id : "p" + feature.i;
    },

    /* Draw what the view (and a margin) holds at this zoom, keeping the layers already drawn and the one whose card
     * is open (a card pans the map: its marker must not be taken away under it). */
    _update: function () {
      var map = this._map;
      if (!map) return;
      var zoom = Math.round(map.getZoom()), view = map.getBounds().pad(MARGIN), self = this, next = new Map();
      var index = this._indexAt(zoom, view);
      index.getClusters(bbox(view), zoom).forEach(function (feature) {
        var key = self._keyOf(feature, index);
        next.set(key, self._drawn.get(key) || self._layerFor(feature, index, zoom));
      });
      this._drawn.forEach(function (layer, key) {
        if (next.has(key)) return;
        if (layer.isPopupOpen()) next.set(key, layer);
        else self.removeLayer(layer);
      });
      next.forEach(function (layer, key) { if (!self._drawn.has(key)) self.addLayer(layer); });
      this._drawn = next;
    },

    _layerFor: function (feature, index, zoom) {
      if (!isCluster(feature)) return this._marker(feature.i);
      var id = feature.properties.cluster_id, count = feature.properties.point_count, self = this;
      var where = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      var cluster = L.marker(where, { icon: this._clusterIcon(count), keyboard: true });
      cluster.carteCluster = id;
      cluster.carteIndex = index;
      if (zoom >= this._last) {  // closer is not possible: the card lists them
        cluster.rows = index.getLeaves(id, Infinity).map(function (leaf) { return leaf.i; })
          .sort(function (a, b) { return a - b; });
        cluster.carteList = { title: count + " " + this._texts.pileTitle, help: this._texts.pileHelp };
        cluster.bindPopup("…", Object.assign({ className: "carte-area-popup" }, POPUP));
      } else {
        cluster.on("click", function () { self.expand(cluster, C.byKeyboard()); });
      }
      return cluster;
    },

    /* Zoom to where ``cluster`` splits; with ``focus``, focus then goes to what is drawn nearest the first of what it
     * held (a marker, or a cluster still). */
    expand: function (cluster, focus) {
      var map = this._map, index = cluster.carteIndex, self = this;
      var zoom = Math.min(index.getClusterExpansionZoom(cluster.carteCluster), this._last);
      var first = index.getLeaves(cluster.carteCluster, 1)[0].geometry.coordinates;
      if (focus) {
        map.once("moveend", function () {
          setTimeout(function () {
            var at = map.latLngToLayerPoint([first[1], first[0]]), nearest = null, distance = Infinity;
            self._drawn.forEach(function (layer) {
              var d = map.latLngToLayerPoint(layer.getLatLng()).distanceTo(at);
              if (layer._icon && d < distance) { nearest = layer; distance = d; }
            });
            focusQuietly(nearest && nearest._icon);
          }, 0);
        });
      }
      map.setView(cluster.getLatLng(), zoom, { animate: !STILL });
    },

    /* Show initiative i (zoomed in until it stands alone, or in the list of its pile at the last zoom) and call
     * ``then(layer)`` with its marker, or with its pile (which has ``rows``). False when it is not drawn here. */
    show: function (i, then) {
      var map = this._map, m = this._m, self = this;
      if (this._skip[i] || i < 0 || i >= m.lat.length) return false;
      if (map._animatingZoom) {  // a zoom on its way (the map fitted to its markers) would undo the view set here
        map.once("zoomend", function () { this.show(i, then); }, this);
        return true;
      }
      var lat = m.lat[i], lon = m.lon[i], near = 1e-6;
      var alone = function (zoom) {
        return self._indexAt(zoom, self._viewAt([lat, lon], zoom))
          .getClusters([lon - near, lat - near, lon + near, lat + near], zoom)
          .some(function (feature) { return feature.i === i; });
      };
      var zoom = Math.max(Math.round(map.getZoom()), map.getMinZoom());
      while (zoom < this._last && !alone(zoom)) zoom++;
      map.setView([lat, lon], zoom, { animate: false });
      this._update();
      var layer = this._drawn.get("p" + i);
      if (!layer) {  // still in a pile at the last zoom
        this._drawn.forEach(function (drawn) { if (drawn.rows && drawn.rows.indexOf(i) >= 0) layer = drawn; });
      }
      if (layer) then(layer);
      return !!layer;
    }
  });
})(window.Carte = window.Carte || {});
