/* The survey form (public/survey.html): the contact field shows only when a reply is wanted. */
(function () {
  var wanted = document.getElementById("reply_wanted");
  var contact = document.getElementById("f-reply_contact");
  function show() { contact.hidden = !wanted.checked; }
  wanted.addEventListener("change", show);
  show();
})();
