// The owner's page: the manage key comes in the link's fragment (browsers never send it to a server), is kept for this
// tab only (sessionStorage, shared with the scanner page) and goes to the API in the X-Venue-Key header.
(() => {
  'use strict';
  const root = document.getElementById('manage');
  const code = root.dataset.code;
  const keyName = 'citizensensor.venue-key.' + code;
  const status = document.getElementById('status');
  const fragment = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fragment) {
    sessionStorage.setItem(keyName, fragment);
    history.replaceState(null, '', location.pathname);
  }

  const key = () => sessionStorage.getItem(keyName);
  const show = () => {
    document.getElementById('key-form').hidden = !!key();
    document.getElementById('owner-tools').hidden = !key();
  };

  const say = (text, error) => {
    status.textContent = text;
    status.className = error ? 'error' : 'notice';
  };

  const send = async (method, url, body) => {
    const response = await fetch(url, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-Venue-Key': key() },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = await response.json().catch(() => ({}));
    if (response.status === 403) {
      sessionStorage.removeItem(keyName);
      show();
      say(root.dataset.wrongKey, true);
      return null;
    }

    if (!response.ok) {
      say(answer.errors ? Object.values(answer.errors).flat().join(' ') : (answer.detail || root.dataset.failed), true);
      return null;
    }

    return answer;
  };

  document.getElementById('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(keyName, document.getElementById('venue-key').value.trim());
    show();
  });

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
