// Progressive enhancement of the report form: "use my location" and a map pin fill the hidden lat/lng fields.
// Without JavaScript the form still works with the typed address.
(function () {
    'use strict';
    var tools = document.querySelector('.location-tools');
    var lat = document.getElementById('lat');
    var lng = document.getElementById('lng');
    var status = document.getElementById('location-status');
    if (!tools || !lat || !lng) {
        return;
    }
    tools.hidden = false;

    var map = null;
    var marker = null;
    var nearby = document.getElementById('nearby');
    var nearbyList = document.getElementById('nearby-list');

    // "Is it one of these?": reports within 200 m in the last day, each with a link to follow it instead of filing again.
    function lookNearby(latitude, longitude) {
        if (!nearby) {
            return;
        }
        fetch('/api/v1/reports/nearby?lat=' + latitude.toFixed(6) + '&lng=' + longitude.toFixed(6))
            .then(function (response) { return response.ok ? response.json() : []; })
            .then(function (reports) {
                nearbyList.replaceChildren();
                reports.forEach(function (report) {
                    var item = document.createElement('li');
                    var what = [report.category ? report.category.name : nearby.dataset.pending,
                        report.unit ? report.unit.name : null,
                        nearby.dataset.meters.replace('{0}', report.distanceMeters),
                        new Date(report.submittedAt).toLocaleString(document.documentElement.lang || 'vi')].filter(Boolean);
                    item.append(what.join(' · ') + ' — ');
                    var link = document.createElement('a');
                    link.href = '/r/' + encodeURIComponent(report.code) + '#follow';
                    link.textContent = nearby.dataset.follow + ' ' + report.code;
                    item.append(link);
                    nearbyList.append(item);
                });
                nearby.hidden = reports.length === 0;
            })
            .catch(function () { nearby.hidden = true; });
    }

    function show(latitude, longitude, zoom) {
        lat.value = latitude.toFixed(6);
        lng.value = longitude.toFixed(6);
        status.textContent = status.dataset.set.replace('{0}', lat.value + ', ' + lng.value);
        lookNearby(latitude, longitude);
        checkServed(latitude, longitude);
        if (map) {
            var position = [latitude, longitude];
            if (zoom) {
                map.setView(position, 15);
            }
            if (marker) {
                marker.setLatLng(position);
            } else {
                marker = L.circleMarker(position, { radius: 9, color: '#0b57d0', weight: 3, fillOpacity: 0.6 }).addTo(map);
            }
        }
    }

    // A pin outside every city served still reaches a person (the triage desk), but the resident is told first and
    // sends it only on a second press.
    var outside = document.getElementById('location-outside');
    var form = tools.closest('form');
    var warned = false;
    function checkServed(latitude, longitude) {
        if (!outside) {
            return;
        }
        warned = false;
        fetch('/api/v1/units/resolve?lat=' + latitude.toFixed(6) + '&lng=' + longitude.toFixed(6))
            .then(function (response) { return response.status === 404 ? response.json() : null; })
            .then(function (problem) { outside.hidden = !(problem && problem.reason === 'outside-every-city'); })
            .catch(function () { outside.hidden = true; });
    }
    if (form && outside) {
        form.addEventListener('submit', function (event) {
            if (!outside.hidden && !warned) {
                warned = true;
                event.preventDefault();
                outside.focus();
            }
        });
    }

    // The cities served, each with its boundaries; the map opens on the one the resident chose last time (or the
    // first), or where they are when the browser already lets the site know.
    var element = document.getElementById('report-map');
    var city = document.getElementById('report-city');
    var cityLayers = {};
    function showCity(code) {
        if (map && cityLayers[code] && !marker) { // a position the resident already set keeps the view
            // A jump, not a flight: the cities are 1,100 km apart. data-view says which city the map shows.
            map.fitBounds(cityLayers[code].getBounds(), { animate: false });
            element.dataset.view = code;
        }
    }
    if (element && typeof L !== 'undefined' && window.CitizenMap) {
        // A view from the start: Leaflet cannot draw a layer on a map without one, and the cities' boundaries (or the
        // resident's position) may arrive in any order.
        map = L.map(element, { zoomSnap: 0.25 }).setView([16.0, 106.0], 5);
        map.attributionControl.setPrefix(false);
        CitizenMap.basemap(map, element);
        var remembered = null;
        try { remembered = window.localStorage.getItem('cs-report-city'); } catch (e) { /* storage off */ }
        if (city && remembered && city.querySelector('option[value="' + remembered + '"]')) {
            city.value = remembered;
        }
        Array.prototype.forEach.call(city ? city.options : [], function (option) {
            fetch(option.dataset.geojson, { headers: { Accept: 'application/geo+json' } })
                .then(function (response) { return response.json(); })
                .then(function (collection) {
                    cityLayers[option.value] = L.geoJSON(collection, { style: function () { return { color: '#b3261e', weight: 1, fillOpacity: 0.06 }; } }).addTo(map);
                    if (option.value === city.value) {
                        showCity(option.value);
                    }
                });
        });
        if (city) {
            city.addEventListener('change', function () {
                try { window.localStorage.setItem('cs-report-city', city.value); } catch (e) { /* storage off */ }
                showCity(city.value);
            });
        }
        if (navigator.permissions && navigator.geolocation) {
            navigator.permissions.query({ name: 'geolocation' }).then(function (permission) {
                if (permission.state === 'granted') {
                    navigator.geolocation.getCurrentPosition(function (position) {
                        if (!marker) {
                            map.setView([position.coords.latitude, position.coords.longitude], 15);
                        }
                    });
                }
            }).catch(function () { /* not supported: stay on the city */ });
        }
        map.on('click', function (event) { show(event.latlng.lat, event.latlng.lng, false); });
        if (lat.value && lng.value) {
            show(parseFloat(lat.value), parseFloat(lng.value), true);
        }
    }

    document.getElementById('use-location').addEventListener('click', function () {
        if (!navigator.geolocation) {
            status.textContent = status.dataset.failed;
            return;
        }
        navigator.geolocation.getCurrentPosition(
            function (position) { show(position.coords.latitude, position.coords.longitude, true); },
            function () { status.textContent = status.dataset.failed; },
            { enableHighAccuracy: true, timeout: 10000 });
    });
}());
