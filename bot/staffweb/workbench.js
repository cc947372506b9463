// The workbench's live updates: the server streams a change mark; when it
// moves, the page fetches itself and swaps in its live parts (the list,
// the case's thread and facts), leaving what the clerk is typing alone.
(function () {
  'use strict';
  const body = document.body;
  gallery();
  refreshWhenIdle();
  if (!body.dataset.live || !window.EventSource) return;
  let mark = body.dataset.mark || '';
  const state = document.getElementById('live-state');
  const say = (text, bad) => {
    if (!state) return;
    state.textContent = text;
    state.classList.toggle('err', !!bad);
  };
  let busy = false, again = false;
  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const res = await fetch(location.href, { credentials: 'same-origin', headers: { 'X-Live': '1' } });
      if (res.redirected && new URL(res.url).pathname === '/staff/login') {
        say(body.dataset.msgLogin, true);
        return;
      }
      if (!res.ok && res.status !== 400 && res.status !== 409) {
        say(body.dataset.msgStale, true);
        return;
      }
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      document.querySelectorAll('[data-part]').forEach(el => {
        const fresh = doc.getElementById(el.id);
        if (fresh) el.replaceWith(document.importNode(fresh, true));
      });
      doc.querySelectorAll('input[name=version]').forEach(v => {
        document.querySelectorAll('input[name=version]').forEach(mine => { mine.value = v.value; });
      });
      say(body.dataset.msgLive, false);
    } catch (e) {
      say(body.dataset.msgStale, true);
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }
  const es = new EventSource('/staff/events');
  es.addEventListener('change', ev => {
    if (ev.data === mark) { say(body.dataset.msgLive, false); return; }
    mark = ev.data;
    refresh();
  });
  es.onerror = () => say(body.dataset.msgOffline, true);
  es.onopen = () => say(body.dataset.msgLive, false);

})();

// Photos open large, one after another (a gallery), by mouse, touch or
// keyboard (Enter on a photo); the focus goes into the gallery and back to
// the photo it was opened from when it closes.
function gallery() {
  const box = document.getElementById('lightbox');
  if (!box) return;
  const img = box.querySelector('img');
  let shown = [], at = 0, from = null;
  const show = i => { at = (i + shown.length) % shown.length; img.src = shown[at]; };
  const open = ph => {
    shown = [...document.querySelectorAll('img.ph')].map(p => p.src);
    show(shown.indexOf(ph.src));
    from = ph;
    box.hidden = false;
    box.querySelector('.close').focus();
  };
  const close = () => {
    box.hidden = true;
    if (from && from.isConnected) from.focus();
  };
  document.addEventListener('click', ev => {
    const ph = ev.target.closest('img.ph');
    if (ph) { open(ph); return; }
    if (ev.target.closest('#lightbox .next')) { show(at + 1); return; }
    if (ev.target.closest('#lightbox .prev')) { show(at - 1); return; }
    if (ev.target.closest('#lightbox')) close();
  });
  document.addEventListener('keydown', ev => {
    if (box.hidden) {
      const ph = ev.target.closest && ev.target.closest('img.ph');
      if (ph && (ev.key === 'Enter' || ev.key === ' ')) { ev.preventDefault(); open(ph); }
      return;
    }
    if (ev.key === 'Escape') close();
    if (ev.key === 'ArrowRight') show(at + 1);
    if (ev.key === 'ArrowLeft') show(at - 1);
  });
}

// A page without the live stream (the approvals) reloads itself every
// data-refresh seconds, but never while a field has been typed in: a
// half-written rejection reason is not thrown away.
function refreshWhenIdle() {
  const every = Number(document.body.dataset.refresh || 0);
  if (!every) return;
  setInterval(() => {
    const typed = [...document.querySelectorAll('input:not([type=hidden]), textarea')].some(f => f.value !== f.defaultValue);
    if (!typed && !document.querySelector('#lightbox:not([hidden])')) location.reload();
  }, every * 1000);
}
