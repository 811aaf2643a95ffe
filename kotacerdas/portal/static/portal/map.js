// Maps on the portal, over Leaflet (vendor/leaflet). Every element with data-map becomes a map;
// pages include portal/_map_assets.html and keep working without it: the form still has its
// lat/lon text inputs, the list its links. The contract (all attributes on the data-map element):
//   data-boundaries            URL of /api/v1/regions/boundaries.geojson: the basemap.
//   data-tiles                 optional tile URL template ({z}/{x}/{y}); empty means no tiles,
//   data-tiles-attribution     so by default the map requests nothing beyond this site.
//   data-center                optional "lat,lon" (dot decimals: |unlocalize) to show at street
//                              level instead of the whole city.
//   data-points                markers mode: URL of a FeatureCollection of points with
//                              properties {title, url, status, category}. A filter form
//                              sends `kc:filters-changed` to the element with detail.url.
//   data-pick-lat, -lon        picker mode: CSS selectors of the latitude and longitude inputs.
//                              In their form, [data-locate] (with data-msg-busy, -denied,
//                              -failed) asks the phone's GPS; [data-locate-status] says how.
(() => {
  "use strict";

  const CENTRE = [-8.0948, 112.167]; // Kota Blitar, until the boundaries arrive
  const BOUNDARY_STYLE = { color: "#0b5c4a", weight: 1, opacity: 0.7, fillColor: "#0b5c4a", fillOpacity: 0.06, className: "map-boundary" };

  // Text from the server goes into the map as text: names and titles may contain "<".
  const textNode = (tag, text) => {
    const node = document.createElement(tag);
    node.textContent = text == null ? "" : String(text);
    return node;
  };

  const cssName = (prefix, value) => prefix + String(value == null ? "" : value).replace(/[^\w-]/g, "");

  // "lat,lon" with dot decimals, or null. A localised "-8,0985,112,1681" is refused, not guessed.
  const latLon = (text) => {
    const parts = String(text || "").split(",").map(Number);
    return parts.length === 2 && parts.every(Number.isFinite) ? parts : null;
  };

  const getJSON = (url) =>
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.status))));

  function addBoundaries(map, el, keepView) { // keepView: a pin or data-center to look at
    if (!el.dataset.boundaries) return;
    getJSON(el.dataset.boundaries).then((data) => {
      const layer = L.geoJSON(data, {
        style: BOUNDARY_STYLE,
        onEachFeature: (feature, shape) => shape.bindTooltip(textNode("span", feature.properties.name), { sticky: true }),
      }).addTo(map);
      layer.bringToBack();
      if (data.attribution) map.attributionControl.addAttribution(textNode("span", data.attribution).innerHTML);
      // Without animation: the view is final as soon as the city is drawn, so a tap that
      // comes right after lands where the finger was.
      if (!keepView && layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { animate: false });
    }).catch(() => { /* the map stays centred on the city; the page works without it */ });
  }

  function popupFor(properties) {
    const box = document.createElement("div");
    const href = new URL(properties.url || "", document.baseURI);
    if (properties.url && (href.protocol === "https:" || href.protocol === "http:")) {
      const link = textNode("a", properties.title);
      link.href = href.href;
      box.append(link);
    } else {
      box.append(textNode("strong", properties.title));
    }
    return box;
  }

  function addPoints(map, el) {
    const layer = L.geoJSON(null, {
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
        radius: 8,
        weight: 2,
        fillOpacity: 0.8,
        // Colours live in _map_assets.html: .map-status-<status>, e.g. .map-status-resolved.
        className: ["map-point", cssName("map-status-", feature.properties.status),
          cssName("map-category-", feature.properties.category)].join(" "),
      }),
      onEachFeature: (feature, marker) => marker.bindPopup(popupFor(feature.properties)),
    }).addTo(map);
    let latest = 0; // a slow answer to an older filter must not replace a newer one
    const load = (url) => {
      const ticket = ++latest;
      getJSON(url).then((data) => {
        if (ticket !== latest) return;
        layer.clearLayers();
        layer.addData(data);
      }).catch(() => {});
    };
    el.addEventListener("kc:filters-changed", (event) => {
      if (!event.detail || !event.detail.url) return;
      el.dataset.points = event.detail.url;
      load(event.detail.url);
    });
    load(el.dataset.points);
  }

  function addPicker(map, el) {
    const lat = document.querySelector(el.dataset.pickLat);
    const lon = document.querySelector(el.dataset.pickLon);
    if (!lat || !lon) return null;
    const icon = L.divIcon({ className: "map-pin", html: "<span></span>", iconSize: [28, 28], iconAnchor: [14, 28] });
    let pin = null;

    const write = (latlng) => {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      [lat, lon].forEach((input) => {
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    };
    const place = (latlng) => {
      if (pin) {
        pin.setLatLng(latlng);
      } else {
        pin = L.marker(latlng, { draggable: true, icon, autoPan: true }).addTo(map);
        pin.on("dragend", () => write(pin.getLatLng()));
      }
    };
    // A typed decimal comma is read as a point: parseFloat("-8,0985") would say -8.
    const number = (input) => (input.value.trim() ? Number(input.value.trim().replace(",", ".")) : NaN);
    const typed = () => {
      const point = [number(lat), number(lon)];
      return point.every(Number.isFinite) && Math.abs(point[0]) <= 90 && Math.abs(point[1]) <= 180 ? point : null;
    };

    map.on("click", (event) => { place(event.latlng); write(event.latlng); });
    // Typing coordinates moves the pin too; the inputs stay the source of truth.
    [lat, lon].forEach((input) => input.addEventListener("change", () => { if (typed()) place(typed()); }));
    const start = typed();
    if (start) place(start);
    addLocate(map, lat.form, (latlng) => { place(latlng); write(latlng); map.setView(latlng, Math.max(map.getZoom(), 17)); });
    return start;
  }

  function addLocate(map, form, found) {
    const button = form && form.querySelector("[data-locate]");
    if (!button || !navigator.geolocation) return;
    const status = form.querySelector("[data-locate-status]");
    const say = (text) => { if (status) status.textContent = text || ""; };
    if (status && !status.hasAttribute("aria-live")) status.setAttribute("aria-live", "polite");
    button.type = "button"; // never submits the form
    button.hidden = false; // pages render it hidden, for browsers without scripts or GPS
    button.addEventListener("click", () => {
      button.disabled = true;
      say(button.dataset.msgBusy);
      navigator.geolocation.getCurrentPosition(
        (position) => {
          button.disabled = false;
          say("");
          found(L.latLng(position.coords.latitude, position.coords.longitude));
        },
        (error) => {
          button.disabled = false;
          say(error.code === error.PERMISSION_DENIED ? button.dataset.msgDenied : button.dataset.msgFailed);
        },
        { enableHighAccuracy: true, timeout: 10000 },
      );
    });
  }

  function init(el) {
    if (el.dataset.mapReady) return;
    el.dataset.mapReady = "1";
    // The map sits in a scrolling page: the wheel scrolls the page, the buttons zoom.
    const map = L.map(el, { scrollWheelZoom: false });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.tilesAttribution || "", maxZoom: 19 }).addTo(map);
    }
    const pin = el.dataset.pickLat && el.dataset.pickLon ? addPicker(map, el) : null;
    const centre = pin || latLon(el.dataset.center);
    // One view from the start (a second one would animate the zoom).
    map.setView(centre || CENTRE, centre ? 16 : 13);
    addBoundaries(map, el, Boolean(centre));
    if (el.dataset.points) addPoints(map, el);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const maps = document.querySelectorAll("[data-map]");
    if (!window.L) { // Leaflet did not load: hide the empty boxes, the inputs still work
      maps.forEach((el) => { el.hidden = true; });
      return;
    }
    maps.forEach(init);
  });
})();
