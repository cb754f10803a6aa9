/* The payment page (templates/payments/checkout.html): opens Razorpay Checkout with the
   options the server rendered as JSON, and posts Checkout's answer to the verify form.
   No inline script: the site's Content-Security-Policy allows our own files only. */
(function () {
  "use strict";
  var button = document.getElementById("pay-button");
  var data = document.getElementById("checkout-options");
  var form = document.getElementById("checkout-verify");
  var notice = document.getElementById("checkout-notice");
  if (!button || !data || !form) return;
  var options = JSON.parse(data.textContent);

  function say(text) {
    if (!notice) return;
    notice.textContent = text;
    notice.hidden = false;
  }

  options.handler = function (response) {
    form.elements.razorpay_order_id.value = response.razorpay_order_id;
    form.elements.razorpay_payment_id.value = response.razorpay_payment_id;
    form.elements.razorpay_signature.value = response.razorpay_signature;
    say("Payment made. Confirming your booking…");
    form.submit();
  };
  options.modal = {
    ondismiss: function () {
      button.disabled = false;
      say("The payment was not completed. You can try again while your place is held.");
    }
  };

  button.addEventListener("click", function () {
    if (typeof window.Razorpay !== "function") {
      say("The payment window could not be loaded. Check your connection and reload this page.");
      return;
    }
    var checkout = new window.Razorpay(options);
    checkout.on("payment.failed", function (response) {
      var reason = response && response.error && response.error.description;
      say("The payment failed" + (reason ? ": " + reason : "") + ". You can try again.");
    });
    button.disabled = true;
    checkout.open();
  });
})();
