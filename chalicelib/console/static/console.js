// The office console's only script, and only an enhancement: the server ends an idle session
// whatever happens here. Some minutes before that end, the notice under the masthead is
// announced and highlighted, so that whoever is typing saves in time.
(function () {
  "use strict";
  var body = document.body;
  var endsAt = Number(body.getAttribute("data-idle-ends"));
  var warnS = Number(body.getAttribute("data-warn-s"));
  var notice = document.getElementById("idle");
  if (!endsAt || !notice) return;
  function check() {
    var leftS = endsAt - Date.now() / 1000;
    if (leftS <= warnS) {
      notice.classList.add("idle-soon");
      notice.setAttribute("role", "alert");
      notice.textContent = leftS > 0
        ? "تنبيه: تنتهي جلستك خلال " + Math.ceil(leftS / 60) + " دقيقة. افتح صفحة أو أرسل النموذج لتبقى مسجلاً."
        : "انتهت جلستك. عند الإرسال ستُطلب منك كلمة المرور، ويعود إليك ما كتبته.";
      if (leftS <= 0) return;
    }
    window.setTimeout(check, 30000);
  }
  check();
})();
