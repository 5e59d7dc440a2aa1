/* Shobbak's portal: checks answers when a form is sent and sends forms without reloading the page.
   Everything here is an addition: every form works as plain HTML, posting to the API, without it. */
(function () {
  'use strict';
  // The server's rules (domain/names.py, national_id.py, phone.py, application.py) in the same order and
  // words: a test feeds the same answers to both (tests/unit/portal_site/test_one_rule.py).
  var HIDDEN_MARKS = /[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]/g;
  var LETTER = '[\u0621-\u063a\u0641-\u064a\u0671-\u06d3A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]';
  var NAME_CHARACTERS = new RegExp('^(?:' + LETTER + "|[ \\-'.])+$");
  var NAME_PART = new RegExp('^' + LETTER + "+(?:[\\-'.]" + LETTER + '+)*\\.?$');
  var GOVERNORATES = '01 02 03 04 11 12 13 14 15 16 17 18 19 21 22 23 24 25 26 27 28 29 31 32 33 34 35 88'.split(' ');
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

  function words(text) {
    return ascii(text).normalize('NFC').trim().split(/\s+/).filter(Boolean).join(' ');
  }

  // Cairo's calendar day, as the server's today.
  function today() {
    return new Date().toLocaleDateString('en-CA', { timeZone: 'Africa/Cairo' });
  }

  function isDay(text) {
    var day = new Date(text + 'T00:00:00Z');
    return /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text) && !isNaN(day) && day.toISOString().slice(0, 10) === text;
  }

  // The first problem with one answer, in the server's words, or '' when there is none. A service's own
  // question (data-label) is named before what is wrong with it, as the server names it.
  var CHECKS = {
    full_name: function (value) {
      var name = words(value).normalize('NFKC').replace(/[\u0640\u064b-\u065f\u0670]/g, '')
        .replace(/[\u2018\u2019\u02bc]/g, "'").trim().split(/\s+/).join(' ');
      if (/[0-9]/.test(name)) return 'لا يجوز أن يحتوي الاسم على أرقام.';
      if (!NAME_CHARACTERS.test(name)) return 'يرجى كتابة الاسم بالحروف العربية أو اللاتينية فقط.';
      if (name.length < 5) return 'الاسم قصير جدًا، يرجى كتابة الاسم الكامل كما هو مدون في بطاقة الرقم القومي.';
      if (name.length > 100) return 'الاسم طويل جدًا، يرجى ألا يزيد على مئة حرف.';
      var parts = name.split(' ');
      if (!parts.every(function (part) { return NAME_PART.test(part); })) {
        return "يُسمح بالشَّرطة (-) والفاصلة العليا (') والنقطة (.) بين حروف الاسم فقط.";
      }
      if (parts.length < 2) return 'يرجى كتابة الاسم الكامل، أي الاسم واسم الأب على الأقل.';
      if (!parts.every(function (part) {
        return (part.match(new RegExp(LETTER, 'g')) || []).length >= 2 || /^[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]\.$/.test(part);
      })) return 'يتكون كل جزء من الاسم من حرفين على الأقل، ويُقبل الحرف اللاتيني الواحد إذا تبعته نقطة مثل M.';
      return '';
    },
    national_id: function (value) {
      var number = digits(value), check = '، يرجى التأكد من الرقم المُدخل.';
      if (!/^[0-9]{14}$/.test(number)) return 'الرقم القومي يتكون من أربعة عشر رقمًا فقط، يرجى مراجعته وإعادة إدخاله.';
      var century = { 2: 19, 3: 20 }[number[0]];
      if (!century) return 'يبدأ الرقم القومي بالرقم ٢ أو ٣' + check;
      var born = century + number.slice(1, 3) + '-' + number.slice(3, 5) + '-' + number.slice(5, 7);
      if (!isDay(born)) return 'تاريخ الميلاد الوارد في الرقم القومي غير صحيح' + check;
      if (born > today()) return 'تاريخ الميلاد الوارد في الرقم القومي لم يحِن بعد' + check;
      if (GOVERNORATES.indexOf(number.slice(7, 9)) < 0) return 'رمز محافظة الميلاد الوارد في الرقم القومي غير معروف' + check;
      return '';
    },
    phone: function (value) {
      var typed = digits(value).replace(/[().]/g, ''), national, abroad = null;
      var wrong = 'رقم الهاتف المحمول غير صحيح، يرجى إدخاله على النحو التالي: 01012345678.';
      if (typed[0] === '+') abroad = typed.slice(1);
      else if (typed.slice(0, 2) === '00') abroad = typed.slice(2);
      if (abroad !== null) {
        if (!/^[1-9][0-9]*$/.test(abroad)) return wrong;
        if (abroad.slice(0, 2) !== '20') return 'يرجى إدخال رقم هاتف محمول مصري، إذ لا يمكن إرسال الرسائل إلى أرقام خارج مصر.';
        national = abroad.slice(2).replace(/^0/, '');
      } else if (!/^[0-9]+$/.test(typed)) {
        return wrong;
      } else {
        national = typed[0] === '0' ? typed.slice(1)
          : /^20/.test(typed) && (typed.length === 11 || typed.length === 12) ? typed.slice(2) : typed;
      }
      if (/^1[0125][0-9]{8}$/.test(national)) return '';
      if (/^1[0125][0-9]*$/.test(national)) return 'رقم الهاتف المحمول يتكون من أحد عشر رقمًا تبدأ بـ 01، يرجى مراجعته وإعادة إدخاله.';
      if (/^1[0-9]{9}$/.test(national)) return 'يجب أن يبدأ رقم الهاتف المحمول بـ 010 أو 011 أو 012 أو 015، يرجى مراجعته.';
      if (/^2[0-9]{8}$/.test(national)) return 'هذا رقم أرضي في القاهرة أو الجيزة، والهاتف الأرضي لا يستقبل الرسائل النصية؛ يرجى إدخال رقم محمول.';
      if (/^[13-9][0-9]{7,8}$/.test(national)) return 'يبدو أن هذا رقم أرضي في إحدى المحافظات، والهاتف الأرضي لا يستقبل الرسائل النصية؛ يرجى إدخال رقم محمول.';
      return wrong;
    },
    number: function (value, control) {
      var text = ascii(value).trim().replace(/\u066b/g, '.').replace(/,/g, '');
      if (text.length > 15 || !/^[0-9]+(\.[0-9]+)?$/.test(text)) return 'اكتب رقمًا صحيحًا بالأرقام فقط.';
      if (+text >= 1e12) return 'الرقم خارج الحدود المقبولة.';
      var min = control.getAttribute('data-min'), max = control.getAttribute('data-max');
      if (min !== null && +text < +min) return 'يجب ألا يقل الرقم عن ' + min + '.';
      if (max !== null && +text > +max) return 'يجب ألا يزيد الرقم على ' + max + '.';
      return '';
    },
    reference_number: function (value) {
      return /^[0-9]+(?: *(?:\/|-| لسنة | لسنه ) *[0-9]+)*$/.test(words(value).replace(/[\u2010-\u2015\u2212]/g, '-'))
        ? '' : 'اكتب الرقم بالأرقام، مثل 123 لسنة 2024 أو 123/2024.';
    },
    date: function (value) {
      return isDay(ascii(value).trim()) ? '' : 'اكتب التاريخ بالصيغة سنة-شهر-يوم.';
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
      return control.getAttribute('data-required') || '';  // the server's words, written into the form
    }
    var limit = control.getAttribute('data-max-length'), label = control.getAttribute('data-label');
    var free = kind === 'text' || kind === 'textarea' || kind === 'reference_number';
    var problem = free && limit && words(value).length > +limit ? 'النص أطول من ' + limit + ' حرفًا.'
      : CHECKS[kind] ? CHECKS[kind](value, control) : '';
    return problem && label ? label + ': ' + problem : problem;
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

  // Every answer checked when the form is sent, never while it is being filled in: a message that
  // appeared or went as a field lost focus would move what the citizen was pressing (issue 24). A form
  // without problems is left as it stands until the answer replaces it.
  function checkAll(form) {
    var problems = [], controls = form.querySelectorAll('[data-check]');
    controls.forEach(function (control) {
      var message = problemWith(control);
      if (message) problems.push([firstInput(control).id, message]);
    });
    if (!problems.length) return true;
    controls.forEach(function (control) { mark(control, problemWith(control)); });
    summarise(problems);
    return false;
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
    if (form.hasAttribute('data-track')) remember(form);
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

  // Within one visit (this tab, until it is closed) the track form is filled in again with what was last
  // sent from it: after an upload, «متابعة الطلب» needs no retyping. The digits are still sent, and
  // checked and counted by the server, on every inquiry.
  var PROOF = 'shobbak-proof';

  function remembered(form) {
    try {
      if (form.elements.tracking_number.value || form.elements.national_id_last4.value) return;
      var proof = JSON.parse(window.sessionStorage.getItem(PROOF) || 'null');
      if (!proof) return;
      form.elements.tracking_number.value = proof.tracking_number;
      form.elements.national_id_last4.value = proof.national_id_last4;
    } catch (unavailable) { /* no storage: the citizen types the digits */ }
  }

  function remember(form) {
    try {
      window.sessionStorage.setItem(PROOF, JSON.stringify({ tracking_number: form.elements.tracking_number.value,
        national_id_last4: form.elements.national_id_last4.value }));
    } catch (unavailable) { /* no storage */ }
  }

  // track.html?tracking_number=N (a link or a receipt's QR code): the number filled in, when empty.
  // The receipt's code opens the API's /v1/inquiries?tracking_number=N instead, filled in by the
  // server, which works with JavaScript off too.
  function fillTrackingNumber() {
    var field = document.querySelectorAll('input[name="tracking_number"]')[0];
    if (!field || field.value) return;
    var match = /[?&]tracking_number=([^&#]*)/.exec(window.location.search);
    if (!match) return;
    var number = digits(decodeURIComponent(match[1].replace(/\+/g, ' ')));
    if (/^[0-9]{10,20}$/.test(number)) field.value = number;
  }

  function prepare() {
    document.querySelectorAll('form[data-track]').forEach(remembered);
    document.querySelectorAll('[data-print]').forEach(function (button) {
      button.hidden = false;
      button.addEventListener('click', function () { window.print(); });
    });
    fillTrackingNumber();
  }

  prepare();
  if (typeof module === 'object') module.exports = { problemWith: problemWith };  // for the rule's test, under node
}());
