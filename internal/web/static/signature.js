// Signature pad for information releases (issue 6 item 3).
//
// A <canvas> inside an element marked data-signature-pad: the client signs
// with a mouse, a finger or a pen (Pointer Events cover all three; a pen's
// pressure widens the line). After each stroke the drawing is stored as a
// PNG data URL in the hidden input named by data-input, which the form
// posts; the server checks it is a PNG. A value already in the input (the
// form shown again after an error) is drawn back. No inline script: the
// Content-Security-Policy forbids it, so this file is loaded from /static.
(function () {
  'use strict';

  function init(pad) {
    var canvas = pad.querySelector('canvas');
    var input = document.getElementById(pad.getAttribute('data-input'));
    var clear = pad.querySelector('[data-signature-clear]');
    var status = pad.querySelector('[data-signature-status]');
    if (!canvas || !input || !canvas.getContext) {
      return;
    }
    var ctx = canvas.getContext('2d');
    var drawing = false;
    var last = null;

    function blank() {
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
    }

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    // pos maps a pointer event to canvas pixels (the canvas is scaled by CSS).
    function pos(e) {
      var r = canvas.getBoundingClientRect();
      return {
        x: (e.clientX - r.left) * canvas.width / r.width,
        y: (e.clientY - r.top) * canvas.height / r.height,
        w: e.pointerType === 'pen' && e.pressure > 0 ? 1 + 4 * e.pressure : 2.5
      };
    }

    function line(a, b) {
      ctx.strokeStyle = '#1b1b1b';
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.lineWidth = b.w;
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      ctx.stroke();
    }

    function save() {
      input.value = canvas.toDataURL('image/png');
      pad.classList.remove('usa-form-group--error');
      say('Signed. Clear the signature to sign again.');
      // Signing chooses "Signed by the client".
      var signed = document.getElementById('consent-signature');
      if (signed) {
        signed.checked = true;
      }
    }

    canvas.addEventListener('pointerdown', function (e) {
      if (e.button !== 0 && e.pointerType === 'mouse') {
        return;
      }
      e.preventDefault();
      if (canvas.setPointerCapture) {
        canvas.setPointerCapture(e.pointerId);
      }
      drawing = true;
      last = pos(e);
      line(last, { x: last.x + 0.1, y: last.y + 0.1, w: last.w });
    });

    canvas.addEventListener('pointermove', function (e) {
      if (!drawing) {
        return;
      }
      e.preventDefault();
      var events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
      if (events.length === 0) {
        events = [e];
      }
      for (var i = 0; i < events.length; i++) {
        var p = pos(events[i]);
        line(last, p);
        last = p;
      }
    });

    function end(e) {
      if (!drawing) {
        return;
      }
      drawing = false;
      last = null;
      if (canvas.releasePointerCapture && canvas.hasPointerCapture && canvas.hasPointerCapture(e.pointerId)) {
        canvas.releasePointerCapture(e.pointerId);
      }
      save();
    }
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);

    if (clear) {
      clear.addEventListener('click', function () {
        blank();
        input.value = '';
        say('Not signed yet.');
      });
    }

    blank();
    if (input.value.indexOf('data:image/png;base64,') === 0) {
      var img = new Image();
      img.onload = function () {
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      };
      img.src = input.value;
    }
    pad.classList.add('hearth-signature-pad--ready');
  }

  var pads = document.querySelectorAll('[data-signature-pad]');
  for (var i = 0; i < pads.length; i++) {
    init(pads[i]);
  }
})();
