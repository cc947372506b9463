// The workbench's live updates: the server streams a change mark; when it
// moves, the page fetches itself and swaps in its live parts (the list,
// the case's thread and facts), leaving what the clerk is typing alone.
(function () {
  'use strict';
  const body = document.body;
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

  // Photos open large, one after another (a gallery).
  const box = document.getElementById('lightbox');
  if (box) {
    const img = box.querySelector('img');
    let shown = [], at = 0;
    const show = i => { at = (i + shown.length) % shown.length; img.src = shown[at]; };
    document.addEventListener('click', ev => {
      const ph = ev.target.closest('img.ph');
      if (ph) {
        shown = [...document.querySelectorAll('img.ph')].map(p => p.src);
        show(shown.indexOf(ph.src));
        box.hidden = false;
        return;
      }
      if (ev.target.closest('#lightbox .next')) { show(at + 1); return; }
      if (ev.target.closest('#lightbox .prev')) { show(at - 1); return; }
      if (ev.target.closest('#lightbox')) box.hidden = true;
    });
    document.addEventListener('keydown', ev => {
      if (box.hidden) return;
      if (ev.key === 'Escape') box.hidden = true;
      if (ev.key === 'ArrowRight') show(at + 1);
      if (ev.key === 'ArrowLeft') show(at - 1);
    });
  }
})();
