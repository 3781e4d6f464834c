/*
 * The operator console's script (no build, no library). It shows every <time datetime> in the viewer's time zone
 * (the UTC value stays in the title, on hover), and keeps the page live: every 2.5 s, while the tab is visible, it
 * fetches the page's fragment endpoint (main[data-poll]) and swaps each element marked data-live by its id.
 * A run page stops polling once its run has ended (data-terminal="true"). The schedule editor's time zone starts as
 * the browser's. Without the script the pages still work.
 */
(function () {
  'use strict';
  var POLL_MILLIS = 2500;

  function localize(root) {
    root.querySelectorAll('time[datetime]').forEach(function (time) {
      var at = new Date(time.getAttribute('datetime'));
      if (!isNaN(at.getTime())) {
        time.textContent = at.toLocaleString();
      }
    });
  }

  /* Swaps the live elements whose server HTML changed since the last poll; returns the fetched document. */
  function swap(html, last) {
    var fetched = new DOMParser().parseFromString(html, 'text/html');
    fetched.querySelectorAll('[data-live][id]').forEach(function (fresh) {
      var current = document.getElementById(fresh.id);
      if (current && last[fresh.id] !== fresh.outerHTML) {
        last[fresh.id] = fresh.outerHTML;
        var node = document.importNode(fresh, true);
        current.replaceWith(node);
        localize(node);
      }
    });
    return fetched;
  }

  function keepLive(main) {
    var url = main.getAttribute('data-poll');
    var note = document.getElementById('live-status');
    var last = {};
    var busy = false;
    var timer = null;

    function say(text) {
      if (note && note.textContent !== text) {
        note.textContent = text;
      }
    }

    function stop() {
      clearInterval(timer);
      timer = null;
    }

    function poll() {
      if (busy || timer === null || document.hidden) {
        return;
      }
      busy = true;
      fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } })
        .then(function (answer) {
          if (answer.redirected) {
            throw new Error('the server redirected (signed out?): reload the page');
          }
          if (!answer.ok) {
            throw new Error('HTTP ' + answer.status);
          }
          return answer.text();
        })
        .then(function (html) {
          var fetched = swap(html, last);
          say('');
          if (fetched.querySelector('[data-terminal="true"]')) {
            stop();
          }
        })
        .catch(function (error) {
          say('Live updates paused: ' + error.message + '. Retrying.');
        })
        .finally(function () {
          busy = false;
        });
    }

    timer = setInterval(poll, POLL_MILLIS);
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden) {
        poll();
      }
    });
  }

  /* A new schedule's time zone starts as the browser's, when the list has it (the server's default is UTC). */
  function browserZone(select) {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && Array.prototype.some.call(select.options, function (o) { return o.value === zone; })) {
      select.value = zone;
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    localize(document);
    var zones = document.querySelector('select[data-browser-default="yes"]');
    if (zones) {
      browserZone(zones);
    }
    var main = document.querySelector('main[data-poll]');
    if (main) {
      keepLive(main);
    }
  });
})();
