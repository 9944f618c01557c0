// The owner's page: edit, close. The manage key (venue-key.js) goes to the API in the X-Venue-Key header.
(() => {
  'use strict';
  const root = document.getElementById('manage');
  const code = root.dataset.code;
  const status = document.getElementById('status');
  const show = () => {
    document.getElementById('key-form').hidden = !!key.get();
    document.getElementById('owner-tools').hidden = !key.get();
  };
  const key = window.venueKey(code, show);

  const say = (text, error) => {
    status.textContent = text;
    status.className = error ? 'error' : 'notice';
  };

  const send = async (method, url, body) => {
    const response = await fetch(url, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-Venue-Key': key.get() },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = await response.json().catch(() => ({}));
    if (response.status === 403) {
      key.forget();
      say(root.dataset.wrongKey, true);
      return null;
    }

    if (!response.ok) {
      say(answer.errors ? Object.values(answer.errors).flat().join(' ') : (answer.detail || root.dataset.failed), true);
      return null;
    }

    return answer;
  };

  document.getElementById('edit-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const saved = await send('PATCH', '/api/v1/venues/' + code, {
      name: form.name.value.trim(),
      kind: form.kind.value,
      address: form.address.value.trim(),
    });
    if (saved) {
      document.getElementById('venue-title').textContent = saved.name;
      say(root.dataset.saved, false);
    }
  });

  document.getElementById('close-venue').addEventListener('click', async (event) => {
    if (!window.confirm(root.dataset.confirmClose)) {
      return;
    }

    if (await send('POST', '/api/v1/venues/' + code + '/close')) {
      event.target.hidden = true;
      document.getElementById('closed').hidden = false;
      say(root.dataset.closed, false);
    }
  });

  show();
})();
