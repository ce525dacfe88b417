// The station directory: "sort by distance from me". The position stays in the browser; the
// distances are great-circle distances computed here, and no map tiles are loaded from anywhere.
(function () {
  "use strict";
  var button = document.getElementById("near-me");
  var list = document.getElementById("station-list");
  var status = document.getElementById("near-me-status");
  if (!button || !list || !("geolocation" in navigator)) {
    return;
  }
  button.hidden = false;

  function distanceKm(lat1, lng1, lat2, lng2) {
    var radians = Math.PI / 180;
    var dLat = (lat2 - lat1) * radians;
    var dLng = (lng2 - lng1) * radians;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * radians) * Math.cos(lat2 * radians) * Math.sin(dLng / 2) * Math.sin(dLng / 2);
    return 6371 * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
  }

  function label(km) {
    return km < 1 ? Math.round(km * 1000) + " m" : km.toFixed(1) + " km";
  }

  function sortFrom(lat, lng) {
    var items = Array.prototype.slice.call(list.children);
    items.forEach(function (item) {
      var badge = item.querySelector("[data-distance]");
      if (item.dataset.lat && item.dataset.lng) {
        var km = distanceKm(lat, lng, parseFloat(item.dataset.lat), parseFloat(item.dataset.lng));
        item.dataset.km = km;
        if (badge) { badge.textContent = label(km); }
      } else {
        item.dataset.km = Infinity;
      }
    });
    items.sort(function (first, second) { return first.dataset.km - second.dataset.km; });
    items.forEach(function (item) { list.appendChild(item); });
    status.textContent = status.dataset.sorted;
  }

  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(
      function (position) { sortFrom(position.coords.latitude, position.coords.longitude); },
      function () { status.textContent = status.dataset.denied; },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 }
    );
  });
})();
