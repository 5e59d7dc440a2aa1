/* Shobbak's portal: checks answers as they are typed and sends forms without reloading the page.
   Everything here is an addition: every form works as plain HTML, posting to the API, without it. */
(function () {
  'use strict';
  var HIDDEN_MARKS = /[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]/g;
  var REQUIRED = 'هذا الحقل مطلوب.';
  var busy = false;

  // Arabic-Indic (٠-٩) and Persian (۰-۹) digits to ASCII, as the server does before it checks anything.
  function ascii(text) {
    return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, function (digit) {
      var code = digit.charCodeAt(0);
      return String(code - (code >= 0x6f0 ? 0x6f0 : 0x660));
    }).replace(HIDDEN_MARKS, '');
  }

  function digits(text) {
    return ascii(text).replace(/[\s\-\u2010-\u2015\u2212]/g, '');
  }

  // The first problem with one answer, in the server's words, or '' when there is none.
  var CHECKS = {
    full_name: function (value) {
      if (/[0-9]/.test(ascii(value))) return 'لا يجوز أن يحتوي الاسم على أرقام.';
      if (value.trim().split(/\s+/).length < 2) return 'يرجى كتابة الاسم الكامل، أي الاسم واسم الأب على الأقل.';
      return '';
    },
    national_id: function (value) {
      var number = digits(value);
      if (!/^[0-9]{14}$/.test(number)) return 'الرقم القومي يتكون من أربعة عشر رقمًا فقط، يرجى مراجعته وإعادة إدخاله.';
      if (!/^[23]/.test(number)) return 'يبدأ الرقم القومي بالرقم ٢ أو ٣، يرجى التأكد من الرقم المُدخل.';
      return '';
    },
    phone: function (value) {
      var number = ascii(value).replace(/[\s\-().]/g, '').replace(/^(\+|00)?20(?=1)/, '0');
      return /^01[0125][0-9]{8}$/.test(number) ? '' : 'رقم الهاتف المحمول غير صحيح، يرجى إدخاله على النحو التالي: 01012345678.';
    },
    number: function (value, control) {
      var text = ascii(value).trim().replace('\u066b', '.').replace(/,/g, '');
      if (!/^[0-9]+(\.[0-9]+)?$/.test(text)) return 'اكتب رقمًا صحيحًا بالأرقام فقط.';
      var min = control.getAttribute('data-min'), max = control.getAttribute('data-max');
      if (min !== null && +text < +min) return 'يجب ألا يقل الرقم عن ' + min + '.';
      if (max !== null && +text > +max) return 'يجب ألا يزيد الرقم على ' + max + '.';
      return '';
    },
    date: function (value) {
      var text = ascii(value).trim();
      var day = new Date(text + 'T00:00:00Z');
      return /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text) && !isNaN(day) && day.toISOString().slice(0, 10) === text
        ? '' : 'اكتب التاريخ بالصيغة سنة-شهر-يوم.';
    },
    tracking_number: function (value) {
      return /^[0-9]{12,14}$/.test(digits(value)) ? '' : 'رقم المتابعة غير صحيح، راجع أرقامه كما وردت في رسالة التأكيد.';
    },
    last4: function (value) {
      return /^[0-9]{4}$/.test(digits(value)) ? '' : 'اكتب آخر أربعة أرقام من الرقم القومي لمقدم الطلب.';
    }
  };

  function answerOf(control) {
    if (control.tagName === 'FIELDSET') {
      var chosen = control.querySelector('input:checked');
      return chosen ? chosen.value : '';
    }
    return control.value;
  }

  function problemWith(control) {
    var kind = control.getAttribute('data-check'), value = answerOf(control);
    if (kind === 'consent') return value ? '' : 'يلزم موافقتك على استخدام بياناتك لغرض هذا الطلب.';
    if (!value.replace(HIDDEN_MARKS, '').trim()) {
      if (kind === 'tracking_number' || kind === 'last4') return CHECKS[kind]('');
      return control.hasAttribute('data-required') ? REQUIRED : '';
    }
    var limit = control.getAttribute('data-max-length');
    if (limit && value.trim().length > +limit) return 'النص أطول من ' + limit + ' حرفًا.';
    return CHECKS[kind] ? CHECKS[kind](value, control) : '';
  }

  function firstInput(control) {
    return control.tagName === 'FIELDSET' ? control.querySelector('input') : control;
  }

  // Shows or clears one field's message, as the server's page would have it.
  function mark(control, message) {
    var field = control.closest('[data-field]'), id = firstInput(control).id + '-error';
    var note = document.getElementById(id);
    var described = (control.getAttribute('aria-describedby') || '').split(' ').filter(function (part) {
      return part && part !== id;
    });
    if (message) described.push(id);
    field.classList.toggle('field-error', !!message);
    note.hidden = !message;
    note.querySelector('[data-message]').textContent = message;
    if (described.length) control.setAttribute('aria-describedby', described.join(' '));
    else control.removeAttribute('aria-describedby');
  }

  function summarise(problems) {
    var main = document.getElementById('main'), old = main.querySelector('[data-error-summary]');
    if (old) old.remove();
    document.title = document.title.replace(/^خطأ: /, '');
    if (!problems.length) return;
    var box = document.createElement('div'), list = document.createElement('ul');
    box.className = 'error-summary';
    box.setAttribute('role', 'alert');
    box.setAttribute('tabindex', '-1');
    box.setAttribute('aria-labelledby', 'error-summary-title');
    box.setAttribute('data-error-summary', '');
    box.innerHTML = '<h2 id="error-summary-title">توجد مشكلة</h2>';
    problems.forEach(function (problem) {
      var item = document.createElement('li'), link = document.createElement('a');
      link.href = '#' + problem[0];
      link.textContent = problem[1];
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    main.insertBefore(box, main.firstChild);
    document.title = 'خطأ: ' + document.title;
    box.focus();
  }

  function checkAll(form) {
    var problems = [];
    form.querySelectorAll('[data-check]').forEach(function (control) {
      var message = problemWith(control);
      mark(control, message);
      if (message) problems.push([firstInput(control).id, message]);
    });
    summarise(problems);
    return !problems.length;
  }

  // Puts the page the API answered in place of this one, as if it had been loaded.
  function show(html, target) {
    var page = new DOMParser().parseFromString(html, 'text/html');
    var incoming = page.getElementById('main'), current = document.getElementById('main');
    if (!incoming) return false;
    current.parentNode.innerHTML = incoming.parentNode.innerHTML;
    document.title = page.title;
    prepare();
    window.scrollTo(0, 0);
    var focus = document.querySelector('[data-error-summary]') || (target && document.getElementById(target)) ||
      document.getElementById('main');
    focus.focus();
    return true;
  }

  function send(form, button) {
    var action = (button && button.getAttribute('formaction')) || form.getAttribute('action');
    var body = new URLSearchParams(new FormData(form));
    if (button && button.name) body.append(button.name, button.value);
    busy = true;
    fetch(action, { method: 'POST', body: body }).then(function (response) {
      if (!/^text\/html/.test(response.headers.get('Content-Type') || '')) throw new Error('not a page');
      return response.text();
    }).then(function (html) {
      busy = false;
      if (!show(html, action.split('#')[1])) throw new Error('not a page');
    }).catch(function () {
      // Whatever went wrong, the plain form still works: send it the ordinary way.
      busy = false;
      if (button && button.name) {
        var carried = document.createElement('input');
        carried.type = 'hidden';
        carried.name = button.name;
        carried.value = button.value;
        form.appendChild(carried);
      }
      form.setAttribute('action', action);
      form.submit();
    });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target, button = event.submitter;
    var editing = button && button.value === 'edit';
    if (form.hasAttribute('data-validate') && !editing && !checkAll(form)) {
      event.preventDefault();
      return;
    }
    // data-navigate: the form leaves the portal (to the card gateway), or loads a page of the API's whose
    // CSP allows what the portal's does not (the upload page's form posts to the documents bucket),
    // as a plain form would.
    if (!window.fetch || !window.DOMParser || form.hasAttribute('data-navigate')) return;
    event.preventDefault();
    if (!busy) send(form, button);
  });

  // A field is checked when the citizen leaves it, once there is something in it to check.
  document.addEventListener('focusout', function (event) {
    var control = event.target.closest('[data-check]');
    if (!control || !control.closest('form[data-validate]')) return;
    if (answerOf(control) || control.closest('.field-error')) mark(control, problemWith(control));
  });

  // The summary's links move the focus to the field itself, not only the view.
  document.addEventListener('click', function (event) {
    var link = event.target.closest('[data-error-summary] a');
    if (!link) return;
    var input = document.getElementById(link.getAttribute('href').slice(1));
    if (!input) return;
    event.preventDefault();
    input.focus();
    (input.closest('[data-field]') || input).scrollIntoView();
  });

  // track.html?tracking_number=N (a link or a receipt's QR code): the number filled in, when empty.
  // The receipt's code opens the API's /v1/inquiries?tracking_number=N instead, filled in by the
  // server, which works with JavaScript off too.
  function fillTrackingNumber() {
    var field = document.querySelector('input[name="tracking_number"]');
    var match = /[?&]tracking_number=([^&#]*)/.exec(window.location.search);
    if (!field || field.value || !match) return;
    var number = digits(decodeURIComponent(match[1].replace(/\+/g, ' ')));
    if (/^[0-9]{10,20}$/.test(number)) field.value = number;
  }

  function prepare() {
    document.querySelectorAll('[data-print]').forEach(function (button) {
      button.hidden = false;
      button.addEventListener('click', function () { window.print(); });
    });
    fillTrackingNumber();
  }

  prepare();
}());
