/* The provider sandbox's stand-in for https://checkout.razorpay.com/v1/checkout.js.

   Same contract as the real script:
     var rzp = new Razorpay({key, order_id, amount, currency, name, description, image,
                             prefill: {name, email, contact}, notes, theme,
                             handler: function (response) {...},   // razorpay_payment_id, _order_id, _signature
                             modal: {ondismiss: function () {...}},
                             callback_url, redirect});             // redirect mode instead of handler
     rzp.on("payment.failed", function (response) {...});          // response.error.{code, description, ..., metadata}
     rzp.open(); rzp.close();
   The order, not the options, decides the amount, as with the real Checkout. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/\/checkout\.js(\?.*)?$/, "") : "";

  function Razorpay(options) {
    if (!(this instanceof Razorpay)) return new Razorpay(options);
    if (!options || !options.key) throw new Error("Razorpay: no key passed");
    this.options = options;
    this._callbacks = {};
    this._overlay = null;
  }

  Razorpay.prototype.on = function (event, callback) {
    (this._callbacks[event] = this._callbacks[event] || []).push(callback);
    return this;
  };

  Razorpay.prototype._emit = function (event, response) {
    (this._callbacks[event] || []).forEach(function (callback) { callback(response); });
  };

  function postTo(url, fields) {
    var form = document.createElement("form");
    form.method = "POST";
    form.action = url;
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = fields[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  Razorpay.prototype._answer = function (data) {
    var options = this.options;
    var redirect = options.redirect && options.callback_url;
    if (data.type === "payment.success") {
      this.close();
      if (redirect) postTo(options.callback_url, data.response);
      else if (options.handler) options.handler(data.response);
    } else if (data.type === "payment.failed") {
      if (redirect) {
        var error = data.response.error;
        postTo(options.callback_url, {
          "error[code]": error.code, "error[description]": error.description, "error[source]": error.source,
          "error[step]": error.step, "error[reason]": error.reason, "error[metadata]": JSON.stringify(error.metadata)
        });
      } else {
        this._emit("payment.failed", data.response);  // the modal stays open for another try, as Razorpay's does
      }
    } else if (data.type === "dismiss") {
      this.close();
      if (options.modal && options.modal.ondismiss) options.modal.ondismiss();
    }
  };

  Razorpay.prototype.open = function () {
    if (this._overlay) return;
    var self = this, options = this.options, prefill = options.prefill || {};
    var query = new URLSearchParams({
      key: options.key, name: options.name || "", description: options.description || "",
      "prefill[name]": prefill.name || "", "prefill[email]": prefill.email || "",
      "prefill[contact]": prefill.contact || ""
    });
    var overlay = document.createElement("div");
    overlay.setAttribute("data-razorpay-sandbox", "");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;display:flex;align-items:center;" +
      "justify-content:center;background:rgba(0,0,0,.6)";
    var frame = document.createElement("iframe");
    frame.title = "Razorpay checkout (sandbox)";
    frame.src = base + "/checkout/" + encodeURIComponent(options.order_id || "-") + "/?" + query.toString();
    frame.style.cssText = "width:min(420px,96vw);height:min(600px,96vh);border:0;border-radius:8px;background:#fff";
    overlay.appendChild(frame);
    document.body.appendChild(overlay);
    this._overlay = overlay;
    this._listener = function (event) {
      if (event.source !== frame.contentWindow || !event.data || event.data.source !== "razorpay-sandbox") return;
      self._answer(event.data);
    };
    window.addEventListener("message", this._listener);
  };

  Razorpay.prototype.close = function () {
    if (!this._overlay) return;
    window.removeEventListener("message", this._listener);
    this._overlay.remove();
    this._overlay = null;
  };

  window.Razorpay = Razorpay;
})();
