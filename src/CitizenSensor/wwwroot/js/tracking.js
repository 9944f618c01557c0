// Live tracking: the page listens to the report's Server-Sent Events and re-renders when anything changes.
(function () {
    'use strict';
    var status = document.getElementById('report-status');
    if (!status || typeof EventSource === 'undefined') {
        return;
    }
    var source = new EventSource('/api/v1/reports/' + encodeURIComponent(status.dataset.code) + '/events');
    source.addEventListener('report', function (event) {
        var report = JSON.parse(event.data);
        var shown = document.getElementById('status').dataset.status;
        if (report.status !== shown || report.history.length !== parseInt(status.dataset.history, 10)) {
            source.close();
            window.location.reload();
        }
    });
}());
