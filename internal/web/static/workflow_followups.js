// Follow-up questions of the workflow pages (issue 5): a field whose form
// group carries data-wf-show-if="ID=V1,V2&ID2=V3 ..." is asked only when
// one of the space-separated triggers holds: each of its "&"-joined fields
// has one of the listed answers (R15.A after R15.1 Yes; 3.917.2C after an
// institutional stay and a length under 90 days). It is
// hidden otherwise and emptied, so a changed trigger never leaves a stale
// answer behind (the server refuses a follow-up whose trigger does not
// hold, internal/workflow/followups.go). Without JavaScript every field
// shows, labelled "If ...". No inline script: the CSP forbids it.
(function () {
  'use strict';

  function condition(c) {
    var eq = c.indexOf('=');
    var el = document.getElementById(c.slice(0, eq));
    return !!el && el.value !== '' && c.slice(eq + 1).split(',').indexOf(el.value) >= 0;
  }

  function holds(group) {
    var triggers = group.getAttribute('data-wf-show-if').split(' ');
    for (var i = 0; i < triggers.length; i++) {
      var all = triggers[i].split('&');
      var ok = true;
      for (var j = 0; j < all.length && ok; j++) {
        ok = condition(all[j]);
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  // update shows and hides the form's follow-ups in document order, so a
  // follow-up of a follow-up (R15.D after R15.C) sees its trigger emptied.
  function update(form) {
    var groups = form.querySelectorAll('[data-wf-show-if]');
    for (var i = 0; i < groups.length; i++) {
      var g = groups[i];
      var show = holds(g);
      g.hidden = !show;
      if (!show) {
        var fields = g.querySelectorAll('input, select, textarea');
        for (var j = 0; j < fields.length; j++) {
          var f = fields[j];
          if (f.type === 'checkbox' || f.type === 'radio') {
            f.checked = false; // its value is what it sends when ticked: keep it
          } else {
            f.value = '';
          }
        }
      }
    }
  }

  function init() {
    var forms = document.querySelectorAll('form.hearth-workflow');
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      if (!form.querySelector('[data-wf-show-if]')) {
        continue;
      }
      update(form);
      form.addEventListener('change', function (e) {
        update(e.currentTarget);
      });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
