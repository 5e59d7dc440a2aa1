/* Shobbak's upload pages (the API's own, whose CSP lets their forms post, and this script send, to the
   documents bucket), which load this script instead of portal.js: nothing else of the portal's is
   used there, and the page with its forms must stay within the portal's weight budget.
   Each form is one document's presigned POST and works as plain HTML without this script. With it, a
   chosen file is looked at first, as the server reads it when it arrives (domain/documents.py): empty,
   too large, or not a PDF, JPEG or PNG by its first bytes, it is not sent. Then every chosen file is
   sent in turn, and the API's page for its slot says whether it came (S3's own answer, from another
   origin, cannot be read); that page also holds the forms of the documents still waiting, which then
   take the place of the forms sent. The server checks every file again, whatever happened here. */
(function () {
  'use strict';
  var SIGNATURES = [[0x25, 0x50, 0x44, 0x46, 0x2d], [0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]];
  var sending = false;
  if (!window.fetch || !window.FormData || !window.DOMParser) return;

  function known(bytes) {
    return SIGNATURES.some(function (signature) {
      return signature.every(function (byte, at) { return bytes[at] === byte; });
    });
  }

  function chosenFile(form) {
    var input = form.querySelector('input[type=file]');
    return input.files && input.files[0];
  }

  function fileProblem(file) {
    if (!file.size) return Promise.resolve('الملف فارغ.');
    if (file.size > 10 * 1024 * 1024) return Promise.resolve('الملف أكبر من 10 ميجابايت.');
    if (!file.slice(0, 8).arrayBuffer) return Promise.resolve('');
    return file.slice(0, 8).arrayBuffer().then(function (buffer) {
      return known(new Uint8Array(buffer)) ? '' : 'يُقبل ملف PDF أو صورة JPEG أو PNG فقط.';
    });
  }

  function showProblem(form, message) {
    var note = form.querySelector('.error-message');
    note.hidden = !message;
    note.querySelector('[data-message]').textContent = message;
    form.querySelector('[data-field]').classList.toggle('field-error', !!message);
    return !message;
  }

  // Resolves to the API's page for the form's slot once the file is there, or to null.
  function sendOne(form) {
    var name = form.querySelector('label').textContent;
    return fileProblem(chosenFile(form)).then(function (problem) {
      if (!showProblem(form, problem)) return null;
      return fetch(form.action, { method: 'POST', mode: 'no-cors', body: new FormData(form) }).then(function () {
        return fetch(form.elements.success_action_redirect.value);
      }).then(function (response) { return response.text(); }).then(function (text) {
        var page = new DOMParser().parseFromString(text, 'text/html');
        if (!page.querySelector('[data-arrived]')) return showProblem(form, 'لم يصل الملف، أرسله مرة أخرى.') && null;
        var received = document.createElement('p');
        received.className = 'inset';
        received.textContent = 'استلمنا: ' + name;
        document.querySelector('[data-received]').appendChild(received);
        form.remove();
        return page;
      });
    }).catch(function () { return showProblem(form, 'تعذر إرسال الملف، حاول مرة أخرى بعد قليل.') && null; });
  }

  function sendChosen() {
    if (sending) return;
    var forms = [].slice.call(document.querySelectorAll('form[data-upload]'));
    var chosen = forms.filter(chosenFile), note = document.querySelector('[data-sent-note]'), last = null;
    if (!chosen.length) {
      showProblem(forms[0], 'اختر ملفًا لمستند واحد على الأقل.');
      return;
    }
    sending = true;
    note.textContent = 'جارٍ إرسال الملفات…';
    var sent = 0;
    chosen.reduce(function (done, form) {
      return done.then(function () { return sendOne(form); }).then(function (page) {
        if (page) { sent += 1; last = page; }
      });
    }, Promise.resolve()).then(function () {
      sending = false;
      var said = 'استلمنا ' + sent + ' من ' + chosen.length + '. ';
      if (sent < chosen.length) {
        note.textContent = said + 'أرسل ما لم يصل مرة أخرى.';
        return;
      }
      // The last slot's page holds the forms of every document still waiting, this page's unsent ones too.
      var next = last.querySelector('[data-uploads]'), here = document.querySelector('[data-uploads]');
      if (next) {
        here.replaceWith(document.importNode(next, true));
        prepare();
        note.textContent = said + 'اختر الآن ملفات المستندات الباقية.';
        return;
      }
      here.remove();
      note.textContent = said + 'نفحص كل ملف، وتظهر النتيجة في صفحة متابعة الطلب.';
    });
  }

  document.addEventListener('submit', function (event) {
    if (!event.target.hasAttribute('data-upload')) return;
    event.preventDefault();  // every chosen file of the page, in turn, without leaving it
    sendChosen();
  });

  document.addEventListener('click', function (event) {
    if (event.target.closest('[data-send-all]')) sendChosen();
  });

  document.addEventListener('change', function (event) {
    var form = event.target.closest('form[data-upload]'), file = event.target.files && event.target.files[0];
    if (!form || !file) return;
    fileProblem(file).then(function (problem) { showProblem(form, problem); });
  });

  function prepare() {
    document.querySelectorAll('[data-one]').forEach(function (button) { button.hidden = true; });
    document.querySelectorAll('[data-send-all]').forEach(function (button) { button.hidden = false; });
  }

  prepare();
}());
