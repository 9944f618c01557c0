// The venue staff's scanner: a handheld scanner types the resident's pass and Enter into #pass; each pass is checked in
// with the venue's key. When the network is down, scans wait in this device's storage and go as one batch later.
(() => {
  'use strict';
  const root = document.getElementById('scanner');
  const code = root.dataset.code;
  const queueName = 'citizensensor.scan-queue.' + code;
  const keyForm = document.getElementById('key-form');
  const scanForm = document.getElementById('scan-form');
  const pass = document.getElementById('pass');
  const scans = document.getElementById('scans');

  const queue = () => JSON.parse(localStorage.getItem(queueName) || '[]');
  const saveQueue = (items) => {
    localStorage.setItem(queueName, JSON.stringify(items));
    document.getElementById('queue').hidden = items.length === 0;
    document.getElementById('queue-count').textContent = String(items.length);
  };

  const show = () => {
    keyForm.hidden = !!key.get();
    scanForm.hidden = !key.get();
    saveQueue(queue());
    (key.get() ? pass : document.getElementById('venue-key')).focus();
  };
  const key = window.venueKey(code, show);

  const log = (text, kind) => {
    const item = document.createElement('li');
    item.className = kind;
    item.textContent = new Date().toLocaleTimeString() + ' — ' + text;
    scans.prepend(item);
  };

  const post = (url, body) => fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Venue-Key': key.get() },
    body: JSON.stringify(body),
  });

  const forgetKey = () => {
    log(root.dataset.wrongKey, 'error');
    key.forget();
  };

  scanForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = pass.value.trim();
    pass.value = '';
    if (!value) {
      return;
    }

    const at = new Date().toISOString(); // kept only if the scan has to wait
    let response;
    try {
      response = await post('/api/v1/checkins', { venueCode: code, pass: value }); // online: the server's clock
    } catch {
      saveQueue([...queue(), { venueCode: code, pass: value, at }]);
      log(root.dataset.queued, 'queued');
      return;
    }

    if (response.status === 403) {
      forgetKey();
      return;
    }

    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      log(body.duplicate ? root.dataset.duplicate : root.dataset.accepted, body.duplicate ? 'duplicate' : 'accepted');
    } else {
      const reasons = body.errors ? Object.values(body.errors).flat().join(' ') : (body.detail || root.dataset.failed);
      log(reasons, 'error');
    }
  });

  document.getElementById('send-queue').addEventListener('click', async () => {
    const items = queue();
    if (items.length === 0) {
      return;
    }

    try {
      const response = await post('/api/v1/checkins/batch', { items: items.slice(0, 1000) });
      if (response.status === 403) {
        forgetKey();
        return;
      }

      const body = await response.json();
      saveQueue(items.slice(1000));
      log(root.dataset.accepted + ' ' + body.accepted + ' / ' + items.slice(0, 1000).length, 'accepted');
    } catch {
      log(root.dataset.failed, 'error');
    }
  });

  window.addEventListener('online', () => document.getElementById('send-queue').click());
  show();
})();
